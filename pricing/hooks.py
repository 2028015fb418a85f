"""Pricing's answers to procurement (``procurement.hooks``), registered from ``PricingConfig.ready()``."""

from procurement.hooks import ListedPrice

from .models import Listing


def listed_prices(product_ids) -> dict[tuple[int, int | None], ListedPrice]:
    """The listed and suspended prices of these products, by (product, city or None for province-wide)."""
    return {
        (listing.product_id, listing.region_id): ListedPrice(listing.price, listing.suspended)
        for listing in Listing.objects.filter(
            product_id__in=list(product_ids), status__in=[Listing.Status.LISTED, Listing.Status.SUSPENDED]
        )
    }


def payment_standards_on_award(sender, *, run, tender_round, actor, **kwargs) -> None:
    """Payment standards follow the winning prices as soon as the award is published (pricing issue)."""
    from .services import payment_standards_compute

    payment_standards_compute(tender_round=tender_round, actor=actor)
