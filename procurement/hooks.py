"""What procurement asks of and tells the pricing app, which sits above it and is not imported by it
(docs/architecture.md): pricing registers the reader of its listed prices and connects to the award's publication
from its ``AppConfig.ready()``."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

# An award is published, inside the publishing transaction (a receiver's error undoes the publication): sent with
# ``run`` (the published AwardRun), ``tender_round`` and ``actor``. Pricing derives the payment standards from it.
award_published = Signal()


@dataclass(frozen=True)
class ListedPrice:
    """A product's listed price per smallest unit in a city (``region_id``) or province-wide (None)."""

    price: Decimal
    suspended: bool


ListedPriceReader = Callable[[Iterable[int]], dict[tuple[int, int | None], ListedPrice]]
_readers: list[ListedPriceReader] = []


def register_listed_prices(reader: ListedPriceReader) -> None:
    """Pricing's reader of the listed (or suspended) prices of some products, keyed by (product id, region id)."""
    if reader not in _readers:
        _readers[:] = [reader]


def listed_prices(product_ids: Iterable[int]) -> dict[tuple[int, int | None], ListedPrice]:
    """The listed prices a hospital may buy these products at outside an agreement (purchase checks)."""
    if not _readers:
        raise ImproperlyConfigured("No listed-price reader is registered (the pricing app registers it).")
    return _readers[0](product_ids)
