"""Reads of the completion dashboards, alerts and settlement that pages, API and exports share. They read the
rollups and the agreements' own counters, never aggregate the raw purchase lines of the whole round."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Round
from django.utils import timezone

from accounts.models import Organisation, Region
from core.money import SUM_FIELD, database_sums_money_exactly, round_money

from ..engines import completion
from ..models import CompletionRollup, Contract, Delivery, HospitalRollup, PurchaseLine, TenderRound
from ..services.contracts import cycle_of


@dataclass
class Row:
    key: object
    label: str
    agreed: int
    purchased: int
    substitution: int = 0
    amount: Decimal = Decimal(0)
    delivered_on_time: int = 0
    progress: completion.Progress | None = None
    delivery_rate: Decimal | None = None

    @property
    def rate_percent(self):
        return None if self.progress is None or self.progress.rate is None else self.progress.rate * 100


def _params(tender_round: TenderRound) -> dict:
    return completion.parameters(tender_round.rule_set.parameters)


def _with_progress(rows: list[Row], tender_round: TenderRound, today: date) -> list[Row]:
    start, end = cycle_of(tender_round)
    params = _params(tender_round)
    for row in rows:
        row.progress = completion.progress(
            purchased=row.purchased, agreed=row.agreed, start=start, end=end, today=today, params=params
        )
        row.delivery_rate = completion.delivery_rate(row.delivered_on_time, row.purchased)
    return rows


def _rollup_rows(tender_round: TenderRound, by: str, labels: dict, today: date, **filters) -> list[Row]:
    rows = (
        CompletionRollup.objects.filter(round=tender_round, **filters)
        .values(by)
        .annotate(
            agreed=Sum("agreed_quantity"),
            purchased=Sum("purchased_quantity"),
            substitution=Sum("substitution_quantity"),
            amount=Sum("purchased_amount"),
            on_time=Sum("delivered_on_time_quantity"),
        )
        .order_by(by)
    )
    return _with_progress(
        [
            Row(r[by], labels.get(r[by], str(r[by])), r["agreed"] or 0, r["purchased"] or 0, r["substitution"] or 0,
                r["amount"] or Decimal(0), r["on_time"] or 0)
            for r in rows
        ],
        tender_round,
        today,
    )  # fmt: skip


def completion_overview(tender_round: TenderRound, today: date | None = None) -> dict:
    """The province total, then per city, group and supplier (officer dashboard, first level)."""
    today = today or timezone.localdate()
    regions = dict(Region.objects.values_list("pk", "name"))
    groups = {g.pk: f"{g.code} {g.generic_name}" for g in tender_round.groups.all()}
    suppliers = dict(Organisation.objects.suppliers().values_list("pk", "name"))
    total = CompletionRollup.objects.filter(round=tender_round).aggregate(
        agreed=Sum("agreed_quantity"), purchased=Sum("purchased_quantity"), substitution=Sum("substitution_quantity"),
        amount=Sum("purchased_amount"), on_time=Sum("delivered_on_time_quantity"),
    )  # fmt: skip
    province = _with_progress(
        [Row("total", str(tender_round), total["agreed"] or 0, total["purchased"] or 0, total["substitution"] or 0,
             total["amount"] or Decimal(0), total["on_time"] or 0)],
        tender_round, today,
    )[0]  # fmt: skip
    start, end = cycle_of(tender_round)
    return {
        "province": province,
        "cities": _rollup_rows(tender_round, "region", regions, today),
        "groups": _rollup_rows(tender_round, "group", groups, today),
        "suppliers": _rollup_rows(tender_round, "supplier", suppliers, today),
        "cycle": (start, end),
        "expected": completion.expected_progress(today, start, end),
    }


def city_hospitals(tender_round: TenderRound, region: Region, today: date | None = None) -> list[Row]:
    today = today or timezone.localdate()
    names = dict(Organisation.objects.hospitals().filter(region=region).values_list("pk", "name"))
    rows = [
        Row(r.hospital_id, names.get(r.hospital_id, str(r.hospital_id)), r.agreed_quantity, r.purchased_quantity,
            r.substitution_quantity, r.purchased_amount)
        for r in HospitalRollup.objects.filter(round=tender_round, region=region).order_by("hospital_id")
    ]  # fmt: skip
    return _with_progress(rows, tender_round, today)


def contract_rows(contracts, today: date | None = None) -> list[Contract]:
    """Agreements with their time-adjusted progress and delivery rate (``contract.progress``)."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    params_of = {}
    for contract in contracts:
        tender_round = contract.round
        if tender_round.pk not in params_of:
            params_of[tender_round.pk] = _params(tender_round)
        contract.progress = completion.progress(
            purchased=contract.purchased_quantity, agreed=contract.agreed_quantity, start=contract.cycle_start,
            end=contract.cycle_end, today=today, params=params_of[tender_round.pk],
        )  # fmt: skip
        contract.delivery_rate = completion.delivery_rate(
            contract.delivered_on_time_quantity, contract.purchased_quantity
        )
    return contracts


