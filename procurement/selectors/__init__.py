"""Procurement's read side: what pages, the API and exports show, per sub-domain (``rounds``: demand, bids,
opening; ``contracts``: agreements, completion, alerts, settlement figures). Reads only; state changes are in
``services``."""
