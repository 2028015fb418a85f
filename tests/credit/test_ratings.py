"""The quarterly run: snapshots for every supplier, measures in line with the levels, safe to run twice, the same
in chunks as in one piece, and the same as the exchange-format engine."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, Notification
from credit import services
from credit.io.rating_format import rate_document
from credit.models import CreditRecord, Measure, RatingRun, RatingSnapshot
from tests.factories import SupplierFactory

from .conftest import confirm, enter

pytestmark = pytest.mark.django_db


def _counts():
    return (
        RatingSnapshot.objects.count(),
        Measure.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
        list(RatingSnapshot.objects.order_by("pk").values_list("level", "score", "counted_records")),
    )


def test_quarter_start():
    assert services.quarter_start(date(2026, 12, 1)) == date(2026, 10, 1)
    assert services.quarter_start(date(2027, 1, 1)) == date(2027, 1, 1)
    assert services.quarter_start(date(2026, 6, 30)) == date(2026, 4, 1)


def test_quarterly_run_rates_every_supplier_and_a_second_run_changes_nothing(
    run_quarter, credit_officer, supplier_org, other_supplier_org
):
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    as_of = timezone.localdate()
    run = run_quarter(actor=credit_officer, as_of=as_of)
    run.refresh_from_db()
    assert (run.status, run.suppliers_total, run.chunks_done) == ("done", 2, 1)
    levels = dict(RatingSnapshot.objects.filter(as_of=as_of).values_list("supplier_id", "level"))
    assert levels == {supplier_org.pk: "medium", other_supplier_org.pk: "none"}
    before = _counts()
    again = run_quarter(actor=credit_officer, as_of=as_of)
    assert again.pk == run.pk and again.status == "done" and again.changed == 0
    after = _counts()
    # Only the run's own start and finish are audited again; no rating, measure or notification changes.
    assert after[0:2] == before[0:2] and after[3:] == before[3:]
    assert after[2] - before[2] == 2


def test_level_change_notifies_the_supplier_once(run_quarter, credit_officer, supplier_org):
    run_quarter(actor=credit_officer, as_of=timezone.localdate() - timedelta(days=5))
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    assert Notification.objects.filter(organisation=supplier_org, kind="credit.level").count() == 1


def test_chunks_give_the_same_snapshots_as_one_piece(run_quarter, credit_officer):
    suppliers = SupplierFactory.create_batch(7)
    for index, supplier in enumerate(suppliers[:5]):
        confirm(credit_officer, enter(credit_officer, supplier, amount=str(20000 * (index + 1) ** 3)))
    today = timezone.localdate()
    run_quarter(actor=credit_officer, as_of=today, chunk_size=100)
    one = list(RatingSnapshot.objects.order_by("supplier").values_list("supplier", "level", "score", "explanation"))
    run = run_quarter(actor=credit_officer, as_of=today, chunk_size=2)
    assert (run.chunks_total, run.status, run.changed) == (4, "done", 0)
    many = list(RatingSnapshot.objects.order_by("supplier").values_list("supplier", "level", "score", "explanation"))
    assert one == many and len(many) == 7
    assert [level for _s, level, _score, _e in many].count("none") == 2


def test_a_redelivered_chunk_changes_nothing(run_quarter, credit_officer, supplier_org):
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000"))
    run = run_quarter(actor=credit_officer, as_of=timezone.localdate())
    before = _counts()
    services.rating_chunk_compute(run.pk, 0)
    assert _counts() == before


def test_several_records_combine_to_the_highest_level_and_the_score_sums(credit_officer, supplier_org, case_product):
    general = confirm(credit_officer, enter(credit_officer, supplier_org, amount="20000"))
    serious = confirm(
        credit_officer,
        enter(credit_officer, supplier_org, item="breach_contract", facts={"refused_to_sign": True}),
    )
    snapshot = RatingSnapshot.objects.get(supplier=supplier_org)
    assert snapshot.level == "serious"
    assert str(snapshot.score) == "60.0"
    assert snapshot.counted_records == sorted([general.reference, serious.reference])
    warning = Measure.objects.get(supplier=supplier_org, kind="written_warning")
    assert warning.records == sorted([general.reference, serious.reference]) and warning.level == "serious"
    assert Measure.objects.get(supplier=supplier_org, kind="restrict_bidding").records == [serious.reference]


def test_expiry_three_years_after_confirmation_lifts_the_measures(run_quarter, credit_officer, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    confirmed = date(2023, 5, 10)
    CreditRecord.objects.filter(pk=record.pk).update(confirmed_on=confirmed)
    run_quarter(actor=credit_officer, as_of=date(2026, 5, 9))
    assert RatingSnapshot.objects.get(supplier=supplier_org, as_of=date(2026, 5, 9)).level == "medium"
    run_quarter(actor=credit_officer, as_of=date(2026, 5, 10))
    snapshot = RatingSnapshot.objects.get(supplier=supplier_org, as_of=date(2026, 5, 10))
    assert (snapshot.level, snapshot.expired_records) == ("none", [record.reference])
    assert not Measure.objects.in_force(date(2026, 5, 10)).filter(supplier=supplier_org).exists()


def test_stored_run_agrees_with_the_exchange_format_engine(
    run_quarter, credit_officer, supplier_org, other_supplier_org
):
    first = confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    second = confirm(credit_officer, enter(credit_officer, other_supplier_org, item="tax", amount="2000000"))
    as_of = timezone.localdate()
    run_quarter(actor=credit_officer, as_of=as_of)
    document = {
        "as_of": as_of.isoformat(),
        "records": [
            {
                "id": r.reference,
                "supplier": str(r.supplier_id),
                "item": r.item,
                "amount": str(r.amount),
                "confirmed": r.confirmed_on.isoformat(),
                "facts": r.facts,
            }
            for r in (first, second)
        ],
    }
    expected = {row["supplier"]: row for row in rate_document(document)["suppliers"]}
    for snapshot in RatingSnapshot.objects.filter(as_of=as_of):
        row = expected[str(snapshot.supplier_id)]
        assert (snapshot.level, str(snapshot.score), snapshot.measures, snapshot.explanation) == (
            row["level"],
            row["score"],
            row["measures"],
            row["explanation"],
        )


def test_run_in_progress_is_returned_not_restarted(run_quarter, credit_officer, supplier_org):
    from credit.services.records import catalog_in_force

    run = RatingRun.objects.create(
        as_of=timezone.localdate(),
        catalog_version=catalog_in_force(),
        status="running",
        chunks_total=1,
        chunk_bounds=[[supplier_org.pk, supplier_org.pk]],
    )
    assert run_quarter(actor=credit_officer, as_of=run.as_of).pk == run.pk
    assert not RatingSnapshot.objects.exists()
    # The beat task re-sends the chunks of a run whose tasks vanished: silent for longer than the threshold,
    # however old the run (a long run that progresses is left alone).
    RatingRun.objects.filter(pk=run.pk).update(
        requested_at=timezone.now() - timedelta(hours=1), progressed_at=timezone.now()
    )
    assert services.redispatch_stale_rating_runs() == 0
    RatingRun.objects.filter(pk=run.pk).update(progressed_at=timezone.now() - timedelta(minutes=3))
    assert services.redispatch_stale_rating_runs() == 1
    run.refresh_from_db()
    assert run.status == "done" and RatingSnapshot.objects.filter(supplier=supplier_org).exists()


def test_future_dates_and_other_roles_are_refused(run_quarter, officer, credit_officer):
    from credit.exceptions import CreditError

    with pytest.raises(CreditError):
        run_quarter(actor=officer)
    with pytest.raises(CreditError):
        run_quarter(actor=credit_officer, as_of=timezone.localdate() + timedelta(days=1))
    assert not RatingRun.objects.exists()


def test_each_re_rating_is_audited_with_the_rating_and_measure_changes(credit_officer, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    entry = AuditEntry.objects.get(action="credit.rating")
    assert entry.actor == credit_officer and entry.before is None
    assert (entry.after["level"], entry.after["counted_records"]) == ("medium", [record.reference])
    started = {change["after"]["kind"] for change in entry.after["measures_changed"] if change["action"] == "start"}
    assert started == {"written_warning", "risk_notice"}
    services.record_revoke(actor=credit_officer, record=record, reason="Revoked by the court")
    revoked = AuditEntry.objects.filter(action="credit.rating").order_by("-id").first()
    assert (revoked.before["level"], revoked.after["level"]) == ("medium", "none")
    assert {change["action"] for change in revoked.after["measures_changed"]} == {"lift"}
