from .bids import Bid, BidVersion, OpenedBid
from .catalog import PRODUCT_FIELDS, Product, ProductImport, QualityTier, SmallestUnit, StrengthUnit
from .rounds import (
    GROUP_FIELDS,
    ROUND_FIELDS,
    ROUND_INPUT_FIELDS,
    DemandReport,
    DemandUpload,
    ProductGroup,
    RoundStatusChange,
    RuleSet,
    TenderRound,
)

__all__ = [
    "GROUP_FIELDS",
    "PRODUCT_FIELDS",
    "ROUND_FIELDS",
    "ROUND_INPUT_FIELDS",
    "Bid",
    "BidVersion",
    "DemandReport",
    "DemandUpload",
    "OpenedBid",
    "Product",
    "ProductGroup",
    "ProductImport",
    "QualityTier",
    "RoundStatusChange",
    "RuleSet",
    "SmallestUnit",
    "StrengthUnit",
    "TenderRound",
]