def alerts(tender_round: TenderRound, today: date | None = None, limit: int = 200) -> dict:
    """Agreements behind the expected curve by more than the margin, forecasts that miss 100 %, hospitals with no
    report for the configured days, suppliers under the delivery-rate threshold."""
    today = today or timezone.localdate()
    params = _params(tender_round)
    start, end = cycle_of(tender_round)
    expected = completion.expected_progress(today, start, end)
    margin = Decimal(str(params["completion_margin"]))
    grace_over = today >= start + timedelta(days=int(params["completion_grace_days"]))
    active = Contract.objects.filter(
        round=tender_round, status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED]
    ).select_related("hospital", "supplier", "group", "round__rule_set")
    behind, will_miss = Contract.objects.none(), Contract.objects.none()
    if grace_over:
        threshold = max(expected - margin, Decimal(0))
        behind = active.filter(purchased_quantity__lt=F("agreed_quantity") * threshold)
        will_miss = active.filter(purchased_quantity__lt=F("agreed_quantity") * expected)
    silent_since = today - timedelta(days=int(params["no_report_days"]))
    silent = (
        HospitalRollup.objects.filter(round=tender_round, agreed_quantity__gt=0)
        .filter(Q(last_report_on__isnull=True) | Q(last_report_on__lt=silent_since))
        .select_related("hospital")
        if today >= start + timedelta(days=int(params["no_report_days"]))
        else HospitalRollup.objects.none()
    )
    warning = Decimal(str(params["delivery_rate_warning"]))
    low_delivery = [
        row for row in completion_overview(tender_round, today)["suppliers"]
        if row.delivery_rate is not None and row.delivery_rate < warning
    ]  # fmt: skip
    from django.core.cache import cache

    def counts():
        return {"behind": behind.count(), "will_miss": will_miss.count(), "silent": silent.count()}

    # Counting every agreement of a national round on each view costs seconds: the counts are kept for ten
    # minutes per round and day (the lists below stay live).
    counted = cache.get_or_set(f"completion-alert-counts:{tender_round.pk}:{today.isoformat()}", counts, 600)
    return {
        # The ids first, without joins: the database stops after ``limit`` matches in id order; then the rows.
        "behind": contract_rows(
            Contract.objects.filter(pk__in=list(behind.order_by("pk").values_list("pk", flat=True)[:limit]))
            .select_related("hospital", "supplier", "group", "round__rule_set")
            .order_by("pk"),
            today,
        ),
        "behind_count": counted["behind"],
        "will_miss_count": counted["will_miss"],
        "silent": list(silent.order_by("pk")[:limit]),
        "silent_count": counted["silent"],
        "low_delivery": low_delivery,
        "expected": expected,
        "margin": margin,
    }


def direct_settlement(period_start: date, period_end: date, supplier: Organisation | None = None) -> list[dict]:
    """医保基金直接结算: per supplier, the confirmed deliveries received in the period at the agreed price. Each
    delivery's amount is rounded to the fen (half up) and then summed."""
    deliveries = Delivery.objects.filter(received_on__range=(period_start, period_end))
    if supplier is not None:
        deliveries = deliveries.filter(supplier=supplier)
    totals = defaultdict(lambda: {"deliveries": 0, "quantity": 0, "amount": Decimal(0)})
    if database_sums_money_exactly():
        # The database rounds each delivery's amount (numeric ROUND: half away from zero, i.e. half up for these
        # positive amounts) and sums per supplier, instead of a walk over every delivery of the period.
        per_supplier = (
            deliveries.values("supplier_id")
            .order_by("supplier_id")
            .annotate(
                count=Count("pk"),
                total_quantity=Sum("quantity"),
                amount=Sum(Round(F("contract__unit_price") * F("quantity"), 2), output_field=SUM_FIELD),
            )
        )
        for row in per_supplier:
            totals[row["supplier_id"]] = {
                "deliveries": row["count"], "quantity": row["total_quantity"], "amount": row["amount"],
            }  # fmt: skip
    else:
        for supplier_id, quantity, price in deliveries.values_list("supplier_id", "quantity", "contract__unit_price"):
            row = totals[supplier_id]
            row["deliveries"] += 1
            row["quantity"] += quantity
            row["amount"] += round_money(price * quantity)
    names = Organisation.objects.in_bulk(list(totals))
    return [{"supplier": names[pk], **totals[pk]} for pk in sorted(totals, key=lambda pk: names[pk].code)]


