"""Agreements from the published award, confirmation, supply failure to the backup winner, renewal; purchase reports:
matching, substitution, all-or-nothing with line numbers, idempotent retries, credit suspension, and rollups that
equal a recomputation from the raw lines."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEntry, User
from core.money import round_money
from procurement.exceptions import IdempotencyKeyReused, ProcurementError
from procurement.models import (
    AllocationLine,
    AwardRun,
    CompletionRollup,
    Contract,
    HospitalRollup,
    Product,
    PurchaseLine,
    PurchaseMonthRollup,
    PurchaseUpload,
    TenderRound,
)
from procurement.services import award as award_services
from procurement.services.contracts import (
    contract_confirm,
    contract_renew,
    contracts_confirm_bulk,
    contracts_generate,
    supply_failure_record,
)
from procurement.services.purchases import purchase_report, rows_from_file, rows_from_records

pytestmark = pytest.mark.django_db


def user(name):
    return User.objects.get(username=name)


@pytest.fixture
def awarded_round(db, django_capture_on_commit_callbacks):
    call_command("load_demo", stdout=None)
    tender_round = TenderRound.objects.get(code="GY-2025-09")
    officer = user("officer")
    with django_capture_on_commit_callbacks(execute=True):
        run = award_services.award_compute(actor=officer, tender_round=tender_round)
    run.refresh_from_db()
    award_services.award_publish(actor=officer, run=run)
    # The cycle began a month ago, so that orders of the last weeks fall inside it.
    TenderRound.objects.filter(pk=tender_round.pk).update(cycle_starts_on=timezone.localdate() - timedelta(days=30))
    tender_round.refresh_from_db()
    return tender_round


@pytest.fixture
def contracted_round(awarded_round):
    contracts_generate(actor=user("officer"), tender_round=awarded_round)
    awarded_round.refresh_from_db()
    return awarded_round


def report(hospital_user, rows, key="k1"):
    parsed, errors = rows_from_records(rows)
    return purchase_report(
        actor=hospital_user, hospital=hospital_user.organisation, rows=parsed, errors=errors, source="api",
        idempotency_key=key,
    )  # fmt: skip


def line_for(contract, quantity=100, order="PO-1", **extra):
    return {
        "order_number": order,
        "ordered_on": (contract.cycle_start + timedelta(days=1)).isoformat(),
        "product": contract.product.national_drug_code,
        "quantity": quantity,
        "unit_price": str(contract.unit_price),
        **extra,
    }


def test_agreements_follow_the_published_allocation(awarded_round):
    count = contracts_generate(actor=user("officer"), tender_round=awarded_round)
    run = AwardRun.objects.published().get(round=awarded_round)
    assert count == AllocationLine.objects.filter(run=run).count() > 0
    assert (
        Contract.objects.filter(round__code="GY-2025-09").aggregate(total=Sum("agreed_quantity"))["total"]
        == run.agreed_total
    )
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("product").first()
    assert contract.unit_price == contract.unit_price.quantize(Decimal("0.0001")) and contract.unit_price > 0
    awarded_round.refresh_from_db()
    assert awarded_round.status == "in_effect"
    assert contracts_generate(actor=user("officer"), tender_round=awarded_round) == 0
    assert (
        CompletionRollup.objects.filter(round__code="GY-2025-09").aggregate(total=Sum("agreed_quantity"))["total"]
        == run.agreed_total
    )
    assert (
        HospitalRollup.objects.filter(round__code="GY-2025-09").aggregate(total=Sum("agreed_quantity"))["total"]
        == run.agreed_total
    )


def test_only_officers_generate_and_only_after_publication(db):
    call_command("load_demo", stdout=None)
    tender_round = TenderRound.objects.get(code="GY-2025-09")
    with pytest.raises(ProcurementError):
        contracts_generate(actor=user("hospital1"), tender_round=tender_round)
    with pytest.raises(ProcurementError) as error:
        contracts_generate(actor=user("officer"), tender_round=tender_round)
    assert error.value.code == "not_awarded"


def test_both_parties_confirm_or_the_officer_in_bulk(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    supplier_user = User.objects.get(organisation=contract.supplier)
    other = User.objects.filter(role="hospital_user").exclude(organisation=contract.hospital).first()
    with pytest.raises(ProcurementError):
        contract_confirm(actor=other, contract=contract)
    assert contract_confirm(actor=hospital_user, contract=contract).status == "pending"
    assert contract_confirm(actor=supplier_user, contract=contract).status == "confirmed"
    pending = Contract.objects.filter(round__code="GY-2025-09").filter(status="pending").count()
    assert (
        contracts_confirm_bulk(
            actor=user("officer"), contracts=Contract.objects.filter(round__code="GY-2025-09").all()
        )
        == pending
    )
    assert not Contract.objects.filter(round__code="GY-2025-09").filter(status="pending").exists()


def test_purchases_match_agreements_and_move_the_rollups(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product", "group").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    result = report(hospital_user, [line_for(contract, 300)])
    assert result.upload.status == "accepted" and result.upload.lines == 1
    contract.refresh_from_db()
    assert contract.purchased_quantity == 300
    assert contract.purchased_amount == (contract.unit_price * 300).quantize(Decimal("0.01"))
    line = PurchaseLine.objects.exclude(order_number__startswith="DEMO-").get()
    assert (line.kind, line.contract_id) == ("contract", contract.pk)
    rollup = HospitalRollup.objects.get(round=contracted_round, hospital=contract.hospital)
    assert rollup.purchased_quantity == 300 and rollup.last_report_on == contract.cycle_start + timedelta(days=1)


def test_a_non_winning_product_of_the_group_is_substitution(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "group").first()
    loser = (
        Product.objects.filter(generic_name=contract.group.generic_name, dosage_form=contract.group.dosage_form)
        .exclude(pk=contract.product_id)
        .exclude(
            pk__in=Contract.objects.filter(round__code="GY-2025-09")
            .filter(hospital=contract.hospital)
            .values("product_id")
        )
        .first()
    )
    if loser is None:
        loser = Product.objects.create(
            national_drug_code="SUBST-1", generic_name=contract.group.generic_name,
            dosage_form=contract.group.dosage_form, strength_amount=1, strength_unit="mg", pack_size=10,
            smallest_unit=contract.group.smallest_unit, quality_tier="other", holder=contract.supplier,
        )  # fmt: skip
    hospital_user = User.objects.get(organisation=contract.hospital)
    row = {**line_for(contract, 50), "product": loser.national_drug_code, "unit_price": "9.9"}
    assert report(hospital_user, [row]).upload.substitution_lines == 1
    line = PurchaseLine.objects.exclude(order_number__startswith="DEMO-").get()
    assert (line.kind, line.group_id, line.contract_id) == ("substitution", contract.group_id, None)
    assert HospitalRollup.objects.get(round=contracted_round, hospital=contract.hospital).substitution_quantity == 50


def test_a_bad_row_rejects_the_whole_report_with_line_numbers(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    rows = [
        line_for(contract, 10, "PO-1"),
        line_for(contract, 0, "PO-2"),
        line_for(contract, 10, "PO-3", unit_price="0.0001"),
        line_for(contract, 10, "PO-4", product="NOPE"),
        line_for(contract, 10, "PO-1"),
    ]
    upload = report(hospital_user, rows).upload
    assert upload.status == "rejected"
    assert [(e["line"], e["column"]) for e in upload.errors] == [
        (2, "quantity"), (3, "unit_price"), (4, "product"), (5, "order_number"),
    ]  # fmt: skip
    assert not PurchaseLine.objects.exclude(order_number__startswith="DEMO-").exists()
    contract.refresh_from_db()
    assert contract.purchased_quantity == 0


def test_retries_replay_and_a_reused_key_is_refused(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    first = report(hospital_user, [line_for(contract, 10)], key="same")
    again = report(hospital_user, [line_for(contract, 10)], key="same")
    assert (
        again.replayed
        and again.upload.pk == first.upload.pk
        and PurchaseLine.objects.exclude(order_number__startswith="DEMO-").count() == 1
    )
    with pytest.raises(IdempotencyKeyReused):
        report(hospital_user, [line_for(contract, 11)], key="same")
    duplicate = report(hospital_user, [line_for(contract, 10)], key="other").upload
    assert duplicate.status == "rejected" and duplicate.errors[0]["message"] == "This order line was already reported."
    contract.refresh_from_db()
    assert contract.purchased_quantity == 10


def test_the_agreed_price_is_binding(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    upload = report(hospital_user, [line_for(contract, 10, unit_price=str(contract.unit_price + 1))]).upload
    assert upload.status == "rejected" and "agreed price" in upload.errors[0]["message"]


def test_a_credit_suspension_refuses_the_purchase(contracted_round):
    from tests.credit.conftest import confirm, enter

    contract = (
        Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product", "supplier").first()
    )
    credit = user("credit")
    record = confirm(credit, enter(credit, contract.supplier, amount="400000", products=[contract.product]))
    from credit.models import Measure

    Measure.objects.update(starts_on=timezone.localdate() - timedelta(days=400))
    hospital_user = User.objects.get(organisation=contract.hospital)
    upload = report(hospital_user, [line_for(contract, 10)]).upload
    assert upload.status == "rejected"
    assert (
        "suspended by a credit measure" in upload.errors[0]["message"]
        and record.reference in upload.errors[0]["message"]
    )


def test_spreadsheet_rows_use_the_same_validation(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    csv = (
        "order_number,ordered_on,product,quantity,unit_price\n"
        f"PO-9,{contract.cycle_start + timedelta(days=2)},{contract.product.national_drug_code},"
        f"5,{contract.unit_price}\n"
        "PO-10,yesterday,X,5,1\n"
    ).encode()
    rows, errors = rows_from_file("purchases.csv", csv)
    assert [(e.line, e.column) for e in errors] == [(3, "Order date")]
    hospital_user = User.objects.get(organisation=contract.hospital)
    upload = purchase_report(
        actor=hospital_user, hospital=contract.hospital, rows=rows, errors=errors, source="spreadsheet",
        idempotency_key="file-1",
    ).upload  # fmt: skip
    assert upload.status == "rejected" and not PurchaseLine.objects.exclude(order_number__startswith="DEMO-").exists()


def test_rollups_equal_a_recomputation_from_the_raw_lines(contracted_round):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    contracts = list(Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product")[:6])
    counter = iter(range(10**6))

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.integers(0, len(contracts) - 1), st.integers(1, 500)), min_size=1, max_size=8))
    def check(picks):
        by_hospital = {}
        for index, quantity in picks:
            contract = contracts[index]
            by_hospital.setdefault(contract.hospital_id, []).append(
                line_for(contract, quantity, f"PO-{next(counter)}")
            )
        for hospital_id, rows in by_hospital.items():
            report(User.objects.get(organisation_id=hospital_id), rows, key=f"h-{next(counter)}")
        for contract in Contract.objects.filter(round__code="GY-2025-09").filter(pk__in=[c.pk for c in contracts]):
            raw = (
                PurchaseLine.objects.exclude(order_number__startswith="DEMO-")
                .filter(contract=contract)
                .aggregate(q=Sum("quantity"), a=Sum("amount"))
            )
            assert (contract.purchased_quantity, contract.purchased_amount) == (raw["q"] or 0, raw["a"] or 0)
        for rollup in HospitalRollup.objects.filter(round=contracted_round):
            raw = (
                PurchaseLine.objects.exclude(order_number__startswith="DEMO-")
                .filter(hospital=rollup.hospital_id, kind="contract")
                .aggregate(q=Sum("quantity"))
            )
            assert rollup.purchased_quantity == (raw["q"] or 0)
        for rollup in CompletionRollup.objects.filter(round=contracted_round):
            raw = (
                PurchaseLine.objects.exclude(order_number__startswith="DEMO-")
                .filter(
                    group=rollup.group_id,
                    supplier=rollup.supplier_id,
                    hospital__region=rollup.region_id,
                    kind="contract",
                )
                .aggregate(q=Sum("quantity"))
            )
            assert rollup.purchased_quantity == (raw["q"] or 0)
        # Every line (the demo's too: they were reported the same way) by hospital, month and kind.
        recomputed = {
            (row["hospital_id"], row["month"], row["kind"]): (row["q"], row["a"])
            for row in PurchaseLine.objects.annotate(month=TruncMonth("ordered_on"))
            .values("hospital_id", "month", "kind")
            .annotate(q=Sum("quantity"), a=Sum("amount"))
            .order_by()
        }
        stored = {
            (row.hospital_id, row.month, row.kind): (row.quantity, row.amount)
            for row in PurchaseMonthRollup.objects.all()
        }
        assert stored == recomputed

    check()


def test_supply_failure_moves_open_volume_to_the_backup_and_makes_a_credit_record(contracted_round):
    from credit.models import CreditRecord

    run = AwardRun.objects.published().get(round=contracted_round)
    group_result = run.group_results.select_related("group").order_by("-max_winners").first()
    group = group_result.group
    failing = (
        Contract.objects.filter(round__code="GY-2025-09")
        .filter(group=group)
        .select_related("region", "supplier", "hospital", "product")
        .first()
    )
    winners = run.outcomes.filter(group=group, won=True).count()
    if winners < 2:
        pytest.skip("the demo group has a single winner")
    hospital_user = User.objects.get(organisation=failing.hospital)
    report(hospital_user, [line_for(failing, 7)])
    region_total = (
        Contract.objects.filter(round__code="GY-2025-09")
        .filter(group=group, region=failing.region)
        .aggregate(t=Sum("agreed_quantity"))["t"]
    )
    failure = supply_failure_record(
        actor=user("officer"), tender_round=contracted_round, group=group, supplier=failing.supplier,
        region=failing.region, reason="Factory stopped by a GMP inspection", interruption_days=40,
    )  # fmt: skip
    assert failure.backup is not None and failure.backup != failing.supplier
    failing.refresh_from_db()
    assert (failing.status, failing.agreed_quantity) == ("terminated", 7)
    after = (
        Contract.objects.filter(round__code="GY-2025-09")
        .filter(group=group, region=failing.region)
        .aggregate(t=Sum("agreed_quantity"))["t"]
    )
    assert after == region_total  # volume conserved
    record = CreditRecord.objects.get(pk=failure.credit_record_id)
    assert (record.status, record.judged_level, record.source) == ("pending_review", "serious", "platform_event")
    assert AuditEntry.objects.filter(action="supply.failure").count() == 1


def test_renewal_in_the_last_90_days(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").first()
    with pytest.raises(ProcurementError) as error:
        contract_renew(actor=user("officer"), contract=contract, quantity=1000)
    assert error.value.code == "too_early"
    Contract.objects.filter(round__code="GY-2025-09").filter(pk=contract.pk).update(
        cycle_end=timezone.localdate() + timedelta(days=30)
    )
    contract.refresh_from_db()
    renewal = contract_renew(actor=user("officer"), contract=contract, quantity=1000)
    assert renewal.cycle_start == contract.cycle_end + timedelta(days=1) and renewal.agreed_quantity == 1000
    contract.refresh_from_db()
    assert contract.status == "ended" and renewal.renewal_of_id == contract.pk


def test_uploads_are_scoped(contracted_round):
    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "product").first()
    hospital_user = User.objects.get(organisation=contract.hospital)
    report(hospital_user, [line_for(contract, 1)])
    other = User.objects.filter(role="hospital_user").exclude(organisation=contract.hospital).first()
    assert not PurchaseUpload.objects.visible_to(other).exists()
    assert PurchaseUpload.objects.visible_to(hospital_user).exclude(idempotency_key__startswith="demo-").count() == 1
    assert not Contract.objects.filter(round__code="GY-2025-09").visible_to(other).filter(pk=contract.pk).exists()
    with pytest.raises(ProcurementError):
        purchase_report(actor=other, hospital=contract.hospital, rows=[], source="api", idempotency_key="x")


def test_deliveries_on_time_and_late_and_the_settlement(contracted_round):
    from procurement.selectors.contracts import completion_overview, direct_settlement
    from procurement.services.deliveries import delivery_confirm, delivery_record

    contract = (
        Contract.objects.filter(round__code="GY-2025-09")
        .select_related("hospital", "supplier", "product", "round")
        .first()
    )
    supplier_user = User.objects.get(organisation=contract.supplier)
    hospital_user = User.objects.get(organisation=contract.hospital)
    today = timezone.localdate()
    report(hospital_user, [line_for(contract, 200, "PO-A"), line_for(contract, 100, "PO-B")])
    lead = 3 if contract.hospital.region_id == contract.supplier.region_id else 5
    on_time = delivery_record(
        actor=supplier_user, contract=contract, order_number="PO-A", ordered_on=today - timedelta(days=10),
        shipped_on=today - timedelta(days=9), quantity=200,
    )  # fmt: skip
    assert on_time.due_on == today - timedelta(days=10 - lead)
    late = delivery_record(
        actor=supplier_user, contract=contract, order_number="PO-B", ordered_on=today - timedelta(days=20),
        shipped_on=today - timedelta(days=2), quantity=100,
    )  # fmt: skip
    with pytest.raises(ProcurementError):
        delivery_confirm(actor=supplier_user, delivery=on_time)
    delivery_confirm(actor=hospital_user, delivery=on_time, received_on=today - timedelta(days=8))
    delivery_confirm(actor=hospital_user, delivery=late, received_on=today - timedelta(days=1))
    delivery_confirm(actor=hospital_user, delivery=late)  # again: nothing changes
    contract.refresh_from_db()
    assert (contract.delivered_quantity, contract.delivered_on_time_quantity) == (300, 200)
    supplier_row = next(r for r in completion_overview(contracted_round)["suppliers"] if r.key == contract.supplier_id)
    assert supplier_row.delivered_on_time >= 200
    statement = direct_settlement(today - timedelta(days=30), today, supplier=contract.supplier)
    expected = (contract.unit_price * 200).quantize(Decimal("0.01")) + (contract.unit_price * 100).quantize(
        Decimal("0.01")
    )
    assert statement[0]["amount"] == expected and statement[0]["quantity"] == 300


def test_settlement_rounds_each_delivery_to_the_fen_half_up_then_sums(contracted_round):
    from procurement.selectors.contracts import direct_settlement
    from procurement.services.deliveries import delivery_confirm, delivery_record

    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "supplier").first()
    supplier_user = User.objects.get(organisation=contract.supplier)
    hospital_user = User.objects.get(organisation=contract.hospital)
    today = timezone.localdate()
    report(hospital_user, [line_for(contract, 2, "PO-T1"), line_for(contract, 6, "PO-T2")])
    for order_number, quantity in (("PO-T1", 2), ("PO-T2", 6)):
        delivery = delivery_record(
            actor=supplier_user, contract=contract, order_number=order_number, ordered_on=today - timedelta(days=3),
            shipped_on=today - timedelta(days=2), quantity=quantity,
        )  # fmt: skip
        delivery_confirm(actor=hospital_user, delivery=delivery, received_on=today - timedelta(days=1))
    Contract.objects.filter(pk=contract.pk).update(unit_price=Decimal("0.0125"))
    statement = direct_settlement(today - timedelta(days=1), today - timedelta(days=1), supplier=contract.supplier)
    # 0.025 → 0.03 and 0.075 → 0.08, each half up: 0.11 (rounding the sum, 0.100, would give 0.10)
    assert [(row["deliveries"], row["quantity"], row["amount"]) for row in statement] == [(2, 8, Decimal("0.11"))]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_prepayments_summed_by_the_database_equal_the_walk_over_every_agreement(contracted_round, data):
    from procurement.selectors.contracts import prepayments

    contracts = list(Contract.objects.filter(round=contracted_round))
    for contract in contracts:
        contract.agreed_quantity = data.draw(st.integers(0, 10**10))
        contract.unit_price = data.draw(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999"), places=4))
    Contract.objects.bulk_update(contracts, ["agreed_quantity", "unit_price"])
    walked = defaultdict(Decimal)
    for contract in contracts:
        if contract.status in (Contract.Status.PENDING, Contract.Status.CONFIRMED):
            walked[contract.hospital_id] += contract.agreed_quantity * contract.unit_price
    months = Decimal(contracted_round.cycle_months)
    rows = {row["hospital_id"]: row["annual_agreed_amount"] for row in prepayments(contracted_round)}
    assert rows == {hospital: round_money(amount * 12 / months) for hospital, amount in walked.items()}


def test_prepayment_and_savings_retention(contracted_round):
    from procurement.selectors.contracts import prepayments, savings_retention

    contract = Contract.objects.filter(round__code="GY-2025-09").select_related("hospital", "group").first()
    hospital = contract.hospital
    rows = {row["hospital_id"]: row for row in prepayments(contracted_round)}
    agreed_amount = sum(
        Decimal(c.agreed_quantity) * c.unit_price
        for c in Contract.objects.filter(round__code="GY-2025-09").filter(hospital=hospital)
    )
    annual = (agreed_amount * 12 / Decimal(contracted_round.cycle_months)).quantize(Decimal("0.01"))
    assert rows[hospital.pk]["annual_agreed_amount"] == annual
    assert rows[hospital.pk]["prepayment"] == (annual * Decimal("0.30")).quantize(Decimal("0.01"))
    group = contract.group
    group.pre_vbp_price = contract.unit_price * 3
    group.save(update_fields=["pre_vbp_price"])
    hospital_user = User.objects.get(organisation=hospital)
    report(hospital_user, [line_for(contract, contract.agreed_quantity)])
    entry = next(row for row in savings_retention(contracted_round, hospital) if row["group"] == group)
    result = entry["result"]
    agreed = (
        Contract.objects.filter(round__code="GY-2025-09")
        .filter(hospital=hospital, group=group)
        .aggregate(t=Sum("agreed_quantity"))["t"]
    )
    assert result.budget == (group.pre_vbp_price * agreed).quantize(Decimal("0.01"))
    assert result.spending == (contract.unit_price * contract.agreed_quantity).quantize(Decimal("0.01"))
    assert result.retained == (max(result.savings, 0) * result.share).quantize(Decimal("0.01"))


def test_alerts_after_the_grace_period(contracted_round):
    from procurement.selectors.contracts import alerts

    early = alerts(contracted_round)
    assert early["behind_count"] == 0  # 30 days into the cycle: within the first 60
    later = alerts(contracted_round, today=timezone.localdate() + timedelta(days=200))
    assert later["behind_count"] == Contract.objects.filter(round__code="GY-2025-09").count()
    assert (
        later["silent_count"] == HospitalRollup.objects.filter(round__code="GY-2025-09", agreed_quantity__gt=0).count()
    )


def test_the_agreement_workflow_is_exactly_the_documented_table():
    from procurement.models.contracts import CONTRACT_WORKFLOW

    assert CONTRACT_WORKFLOW.transitions(Contract.Status.values) == {
        "pending": {"confirmed", "terminated", "ended"},
        "confirmed": {"terminated", "ended"},
        "terminated": set(),
        "ended": set(),
    }
    in_force = {status for status in Contract.Status.values if Contract(status=status).is_active}
    assert in_force == {"pending", "confirmed"}
