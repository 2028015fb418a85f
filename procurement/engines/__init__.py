"""Procurement's pure engines: plain data in, plain data out, no ORM (an import-linter contract in ``make test``).

``award_rules`` (who wins a group under a rule set), ``volumes`` (agreed volumes from demand), ``allocation`` and
``optimiser`` (which hospital is supplied by which winner), ``completion`` (progress against agreed volumes) and
``rule_sets`` (the rule-set library and the check of its parameters)."""
