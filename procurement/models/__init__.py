from .bids import Bid, BidVersion, OpenedBid
from .catalog import Product, ProductImport, QualityTier, SmallestUnit, StrengthUnit
from .rounds import DemandReport, DemandUpload, ProductGroup, RoundStatusChange, RuleSet, TenderRound

__all__ = [
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
