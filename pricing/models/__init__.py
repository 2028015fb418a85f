"""Price governance: listings (挂网) and their change history, payment standards (医保支付标准) linked to the winning
prices, price and supply warnings with their inquiry → interview → outcome workflow, and hospitals' declarations of
purchases made outside the platform (for the online-purchase rate)."""

from .declarations import OffPlatformPurchase
from .listings import LISTING_WORKFLOW, Listing, ListingChange
from .standards import PaymentStandard
from .warnings import WARNING_WORKFLOW, PriceWarning

__all__ = [
    "LISTING_WORKFLOW",
    "WARNING_WORKFLOW",
    "Listing",
    "ListingChange",
    "OffPlatformPurchase",
    "PaymentStandard",
    "PriceWarning",
]
