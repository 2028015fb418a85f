"""Reads the credit pages, the API and the exports share, one module per sub-domain (ratings, records, and what a
supplier's measures allow: eligibility)."""

from .ratings import disclosure, level_distribution, standing
from .records import catalog_editions, record_history, review_queue

__all__ = ["catalog_editions", "disclosure", "level_distribution", "record_history", "review_queue", "standing"]
