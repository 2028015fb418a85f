"""Models of the credit app: commitments, the catalog and records, ratings and measures."""

from .commitments import Commitment, CommitmentText
from .ratings import (
    ACTIVITY_MEASURES,
    Measure,
    MeasureKind,
    RatingRun,
    RatingRunChunk,
    RatingSnapshot,
)
from .records import (
    SERIOUS_LEVELS,
    CatalogVersion,
    CreditRecord,
    Item,
    Level,
    RepairApplication,
    Tip,
    WorkdayAdjustment,
    catalog_products,
)

__all__ = [
    "ACTIVITY_MEASURES",
    "SERIOUS_LEVELS",
    "CatalogVersion",
    "Commitment",
    "CommitmentText",
    "CreditRecord",
    "Item",
    "Level",
    "Measure",
    "MeasureKind",
    "RatingRun",
    "RatingRunChunk",
    "RatingSnapshot",
    "RepairApplication",
    "Tip",
    "WorkdayAdjustment",
    "catalog_products",
]
