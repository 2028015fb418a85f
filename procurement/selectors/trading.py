"""The trading figures of a month, read from the platform's own order, shipment and return rows (trading-rules.md,
"Metrics"), grouped by distributor, manufacturer, institution, city or product, over the lines the reader may see.
The definitions live in ``engines.trading_metrics``; this module only sums."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Organisation, Region
from core.money import SUM_FIELD, database_sums_money_exactly

from ..engines import trading_metrics as metrics
from ..models import Product, PurchaseMonthRollup
from ..models.trading import LineStatus, OrderLine, ReturnRequest, ReturnStatus, ShipmentLine

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Each grouping: the order line's field naming the subject, and the grouping a row drills down to.
GROUPINGS = {
    "distributor": ("distributor_id", "product"),
    "manufacturer": ("product__holder_id", "product"),
    "hospital": ("beneficiary_id", "product"),
    "city": ("beneficiary__region_id", "hospital"),
    "product": ("product_id", None),
}
GROUPING_LABELS = {
    "distributor": _("distributor"),
    "manufacturer": _("manufacturer"),
    "hospital": _("institution"),
    "city": _("city"),
    "product": _("product"),
}
# The filters a drill-down carries: the grouping's own subject.
FILTERS = ("distributor", "manufacturer", "hospital", "city")


@dataclass
class FigureRow:
    key: int | None
    name: str
    code: str = ""
    figures: dict = field(default_factory=dict)  # metric → Ratio, or None where the figure does not apply


def month_window(month: date) -> tuple[datetime, datetime]:
    start = date(month.year, month.month, 1)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return datetime.combine(start, time(), SHANGHAI), datetime.combine(end, time(), SHANGHAI)


def _city_of(regions: dict[int, Region], region_id: int | None) -> int | None:
    region = regions.get(region_id)
    while region is not None and region.level not in (Region.Level.CITY, Region.Level.PROVINCE):
        region = regions.get(region.parent_id)
    return region.pk if region is not None else region_id


def _sums(queryset, key: str, quantity: str, price: str) -> dict:
    """Σ quantity × price per key, exactly: by the database on PostgreSQL, row by row on the embedded database."""
    totals = defaultdict(Decimal)
    if database_sums_money_exactly():
        for subject, amount in (
            queryset.values(key)
            .annotate(amount=Sum(F(quantity) * F(price), output_field=SUM_FIELD))
            .values_list(key, "amount")
        ):
            totals[subject] += amount or Decimal(0)
    else:
        for subject, count, unit in queryset.values_list(key, quantity, price):
            totals[subject] += (count or 0) * (unit or Decimal(0))
    return totals


def trading_figures(user, month: date, by: str, filters: dict | None = None) -> tuple[list[FigureRow], FigureRow]:
    """The month's figures per subject of the grouping ``by`` over the lines ``user`` may see, narrowed by
    ``filters`` (subject ids of other groupings), and the total over them."""
    key, _drill = GROUPINGS[by]
    start, end = month_window(month)
    regions = {region.pk: region for region in Region.objects.all()}
    lines = OrderLine.objects.visible_to(user).exclude(status=LineStatus.DRAFT)
    for name, value in (filters or {}).items():
        if name == "city":
            inside = [pk for pk in regions if _city_of(regions, pk) == value]
            lines = lines.filter(beneficiary__region_id__in=inside)
        else:
            lines = lines.filter(**{GROUPINGS[name][0]: value})
    counted = lines.exclude(status=LineStatus.WITHDRAWN)
    sent = counted.filter(order__sent_at__gte=start, order__sent_at__lt=end)
    rows = defaultdict(lambda: defaultdict(Decimal))

    def add(subject, name, amount):
        rows[_city_of(regions, subject) if by == "city" else subject][name] += Decimal(amount or 0)

    for row in sent.values(key).annotate(
        sent=Count("pk"),
        answered=Count("pk", filter=Q(responded_at__isnull=False, responded_at__lt=F("response_due"))),
        ordered=Sum("quantity"),
        ordered_amount=Sum("amount"),
        received=Sum("received_quantity"),
    ):
        for name in ("sent", "answered", "ordered", "ordered_amount", "received"):
            add(row[key], name, row[name])
    for subject, amount in _sums(sent, key, "received_quantity", "pack_price").items():
        add(subject, "received_amount", amount)
    due = counted.filter(delivery_due__gte=start, delivery_due__lt=end)
    for subject, confirmed in due.values(key).annotate(total=Sum("confirmed_quantity")).values_list(key, "total"):
        add(subject, "confirmed", confirmed)
    on_time = ShipmentLine.objects.filter(
        order_line__in=due, received_quantity__isnull=False, shipment__arrived_at__lte=F("order_line__delivery_due")
    )
    prefixed = f"order_line__{key}"
    for subject, packs in (
        on_time.values(prefixed).annotate(total=Sum("received_quantity")).values_list(prefixed, "total")
    ):
        add(subject, "on_time", packs)
    # Off-platform purchases are reported by institutions, so the online rate is an institution's (and its city's):
    # it has no meaning per distributor, manufacturer or product, nor within one of them.
    online = (
        by in ("hospital", "city")
        and not {"distributor", "manufacturer"} & set(filters or {})
        and (access.is_authority_staff(user) or access.is_hospital_user(user))
    )
    if online:
        accepted = ShipmentLine.objects.filter(order_line__in=counted, accepted_at__gte=start, accepted_at__lt=end)
        for subject, amount in _sums(accepted, prefixed, "received_quantity", "pack_price").items():
            add(subject, "platform", amount)
        returned = ReturnRequest.objects.filter(
            shipment_line__order_line__in=counted,
            status=ReturnStatus.APPROVED,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        for subject, amount in _sums(
            returned, f"shipment_line__order_line__{key}", "quantity", "shipment_line__pack_price"
        ).items():
            add(subject, "platform", -amount)
        reports = PurchaseMonthRollup.objects.filter(month=start.date())
        if access.is_hospital_user(user):
            reports = reports.filter(hospital_id=user.organisation_id)
        report_key = "hospital__region_id" if by == "city" else "hospital_id"
        for name, value in (filters or {}).items():
            if name == "hospital":
                reports = reports.filter(hospital_id=value)
            elif name == "city":
                reports = reports.filter(
                    hospital__region_id__in=[pk for pk in regions if _city_of(regions, pk) == value]
                )
        for subject, amount in (
            reports.values(report_key).annotate(total=Sum("amount")).values_list(report_key, "total")
        ):
            add(subject, "off_platform", amount)
    by_quantity = by == "product"
    result = [_row(subject, values, by_quantity, online) for subject, values in rows.items()]
    _name(result, by, regions)
    result.sort(key=lambda row: (row.name, row.key or 0))
    total = defaultdict(Decimal)
    for values in rows.values():
        for name, value in values.items():
            total[name] += value
    return result, _row(None, total, by_quantity, online, name=str(_("Total")))


def _row(subject, values, by_quantity: bool, online: bool, name: str = "") -> FigureRow:
    fill = (
        metrics.ratio(values["received"], values["ordered"])
        if by_quantity
        else metrics.ratio(values["received_amount"], values["ordered_amount"])
    )
    return FigureRow(
        key=subject,
        name=name,
        figures={
            metrics.RESPONSE: metrics.ratio(values["answered"], values["sent"]),
            metrics.ON_TIME: metrics.ratio(values["on_time"], values["confirmed"]),
            metrics.FILL: fill,
            metrics.ONLINE: metrics.online_rate(values["platform"], values["off_platform"]) if online else None,
        },
    )


def _name(rows: list[FigureRow], by: str, regions: dict) -> None:
    keys = [row.key for row in rows if row.key is not None]
    if by == "product":
        names = {p.pk: (str(p), p.national_drug_code) for p in Product.objects.filter(pk__in=keys)}
    elif by == "city":
        names = {pk: (regions[pk].name, regions[pk].code) for pk in keys if pk in regions}
    else:
        names = {
            pk: (name, code)
            for pk, name, code in Organisation.objects.filter(pk__in=keys).values_list("pk", "name", "code")
        }
    for row in rows:
        row.name, row.code = names.get(row.key, (str(row.key), ""))
