"""Savings reporting (节约情况) per round and overall. Money to the fen, half up."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum

from core.money import SUM_FIELD, database_sums_money_exactly, round_money


@dataclass
class AgreementSums:
    """What the savings figures need of one group's agreements; every figure is linear in these."""

    agreements: int = 0
    agreed: int = 0
    purchased: int = 0
    spent: Decimal = Decimal(0)  # Σ purchased amount
    agreed_at_price: Decimal = Decimal(0)  # Σ agreed quantity × agreed price
    purchased_at_price: Decimal = Decimal(0)  # Σ purchased quantity × agreed price
    prices: Decimal = Decimal(0)  # Σ agreed price


def _agreement_sums(tender_round) -> dict[int, AgreementSums]:
    """Per group of the round, the sums over its agreements (100 000 in a national round).

    The database sums them where it does so exactly (``database_sums_money_exactly``); walking the agreements in
    Python took seconds per view."""
    from procurement.models import Contract

    agreements = Contract.objects.filter(round=tender_round)
    result: dict[int, AgreementSums] = defaultdict(AgreementSums)
    if database_sums_money_exactly():
        money = SUM_FIELD
        rows = (
            agreements.values("group_id")
            .annotate(
                n=Count("pk"),
                agreed=Sum("agreed_quantity"),
                purchased=Sum("purchased_quantity"),
                spent=Sum("purchased_amount"),
                agreed_at_price=Sum(F("agreed_quantity") * F("unit_price"), output_field=money),
                purchased_at_price=Sum(F("purchased_quantity") * F("unit_price"), output_field=money),
                prices=Sum("unit_price", output_field=money),
            )
            .order_by("group_id")
        )
        for row in rows:
            result[row["group_id"]] = AgreementSums(
                row["n"], row["agreed"], row["purchased"], row["spent"], row["agreed_at_price"],
                row["purchased_at_price"], row["prices"],
            )  # fmt: skip
        return dict(result)
    columns = ("group_id", "unit_price", "agreed_quantity", "purchased_quantity", "purchased_amount")
    for group_id, price, agreed, purchased, spent in agreements.values_list(*columns).iterator(5000):
        sums = result[group_id]
        sums.agreements += 1
        sums.agreed += agreed
        sums.purchased += purchased
        sums.spent += spent
        sums.agreed_at_price += agreed * price
        sums.purchased_at_price += purchased * price
        sums.prices += price
    return dict(result)


def round_savings(tender_round) -> dict:
    """Price drop vs ceiling and vs the pre-VBP price (average over winners, per comparable unit), and money saved
    at the agreed volumes and at actual purchases: Σ quantity × (pre-VBP reference price − agreed price)."""
    from procurement.models import AwardOutcome, AwardRun

    run = AwardRun.objects.published().filter(round=tender_round).first()
    drops_ceiling = []
    if run is not None:
        for outcome in AwardOutcome.objects.filter(run=run, won=True).select_related("group"):
            price = outcome.winning_price
            drops_ceiling.append(1 - price / outcome.group.ceiling_price)
    groups = {}
    saved_agreed = saved_purchased = Decimal(0)
    spent_agreed = spent_purchased = Decimal(0)
    drop_sum, drop_count = Decimal(0), 0
    group_of = {group.pk: group for group in tender_round.groups.all()}
    for group_id, sums in sorted(_agreement_sums(tender_round).items()):
        group = group_of[group_id]
        entry = {"group": group, "agreed": sums.agreed, "purchased": sums.purchased}
        spent_agreed += sums.agreed_at_price
        spent_purchased += sums.spent
        if group.pre_vbp_price is not None:
            # Σ q × (pre − p) = pre × Σ q − Σ q × p; the mean of (1 − p / pre) is 1 − Σ p / (pre × n).
            entry["saved_agreed"] = group.pre_vbp_price * sums.agreed - sums.agreed_at_price
            entry["saved_purchased"] = group.pre_vbp_price * sums.purchased - sums.purchased_at_price
            saved_agreed += entry["saved_agreed"]
            saved_purchased += entry["saved_purchased"]
            drop_sum += sums.agreements - sums.prices / group.pre_vbp_price
            drop_count += sums.agreements
        else:
            entry["saved_agreed"] = entry["saved_purchased"] = Decimal(0)
        groups[group_id] = entry
    for entry in groups.values():
        entry["saved_agreed"] = round_money(entry["saved_agreed"])
        entry["saved_purchased"] = round_money(entry["saved_purchased"])

    def average(values):
        return (sum(values) / len(values)).quantize(Decimal("0.0001")) if values else None

    # The average over agreements of each one's drop against the pre-VBP price.
    drop_vs_pre_vbp = (drop_sum / drop_count).quantize(Decimal("0.0001")) if drop_count else None

    return {
        "round": tender_round,
        "drop_vs_ceiling": average(drops_ceiling),
        "drop_vs_pre_vbp": drop_vs_pre_vbp,
        "saved_at_agreed": round_money(saved_agreed),
        "saved_at_purchases": round_money(saved_purchased),
        "spent_at_agreed": round_money(spent_agreed),
        "spent_at_purchases": round_money(spent_purchased),
        "groups": sorted(groups.values(), key=lambda entry: entry["group"].code),
    }
