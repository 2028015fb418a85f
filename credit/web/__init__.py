"""The credit rating's pages: views, forms and URLs (records, notices and defences, tips, repair, quarterly runs,
the public catalog)."""