def prepayments(tender_round: TenderRound, hospital: Organisation | None = None) -> list[dict]:
    """The fund's prepayment per hospital at cycle start: the share of its annual agreed purchase amount (agreed
    quantity × agreed price, scaled from the cycle to twelve months), to the fen."""
    params = _params(tender_round)
    contracts = Contract.objects.filter(
        round=tender_round, status__in=[Contract.Status.PENDING, Contract.Status.CONFIRMED]
    )
    if hospital is not None:
        contracts = contracts.filter(hospital=hospital)
    amounts = defaultdict(Decimal)
    if database_sums_money_exactly():  # 100 000 agreements in a national round: one grouped sum, not a walk
        per_hospital = contracts.values("hospital_id").order_by("hospital_id")
        for row in per_hospital.annotate(amount=Sum(F("agreed_quantity") * F("unit_price"), output_field=SUM_FIELD)):
            amounts[row["hospital_id"]] = row["amount"]
    else:
        columns = ("hospital_id", "agreed_quantity", "unit_price")
        for hospital_id, quantity, price in contracts.values_list(*columns).iterator(5000):
            amounts[hospital_id] += Decimal(quantity) * price
    months = Decimal(tender_round.cycle_months)
    names = dict(Organisation.objects.filter(pk__in=amounts).values_list("pk", "name"))
    rows = []
    for hospital_id in sorted(amounts, key=lambda pk: names[pk]):
        annual = round_money(amounts[hospital_id] * 12 / months)
        rows.append(
            {
                "hospital_id": hospital_id,
                "hospital": names[hospital_id],
                "annual_agreed_amount": annual,
                "share": Decimal(str(params["prepayment_share"])),
                "prepayment": completion.prepayment(annual, params),
            }
        )
    return rows


def savings_retention(tender_round: TenderRound, hospital: Organisation) -> list[dict]:
    """结余留用 per group for one hospital: budget (pre-VBP reference price × agreed quantity), actual spending
    (its purchases of the group: agreements and substitution), savings, completion band and the share kept."""
    params = _params(tender_round)
    rows = []
    contracts = Contract.objects.filter(round=tender_round, hospital=hospital).select_related("group")
    per_group = defaultdict(lambda: {"agreed": 0, "purchased": 0, "spending": Decimal(0), "group": None})
    for contract in contracts:
        entry = per_group[contract.group_id]
        entry["group"] = contract.group
        if contract.is_active or contract.status == Contract.Status.TERMINATED:
            entry["agreed"] += contract.agreed_quantity
        entry["purchased"] += contract.purchased_quantity
        entry["spending"] += contract.purchased_amount
    substitution = dict(
        PurchaseLine.objects.filter(hospital=hospital, group_id__in=per_group, kind=PurchaseLine.Kind.SUBSTITUTION)
        .values_list("group_id")
        .annotate(total=Sum("amount"))
        .values_list("group_id", "total")
    )
    for group_id, entry in sorted(per_group.items(), key=lambda item: item[1]["group"].code):
        group = entry["group"]
        if group.pre_vbp_price is None:
            rows.append({"group": group, "missing_reference": True})
            continue
        spending = entry["spending"] + (substitution.get(group_id) or Decimal(0))
        result = completion.savings_retention(
            reference_price=group.pre_vbp_price, agreed=entry["agreed"], spending=spending,
            purchased=entry["purchased"], params=params,
        )  # fmt: skip
        rows.append({"group": group, "missing_reference": False, "result": result, "agreed": entry["agreed"]})
    return rows
