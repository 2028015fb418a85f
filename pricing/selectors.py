"""Savings reporting (节约情况) per round and overall, and the online-purchase rate. Money to the fen, half up."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from .money import round_money

# The seed's indicator: share of purchases made through the platform.
ONLINE_TARGETS = {"drugs": Decimal("0.90"), "consumables": Decimal("0.80")}


def round_savings(tender_round) -> dict:
    """Price drop vs ceiling and vs the pre-VBP price (average over winners, per comparable unit), and money saved
    at the agreed volumes and at actual purchases: Σ quantity × (pre-VBP reference price − agreed price)."""
    from procurement.models import AwardOutcome, AwardRun, Contract

    run = AwardRun.objects.published().filter(round=tender_round).first()
    drops_ceiling, drops_pre = [], []
    if run is not None:
        for outcome in AwardOutcome.objects.filter(run=run, won=True).select_related("group"):
            price = outcome.winning_price
            drops_ceiling.append(1 - price / outcome.group.ceiling_price)
    groups = {}
    saved_agreed = saved_purchased = Decimal(0)
    spent_agreed = spent_purchased = Decimal(0)
    for contract in Contract.objects.filter(round=tender_round).select_related("group").iterator(5000):
        group = contract.group
        entry = groups.setdefault(
            group.pk,
            {"group": group, "agreed": 0, "purchased": 0, "saved_agreed": Decimal(0), "saved_purchased": Decimal(0)},
        )
        entry["agreed"] += contract.agreed_quantity
        entry["purchased"] += contract.purchased_quantity
        spent_agreed += contract.agreed_quantity * contract.unit_price
        spent_purchased += contract.purchased_amount
        if group.pre_vbp_price is not None:
            gap = group.pre_vbp_price - contract.unit_price
            entry["saved_agreed"] += contract.agreed_quantity * gap
            entry["saved_purchased"] += contract.purchased_quantity * gap
            saved_agreed += contract.agreed_quantity * gap
            saved_purchased += contract.purchased_quantity * gap
            drops_pre.append(1 - contract.unit_price / group.pre_vbp_price)
    for entry in groups.values():
        entry["saved_agreed"] = round_money(entry["saved_agreed"])
        entry["saved_purchased"] = round_money(entry["saved_purchased"])

    def average(values):
        return (sum(values) / len(values)).quantize(Decimal("0.0001")) if values else None

    return {
        "round": tender_round,
        "drop_vs_ceiling": average(drops_ceiling),
        "drop_vs_pre_vbp": average(drops_pre),
        "saved_at_agreed": round_money(saved_agreed),
        "saved_at_purchases": round_money(saved_purchased),
        "spent_at_agreed": round_money(spent_agreed),
        "spent_at_purchases": round_money(spent_purchased),
        "groups": sorted(groups.values(), key=lambda entry: entry["group"].code),
    }


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

    from .models import OffPlatformPurchase

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
            "online": round_money(online[category]),
            "offline": round_money(offline[category]),
            "rate": rate,
            "target": target,
            "met": rate is not None and rate >= target,
        }
    return result
