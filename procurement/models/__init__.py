from .award import AllocationLine, AwardGroupResult, AwardOutcome, AwardRun, RevivalAcceptance
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
    "AllocationLine",
    "AwardGroupResult",
    "AwardOutcome",
    "AwardRun",
    "Bid",
    "BidVersion",
    "DemandReport",
    "DemandUpload",
    "OpenedBid",
    "Product",
    "ProductGroup",
    "ProductImport",
    "QualityTier",
    "RevivalAcceptance",
    "RoundStatusChange",
    "RuleSet",
    "SmallestUnit",
    "StrengthUnit",
    "TenderRound",
]
