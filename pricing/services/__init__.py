"""State changes of price governance, by workflow: ``listings`` (applications, review, price changes,
suspension), ``price_warnings`` (the warning checks and workflow), ``standards`` (payment standards) and
``declarations`` (purchases outside the platform). Callers use the names below."""

from ..exceptions import PricingError
from .declarations import off_platform_declare
from .listings import (
    listing_apply,
    listing_lift,
    listing_price_request,
    listing_price_review,
    listing_review,
    listing_suspend,
    sync_credit_suspensions,
)
from .price_warnings import (
    check_price_change,
    scan_supply,
    warning_answer,
    warning_close,
    warning_inquire,
    warning_interview,
)
from .standards import payment_standards_compute

__all__ = [
    "PricingError",
    "check_price_change",
    "listing_apply",
    "listing_lift",
    "listing_price_request",
    "listing_price_review",
    "listing_review",
    "listing_suspend",
    "off_platform_declare",
    "payment_standards_compute",
    "scan_supply",
    "sync_credit_suspensions",
    "warning_answer",
    "warning_close",
    "warning_inquire",
    "warning_interview",
]
