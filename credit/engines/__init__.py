"""The credit rating's pure engine: plain data in, plain data out, no ORM (an import-linter contract in
``make test``): ``rating`` (levels, scores, measures and where a record stands on a day)."""
