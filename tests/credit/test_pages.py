"""Credit pages: who may open what, the procedure through the browser forms, exports, public pages."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from credit.models import CreditRecord, Measure, RatingSnapshot, Tip

from .conftest import confirm, enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(credit_officer, supplier_org):
    return enter(credit_officer, supplier_org, amount="400000")


OFFICERS = {Role.CREDIT_OFFICER, Role.ADMINISTRATOR}
AUTHORITY = OFFICERS | {Role.PROCUREMENT_OFFICER}


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("credit:home", set(Role.values)),
        ("credit:record_list", AUTHORITY | {Role.SUPPLIER_USER}),
        ("credit:record_create", OFFICERS),
        ("credit:review", OFFICERS),
        ("credit:run_list", AUTHORITY),
        ("credit:record_export", AUTHORITY),
        ("credit:rating_export", AUTHORITY),
        ("credit:self_report", {Role.SUPPLIER_USER}),
        ("credit:risk_notices", AUTHORITY | {Role.HOSPITAL_USER}),
    ],
)
def test_page_permissions(client, users, name, allowed, record):
    for role, user in users.items():
        client.force_login(user)
        response = client.get(reverse(name))
        assert (response.status_code == 200) == (role in allowed), (role, response.status_code)


def test_public_pages_need_no_login(client, record):
    for name in ("credit:disclosure", "credit:tip_submit", "credit:catalog"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("credit:record_list")).status_code == 302


def test_record_detail_is_private_to_its_supplier(client, record, supplier_user, other_supplier_user, hospital_user):
    url = reverse("credit:record_detail", args=[record.pk])
    client.force_login(other_supplier_user)
    assert client.get(url).status_code == 404
    client.force_login(hospital_user)
    assert client.get(url).status_code == 403
    client.force_login(supplier_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "File the defence" in response.content.decode()


def test_reading_a_notice_changes_nothing_acknowledging_it_serves_it(
    client, credit_officer, supplier_org, supplier_user
):
    """Issue 15, item 14: a GET of the record page used to serve the notice (state changes only on POST)."""
    from accounts.models import AuditEntry

    record = enter(credit_officer, supplier_org)
    assert record.notice_published_at is not None and record.notice_opened_at is None
    client.force_login(supplier_user)
    url = reverse("credit:record_detail", args=[record.pk])
    before = AuditEntry.objects.count()
    body = client.get(url).content.decode()
    assert "Acknowledge the notice" in body
    assert CreditRecord.objects.get(pk=record.pk).notice_opened_at is None and AuditEntry.objects.count() == before
    response = client.post(reverse("credit:record_acknowledge", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.notice_opened_at is not None
    assert AuditEntry.objects.filter(action="credit.notice.open").count() == 1
    assert "Acknowledge the notice" not in client.get(url).content.decode()


def test_officer_enters_a_record_through_the_form(client, credit_officer, supplier_org, case_product):
    client.force_login(credit_officer)
    response = client.post(
        reverse("credit:record_create"),
        {
            "supplier": supplier_org.pk,
            "item": "kickback",
            "source": "administrative_penalty",
            "document_number": "湘医保罚〔2026〕3号",
            "occurred_on": "2026-06-01",
            "amount": "120000",
            "fact_cumulative": "600000",
            "fact_rounds": "3",  # not read by kickback: dropped
            "products": [case_product.pk],
        },
    )
    record = CreditRecord.objects.get()
    assert response.status_code == 302
    assert (record.judged_level, record.facts) == ("serious", {"cumulative": "600000"})
    assert list(record.products.all()) == [case_product]


def test_bad_record_form_shows_the_error_and_stores_nothing(client, credit_officer, supplier_org):
    client.force_login(credit_officer)
    response = client.post(
        reverse("credit:record_create"),
        {
            "supplier": supplier_org.pk,
            "item": "tax",
            "source": "court_judgment",
            "document_number": "x",
            "occurred_on": "2026-06-01",
            "amount": "500",
        },
    )
    assert response.status_code == 200
    assert "reach no level" in response.content.decode()
    assert not CreditRecord.objects.exists()


def test_defence_decision_and_standing_through_the_pages(client, record, supplier_user, credit_officer):
    client.force_login(supplier_user)
    client.post(reverse("credit:record_defend", args=[record.pk]), {"statement": "A sponsorship, not a kickback."})
    record.refresh_from_db()
    assert record.status == "defence_filed"
    client.force_login(credit_officer)
    client.post(
        reverse("credit:record_decide", args=[record.pk]),
        {"decision": "upheld", "reason": "Payments went to the director personally."},
    )
    record.refresh_from_db()
    assert record.status == "confirmed"
    # The officer's standing page links the rating decision to its audit row; the supplier's own page does not.
    from accounts.models import AuditEntry

    rating = AuditEntry.objects.filter(action="credit.rating").latest("id")
    officer_page = client.get(reverse("credit:supplier_standing", args=[record.supplier_id])).content.decode()
    assert 'data-testid="rating-trail"' in officer_page and f"/audit/{rating.pk}/" in officer_page
    client.force_login(supplier_user)
    page = client.get(reverse("credit:home")).content.decode()
    # The explanation in the reader's words, not the engine's codes.
    from django.utils.html import escape

    from credit.labels import rule_text

    assert record.reference in page and escape(rule_text(record.judged_rule)) in page and "serious" in page
    assert "single payment 300,000 to under 2,000,000 yuan → serious (严重)" in page
    assert 'data-testid="rating-trail"' not in page


def test_supplier_acknowledges_the_written_warning(client, credit_officer, supplier_user, supplier_org):
    from datetime import timedelta

    from django.utils import timezone

    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="20000"))
    Measure.objects.update(starts_on=timezone.localdate() - timedelta(days=1))
    client.force_login(supplier_user)
    assert 'data-testid="warning"' in client.get(reverse("credit:home")).content.decode()
    warning = Measure.objects.get(kind="written_warning")
    client.post(reverse("credit:measure_acknowledge", args=[warning.pk]))
    warning.refresh_from_db()
    assert warning.acknowledged_by == supplier_user and record.reference in warning.records


def test_quarter_run_from_the_page(client, credit_officer, officer, record, django_capture_on_commit_callbacks):
    client.force_login(officer)
    # A procurement officer reads the runs but may not start one.
    assert client.post(reverse("credit:run_list"), {}).status_code == 403
    client.force_login(credit_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("credit:run_list"), {"as_of": ""})
    assert response.status_code == 302
    detail = client.get(response.url)
    assert 'data-testid="run-progress"' in detail.content.decode()
    assert RatingSnapshot.objects.count() == 1


def test_exports_list_the_records_and_ratings(client, credit_officer, record):
    confirm(credit_officer, record)
    client.force_login(credit_officer)
    sheet = load_workbook(BytesIO(client.get(reverse("credit:record_export")).content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [record.reference]
    sheet = load_workbook(BytesIO(client.get(reverse("credit:rating_export")).content)).active
    assert next(iter(sheet.iter_rows(min_row=2, values_only=True)))[6] == record.reference


def test_public_tip_form_and_review(client, credit_officer, supplier_org):
    response = client.post(
        reverse("credit:tip_submit"),
        {"supplier_name": supplier_org.name, "item": "unfair_price", "description": "Price tripled overnight."},
    )
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert tip.supplier == supplier_org
    client.force_login(credit_officer)
    client.post(
        reverse("credit:tip_detail", args=[tip.pk]),
        {
            "accept": "accept",
            "reason": "Confirmed by price data",
            "supplier": supplier_org.pk,
            "occurred_on": "2026-10-01",
        },
    )
    tip.refresh_from_db()
    assert tip.record.judged_level == "general" and tip.record.status == "notified"


def test_disclosure_lists_serious_cases_after_a_run(client, credit_officer, record, supplier_org, run_quarter):
    from django.utils import timezone

    confirm(credit_officer, record)
    run_quarter(actor=credit_officer)  # the quarter started before the confirmation: not in that list
    assert supplier_org.name not in client.get(reverse("credit:disclosure")).content.decode()
    run_quarter(actor=credit_officer, as_of=timezone.localdate())
    page = client.get(reverse("credit:disclosure")).content.decode()
    assert supplier_org.name in page and record.reference in page


def test_repair_through_the_pages(client, credit_officer, supplier_user, record):
    record = confirm(credit_officer, record)
    client.force_login(supplier_user)
    url = reverse("credit:repair_apply", args=[record.pk])
    response = client.post(url, {"steps": ["conduct_stopped"], "statement": "Done", "commitment_accepted": "on"})
    assert "Show every step" in response.content.decode()
    from credit.services import repair_steps_for

    client.post(url, {"steps": repair_steps_for(record), "statement": "Report", "commitment_accepted": "on"})
    application = record.repair_applications.get()
    client.force_login(credit_officer)
    client.post(reverse("credit:repair_decide", args=[application.pk]), {"approve": "1", "reason": "Proven"})
    record.refresh_from_db()
    assert record.repaired_on is not None


def test_refused_writes_change_nothing(client, record, officer, other_supplier_user, hospital_user, supplier_user):
    from accounts.models import AuditEntry

    before = (AuditEntry.objects.count(), CreditRecord.objects.get().status)
    url = reverse("credit:record_decide", args=[record.pk])
    for user, expected in ((officer, 403), (hospital_user, 403), (supplier_user, 403)):
        client.force_login(user)
        assert client.post(url, {"decision": "upheld", "reason": "x"}).status_code == expected
    client.force_login(other_supplier_user)
    defend = reverse("credit:record_defend", args=[record.pk])
    assert client.post(defend, {"statement": "Not ours to say"}).status_code == 404
    client.logout()
    assert client.post(defend, {"statement": "anonymous"}).status_code == 302
    assert (AuditEntry.objects.count(), CreditRecord.objects.get().status) == before


def test_evidence_files_reach_only_who_may_see_the_record(
    client, credit_officer, supplier_user, other_supplier_user, hospital_user, supplier_org, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.7 penalty decision"
    record = enter(credit_officer, supplier_org, evidence=SimpleUploadedFile("湘医保罚12号.pdf", content))
    assert "湘医保罚" not in record.evidence.name and record.evidence.name.endswith(".pdf")
    url = reverse("credit:evidence_download", args=["record", record.pk])
    client.force_login(credit_officer)
    page = client.get(reverse("credit:record_detail", args=[record.pk])).content.decode()
    assert url in page and "/media/" not in page
    for user, status in (
        (credit_officer, 200),
        (supplier_user, 200),
        (other_supplier_user, 404),
        (hospital_user, 403),
    ):
        client.force_login(user)
        answer = client.get(url)
        assert answer.status_code in ((status,) if status != 403 else (403, 404)), user
        if status == 200:
            assert b"".join(answer.streaming_content) == content
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(f"/media/{record.evidence.name}").status_code == 404
    client.force_login(credit_officer)
    assert client.get(reverse("credit:evidence_download", args=["defence", record.pk])).status_code == 404
    assert client.get(reverse("credit:evidence_download", args=["nothing", record.pk])).status_code == 404
