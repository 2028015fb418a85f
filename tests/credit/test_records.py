"""The record procedure: entry, notice, defence in working days, decision, re-rating with measures after the
rectification period, revocation, platform events, self-reports, tips and repair."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, Notification
from credit import services
from credit.exceptions import CreditError
from credit.models import CreditRecord, Measure, RatingSnapshot, RepairApplication, Tip

from .conftest import back_date, confirm, enter

pytestmark = pytest.mark.django_db


def test_officer_entry_publishes_the_notice_with_the_judged_level(credit_officer, supplier_org):
    record = enter(credit_officer, supplier_org, amount="150000")
    assert record.status == CreditRecord.Status.NOTIFIED
    assert record.judged_level == "medium"
    assert record.judged_rule == "kickback: single payment 100,000 to under 300,000 yuan → medium"
    assert record.catalog_version.code == "2020"
    notice = Notification.objects.get(organisation=supplier_org, kind="credit.notice")
    assert notice.params["due"] == record.defence_due().isoformat()
    assert AuditEntry.objects.filter(action="credit.record.create", object_id=str(record.pk)).count() == 1


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"amount": "9999.99"}, "no_level"),
        ({"document_number": ""}, "document_number"),
        ({"facts": {"cumulative": "lots"}}, "facts"),
        ({"facts": {"rounds": 2}}, "facts"),
        ({"amount": "-5"}, "amount"),
    ],
)
def test_bad_entries_are_refused_and_store_nothing(credit_officer, supplier_org, values, code):
    with pytest.raises(CreditError) as error:
        enter(credit_officer, supplier_org, **values)
    assert error.value.code == code
    assert not CreditRecord.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="credit.").exists()


def test_only_credit_officers_enter_records(officer, supplier_user, supplier_org):
    for actor in (officer, supplier_user):
        with pytest.raises(CreditError):
            enter(actor, supplier_org)
    assert not CreditRecord.objects.exists()


def test_supplier_defends_within_the_window_and_the_officer_upholds(credit_officer, supplier_user, supplier_org):
    record = enter(credit_officer, supplier_org)
    record = services.notice_open(actor=supplier_user, record=record)
    assert record.served_on() == timezone.localdate()
    with pytest.raises(CreditError) as early:
        services.record_decide(actor=credit_officer, record=record, decision="upheld", reason="x")
    assert early.value.code == "defence_window_open"
    record = services.defence_file(actor=supplier_user, record=record, statement="The payment was a conference fee.")
    assert record.status == CreditRecord.Status.DEFENCE_FILED
    record = services.record_decide(
        actor=credit_officer, record=record, decision="upheld", reason="The invoices show no conference."
    )
    assert record.status == CreditRecord.Status.CONFIRMED
    assert record.confirmed_on == timezone.localdate()
    snapshot = RatingSnapshot.objects.get(supplier=supplier_org, as_of=timezone.localdate())
    assert (snapshot.level, snapshot.score, snapshot.counted_records) == (
        "medium",
        Decimal("25.0"),
        [record.reference],
    )
    assert snapshot.explanation == [{"record": record.reference, "rule": record.judged_rule}]
    measures = {m.kind: m for m in Measure.objects.filter(supplier=supplier_org)}
    assert set(measures) == {"written_warning", "risk_notice"}
    # Measures wait for the 30-day rectification period and end when the record expires.
    assert {m.starts_on for m in measures.values()} == {timezone.localdate() + timedelta(days=30)}
    assert {m.ends_on for m in measures.values()} == {record.expires_on()}
    assert not Measure.objects.in_force().exists()
    assert Measure.objects.in_force(timezone.localdate() + timedelta(days=30)).count() == 2


def test_a_defence_after_the_window_is_refused(credit_officer, supplier_user, supplier_org):
    record = back_date(enter(credit_officer, supplier_org), 40)
    with pytest.raises(CreditError) as error:
        services.defence_file(actor=supplier_user, record=record, statement="Late words.")
    assert error.value.code == "defence_window_closed"
    record.refresh_from_db()
    assert record.status == CreditRecord.Status.NOTIFIED


def test_an_unopened_notice_is_deemed_served_after_15_days(credit_officer, supplier_org):
    record = enter(credit_officer, supplier_org)
    published = timezone.localdate(record.notice_published_at)
    assert record.served_on() == published + timedelta(days=15)


def test_another_supplier_cannot_defend(credit_officer, other_supplier_user, supplier_org):
    record = enter(credit_officer, supplier_org)
    with pytest.raises(CreditError):
        services.defence_file(actor=other_supplier_user, record=record, statement="Not mine.")


def test_amend_rejudges_and_dismiss_keeps_the_rating_clean(credit_officer, supplier_org):
    record = back_date(enter(credit_officer, supplier_org, amount="150000"), 60)
    record = services.record_decide(
        actor=credit_officer, record=record, decision="amended", reason="Bank records", amount="350000"
    )
    assert (record.judged_level, record.status) == ("serious", "confirmed")
    assert RatingSnapshot.objects.get(supplier=supplier_org).level == "serious"
    other = back_date(enter(credit_officer, supplier_org, amount="50000"), 60)
    other = services.record_decide(actor=credit_officer, record=other, decision="dismissed", reason="No evidence")
    assert other.status == "dismissed" and other.confirmed_on is None


def test_serious_record_restricts_only_the_products_in_the_case(
    credit_officer, supplier_org, case_product, other_own_product
):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000", products=[case_product]))
    bidding = Measure.objects.get(supplier=supplier_org, kind="restrict_bidding")
    assert list(bidding.products.all()) == [case_product] and not bidding.all_products
    assert bidding.records == [record.reference]
    assert set(Measure.objects.filter(supplier=supplier_org).values_list("kind", flat=True)) == {
        "written_warning",
        "risk_notice",
        "restrict_listing",
        "restrict_bidding",
        "restrict_delivery",
        "restrict_purchase",
        "public_disclosure",
    }


def test_revocation_stops_the_record_counting_and_lifts_its_measures(credit_officer, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000"))
    record = services.record_revoke(actor=credit_officer, record=record, reason="Penalty revoked on review")
    snapshot = RatingSnapshot.objects.get(supplier=supplier_org)
    assert (snapshot.level, snapshot.revoked_records) == ("none", [record.reference])
    assert not Measure.objects.filter(supplier=supplier_org, lifted_on__isnull=True).exists()
    assert set(Measure.objects.values_list("lifted_on", flat=True)) == {timezone.localdate()}


def test_platform_event_makes_one_record_waiting_for_review(credit_officer, supplier_org, case_product):
    values = {
        "event_key": "supply-failure:contract-17:2026-11",
        "supplier": supplier_org,
        "item": "breach_contract",
        "occurred_on": timezone.localdate(),
        "facts": {"interruption_days": 8},
        "description": "No delivery for 8 days in 长沙市.",
        "products": [case_product],
    }
    first = services.record_platform_event(**values)
    again = services.record_platform_event(**values)
    assert first.pk == again.pk and CreditRecord.objects.count() == 1
    assert (first.status, first.judged_level) == ("pending_review", "medium")
    assert not Notification.objects.filter(kind="credit.notice").exists()
    services.record_notify(actor=credit_officer, record=first)
    assert Notification.objects.filter(kind="credit.notice", organisation=supplier_org).count() == 1
    below = services.record_platform_event(**{**values, "event_key": "late:1", "facts": {"delivery_rate": "0.96"}})
    assert below is None and CreditRecord.objects.count() == 1


def test_self_report_waits_for_review(supplier_user, supplier_org, credit_officer):
    record = services.record_create(
        actor=supplier_user,
        supplier=supplier_org,
        item="tax",
        occurred_on=timezone.localdate() - timedelta(days=10),
        source=CreditRecord.Source.SELF_REPORT,
        amount="20000",
        description="Invoices from a shell company.",
    )
    assert (record.status, record.judged_level) == ("pending_review", "general")
    dismissed = services.record_decide(actor=credit_officer, record=record, decision="dismissed", reason="Corrected")
    assert dismissed.status == "dismissed"


def test_tip_is_reviewed_before_it_becomes_a_record(credit_officer, supplier_org):
    tip = services.tip_submit(
        supplier_name=supplier_org.name, item="kickback", description="Cash paid to a pharmacy director."
    )
    assert not CreditRecord.objects.exists()
    tip = services.tip_review(
        actor=credit_officer,
        tip=tip,
        accept=True,
        reason="Confirmed by inspection",
        supplier=supplier_org,
        amount="20000",
    )
    assert tip.status == Tip.Status.ACCEPTED
    assert (tip.record.source, tip.record.status, tip.record.judged_level) == ("public_tip", "notified", "general")
    rejected = services.tip_review(
        actor=credit_officer,
        tip=services.tip_submit(supplier_name="Someone", item="other", description="Rumours without detail."),
        accept=False,
        reason="No facts",
    )
    assert rejected.status == Tip.Status.REJECTED and rejected.record is None


def test_repair_needs_every_step_and_clears_the_record(credit_officer, supplier_user, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000"))
    with pytest.raises(CreditError) as error:
        services.repair_apply(
            actor=supplier_user, record=record, steps=["conduct_stopped"], statement="Done", commitment_accepted=True
        )
    assert error.value.code == "steps"
    steps = services.repair_steps_for(record)
    application = services.repair_apply(
        actor=supplier_user, record=record, steps=steps, statement="Report attached", commitment_accepted=True
    )
    with pytest.raises(CreditError):
        services.repair_apply(
            actor=supplier_user, record=record, steps=steps, statement="Again", commitment_accepted=True
        )
    application = services.repair_decide(actor=credit_officer, application=application, approve=True, reason="OK")
    assert application.status == RepairApplication.Status.APPROVED
    record.refresh_from_db()
    assert record.repaired_on == timezone.localdate()
    snapshot = RatingSnapshot.objects.get(supplier=supplier_org)
    assert (snapshot.level, snapshot.repaired_records) == ("none", [record.reference])
    assert not Measure.objects.in_force(timezone.localdate() + timedelta(days=31)).exists()


def test_rejected_repair_changes_nothing(credit_officer, supplier_user, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    application = services.repair_apply(
        actor=supplier_user,
        record=record,
        steps=services.repair_steps_for(record),
        statement="Report",
        commitment_accepted=True,
    )
    services.repair_decide(actor=credit_officer, application=application, approve=False, reason="No proof of refund")
    record.refresh_from_db()
    assert record.repaired_on is None
    assert RatingSnapshot.objects.get(supplier=supplier_org).level == "medium"


def test_warning_is_acknowledged_once_by_its_supplier(
    credit_officer, supplier_user, other_supplier_user, supplier_org
):
    confirm(credit_officer, enter(credit_officer, supplier_org, amount="20000"))
    warning = Measure.objects.get(supplier=supplier_org, kind="written_warning")
    with pytest.raises(CreditError):
        services.warning_acknowledge(actor=other_supplier_user, measure=warning)
    warning = services.warning_acknowledge(actor=supplier_user, measure=warning)
    first = warning.acknowledged_at
    assert services.warning_acknowledge(actor=supplier_user, measure=warning).acknowledged_at == first
    assert AuditEntry.objects.filter(action="credit.warning.acknowledge").count() == 1


def test_a_new_edition_replaces_the_one_in_force_and_records_keep_theirs(credit_officer, supplier_org):
    from credit.models import CatalogVersion

    old = enter(credit_officer, supplier_org, amount="150000")
    newer = CatalogVersion.objects.get(code="2020")
    newer.pk, newer.code, newer.in_force = None, "2020-hn", False
    newer.benchmark = {**newer.benchmark, "kickback_single": [[10000, "general"], [120000, "medium"]]}
    newer.save()
    services.catalog_version_put_in_force(actor=credit_officer, version=newer)
    assert services.catalog_in_force().code == "2020-hn"
    record = enter(credit_officer, supplier_org, amount="110000")
    assert (record.catalog_version.code, record.judged_level) == ("2020-hn", "general")
    old.refresh_from_db()
    assert (old.catalog_version.code, old.judged_level) == ("2020", "medium")
    assert AuditEntry.objects.filter(action="credit.catalog.in_force").count() == 1


def test_the_record_procedure_is_exactly_the_documented_table():
    from credit.models.records import RECORD_WORKFLOW

    assert RECORD_WORKFLOW.transitions(CreditRecord.Status.values) == {
        "pending_review": {"notified", "dismissed"},
        "notified": {"defence_filed", "confirmed", "dismissed"},
        "defence_filed": {"confirmed", "dismissed"},
        "confirmed": {"revoked"},
        "dismissed": set(),
        "revoked": set(),
    }


def test_a_revoked_record_cannot_be_revoked_again_and_stays_as_it_was(credit_officer, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    services.record_revoke(actor=credit_officer, record=record, reason="judgment quashed")
    audits = AuditEntry.objects.filter(action="credit.record.revoke").count()
    with pytest.raises(CreditError) as refused:
        services.record_revoke(actor=credit_officer, record=record, reason="again")
    assert refused.value.code == "bad_status"
    record.refresh_from_db()
    assert (record.status, record.revocation_reason) == (CreditRecord.Status.REVOKED, "judgment quashed")
    assert AuditEntry.objects.filter(action="credit.record.revoke").count() == audits
