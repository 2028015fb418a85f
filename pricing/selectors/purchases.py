"""Where hospitals buy: the share of VBP products in their purchases and the online-purchase rate."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from core.money import round_money

# The seed's indicator: share of purchases made through the platform.
ONLINE_TARGETS = {"drugs": Decimal("0.90"), "consumables": Decimal("0.80")}


def vbp_share(hospital=None) -> dict:
    """Share of VBP (agreement) purchases in hospitals' reported purchases, by amount."""
    from procurement.models import PurchaseMonthRollup

    months = PurchaseMonthRollup.objects.all()  # the lines' monthly rollup, never the lines themselves
    if hospital is not None:
        months = months.filter(hospital=hospital)
    amounts = defaultdict(Decimal)
    for kind, amount in months.values_list("kind").annotate(total=Sum("amount")).values_list("kind", "total"):
        amounts[kind] = amount or Decimal(0)
    total = sum(amounts.values(), Decimal(0))
    return {
        "contract": round_money(amounts["contract"]),
        "substitution": round_money(amounts["substitution"]),
        "outside": round_money(amounts["outside"]),
        "total": round_money(total),
        "share": (amounts["contract"] / total).quantize(Decimal("0.0001")) if total else None,
    }


def online_rate(month, hospital=None) -> dict:
    """Platform purchases ÷ (platform + declared off-platform purchases) in a month, per category, against the
    targets (drugs ≥ 90 %, high-value consumables ≥ 80 %). Every platform purchase is a drug in this catalog."""
    from procurement.models import PurchaseMonthRollup

    from ..models import OffPlatformPurchase

    start = month.replace(day=1)
    lines = PurchaseMonthRollup.objects.filter(month=start)
    declared = OffPlatformPurchase.objects.filter(month=start)
    if hospital is not None:
        lines, declared = lines.filter(hospital=hospital), declared.filter(hospital=hospital)
    online = {"drugs": lines.aggregate(t=Sum("amount"))["t"] or Decimal(0), "consumables": Decimal(0)}
    offline = defaultdict(Decimal)
    for category, amount in declared.values_list("category").annotate(t=Sum("amount")).values_list("category", "t"):
        offline[category] = amount
    result = {}
    for category, target in ONLINE_TARGETS.items():
        total = online[category] + offline[category]
        rate = (online[category] / total).quantize(Decimal("0.0001")) if total else None
        result[category] = {
            "label": OffPlatformPurchase.Category(category).label,
            "online": round_money(online[category]),
            "offline": round_money(offline[category]),
            "rate": rate,
            "target": target,
            "met": rate is not None and rate >= target,
        }
    return result
