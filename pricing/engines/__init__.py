"""Price governance's pure engines: plain data in, plain data out, no ORM (an import-linter contract in
``make test``): ``comparable`` (the unit-comparable price) and ``rules`` (payment standards, listing caps and the
abnormal price and supply warnings)."""
