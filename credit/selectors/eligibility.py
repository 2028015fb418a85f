"""What a supplier's credit measures allow, asked by bidding, listing, delivery and purchasing alike.

Each activity has a measure for the products in the case (serious level) and one for all the supplier's products
(particularly serious level); a measure counts on the days between its start and its end or lifting.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ACTIVITY_MEASURES, Measure, MeasureKind


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class Restriction:
    """One supplier's restriction of an activity: all its products, or some."""

    all_products: bool = False
    product_ids: set = field(default_factory=set)
    measures: list = field(default_factory=list)

    def covers(self, product_id: int | None) -> bool:
        return self.all_products or (product_id is not None and product_id in self.product_ids)


def _day(at) -> date:
    if isinstance(at, datetime):
        return timezone.localdate(at)
    return at or timezone.localdate()


def restrictions(activity: str, supplier_ids, at=None) -> dict[int, Restriction]:
    """The restriction of ``activity`` (listing, bidding, delivery, purchase) per supplier that has one."""
    kinds = ACTIVITY_MEASURES[activity]
    measures = (
        Measure.objects.in_force(_day(at))
        .filter(supplier_id__in=list(supplier_ids), kind__in=kinds)
        .prefetch_related("products")
    )
    result: dict[int, Restriction] = defaultdict(Restriction)
    for measure in measures:
        restriction = result[measure.supplier_id]
        restriction.measures.append(measure)
        if measure.all_products or measure.kind == kinds[1]:
            restriction.all_products = True
        else:
            restriction.product_ids |= {product.pk for product in measure.products.all()}
    return dict(result)


def _eligibility(activity: str, supplier, product, at) -> Eligibility:
    restriction = restrictions(activity, [supplier.pk], at).get(supplier.pk)
    if restriction is None or not restriction.covers(getattr(product, "pk", None)):
        return Eligibility(allowed=True)
    reasons = []
    for measure in restriction.measures:
        if (
            measure.all_products
            or measure.kind == ACTIVITY_MEASURES[activity][1]
            or (product is not None and product.pk in {p.pk for p in measure.products.all()})
        ):
            until = measure.ends_on.isoformat() if measure.ends_on else _("until lifted")
            reasons.append(
                _("%(measure)s (records %(records)s), in force until %(until)s")
                % {"measure": measure.get_kind_display(), "records": ", ".join(measure.records), "until": until}
            )
    return Eligibility(allowed=False, reasons=reasons)


def bidding_eligibility(*, supplier, tender_round, at: datetime, product=None) -> Eligibility:
    """May this supplier bid in this round at this time (with this product), and if not, why."""
    return _eligibility("bidding", supplier, product, at)


def listing_eligibility(*, supplier, product, at=None) -> Eligibility:
    """May this product be listed (挂网) and stay listed."""
    return _eligibility("listing", supplier, product, at)


def purchase_eligibility(*, supplier, product, at=None) -> Eligibility:
    """May hospitals purchase this product of this supplier (a purchase report is refused when not)."""
    return _eligibility("purchase", supplier, product, at)


def delivery_eligibility(*, supplier, product, at=None) -> Eligibility:
    return _eligibility("delivery", supplier, product, at)


def risk_notice_suppliers(supplier_ids, at=None) -> dict[int, Measure]:
    """Suppliers whose products carry a risk notice to purchasers (风险提示), with the measure."""
    measures = Measure.objects.in_force(_day(at)).filter(
        supplier_id__in=list(supplier_ids), kind=MeasureKind.RISK_NOTICE
    )
    return {measure.supplier_id: measure for measure in measures}


def product_flags(products, at=None) -> dict[int, dict]:
    """For product lists: per product, whether a risk notice stands beside it and which activities are barred."""
    products = list(products)
    holders = {product.holder_id for product in products}
    risk = risk_notice_suppliers(holders, at)
    barred = {activity: restrictions(activity, holders, at) for activity in ("listing", "purchase", "bidding")}
    flags = {}
    for product in products:
        entry = {"risk_notice": product.holder_id in risk}
        for activity, by_supplier in barred.items():
            restriction = by_supplier.get(product.holder_id)
            entry[f"{activity}_barred"] = bool(restriction and restriction.covers(product.pk))
        flags[product.pk] = entry
    return flags
