"""Price governance's pages: views and URLs (listings, price changes, warnings, payment standards, savings and the
online-purchase rate)."""
