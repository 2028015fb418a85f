"""Bad input gets a clear 400 and changes nothing (issue 15, items 6, 11 and 12): each request the attack found
answering 500, uploads of many rows or long cells, oversized bodies, deeply nested JSON, anonymous floods, and the
browsable API's form choices."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import Workbook

from accounts.models import User
from credit.models import Tip
from procurement.models import Contract, DemandReport, DemandUpload, PurchaseLine, PurchaseUpload, TenderRound
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _user(name):
    return User.objects.get(username=name)


def test_bad_page_parameters_answer_400_with_a_message(client, demo):
    officer = _user("officer")
    client.force_login(officer)
    opened = TenderRound.objects.get(code="GY-2025-09")
    in_effect = TenderRound.objects.get(code="GY-2024-11")
    cases = [
        ("/contracts/?round=abc", "Round"),
        ("/contracts/?hospital=abc", "Hospital"),
        ("/contracts/?round=1e5", "Round"),
        ("/contracts/?round=99999999999999999999999", "Round"),
        ("/contracts/?status=nonsense", "status"),
        (f"/rounds/{opened.pk}/award-preview/?rule_set=abc", "Rule set"),
        (f"/rounds/{in_effect.pk}/award/compare/?a=x&b=y", "computation"),
        ("/pricing/savings/?month=abc", "Month"),
        ("/contracts/settlement/?month=2026-13", "Month"),
        ("/credit/disclosure/?as_of=yesterday", "YYYY-MM-DD"),
    ]
    for url, words in cases:
        response = client.get(url)
        assert response.status_code == 400, url
        assert words in response.content.decode(), url


def test_bad_api_parameters_answer_400(api_for, demo):
    api = api_for(_user("officer"))
    opened = TenderRound.objects.get(code="GY-2025-09")
    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.first()
    for method, url in [
        ("get", f"/api/v1/rounds/{opened.pk}/award-preview/?rule_set=abc"),
        ("get", f"/api/v1/award-runs/{run.pk}/compare/?with=abc"),
        ("post", "/api/v1/supply-failures/?round=null"),
        ("post", "/api/v1/supply-failures/?round=0.5"),
        ("post", "/api/v1/award-runs/?round=AAA"),
        ("post", "/api/v1/contracts/generate/?round=true"),
    ]:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 400, url
        assert response.json()["code"] == "invalid_parameter", url


def test_deeply_nested_json_is_a_400_for_anonymous_callers(api_for, db):
    deep = "[" * 100_000 + "]" * 100_000
    for url in ("/api/v1/auth/token/", "/api/v1/credit/tips/"):
        response = api_for().post(url, deep, content_type="application/json")
        assert response.status_code == 400 and "nested" in response.json()["detail"]
    assert not Tip.objects.exists()


def _report(api, body, key, **extra):
    return api.post("/api/v1/purchases/", body, HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_purchase_values_out_of_range_are_refused_and_store_no_line(api_for, demo):
    hospital = _user("hospital1")
    contract = Contract.objects.filter(hospital=hospital.organisation).select_related("product").first()
    api = api_for(hospital)
    before = PurchaseLine.objects.count()
    for key, price, quantity in (("p1", "1e400", 5), ("p2", str(contract.unit_price), 10**30)):
        line = {
            "order_number": "X-1",
            "product": contract.product.national_drug_code,
            "quantity": quantity,
            "unit_price": price,
            "ordered_on": "2026-11-01",
        }
        response = _report(api, {"lines": [line]}, key, format="json")
        assert response.status_code == 400
        assert "too large" in str(response.json()["errors"])
    csv_body = "order_number,product,quantity,unit_price,ordered_on\n" + "A" * 140_000 + ",x,1,1,2026-11-01\n"
    response = _report(api, csv_body, "p3", content_type="text/csv")
    assert response.status_code == 400 and "131,072" in str(response.json()["errors"])
    assert PurchaseLine.objects.count() == before


@override_settings(REQUEST_MAX_BYTES=1024)
def test_every_body_is_bounded_whatever_its_type(api_for, demo):
    api = api_for(_user("hospital1"))
    body = "order_number,product,quantity,unit_price,ordered_on\n" + "x,y,1,1,2026-11-01\n" * 200
    before = PurchaseUpload.objects.count()
    response = _report(api, body, "big", content_type="text/csv")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert PurchaseUpload.objects.count() == before


def _workbook(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Group", "Quantity"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_upload_of_too_many_rows_is_refused_whole_and_errors_are_capped(client, settings, demo):
    hospital = _user("hospital1")
    tender_round = TenderRound.objects.get(code="GY-2026-02")
    client.force_login(hospital)
    url = f"/rounds/{tender_round.pk}/demand/upload/"
    settings.UPLOAD_MAX_ROWS = 100
    reported = list(DemandReport.objects.order_by("pk").values_list("pk", "quantity"))
    content = _workbook([["G01", 10]] * 101)
    upload = io.BytesIO(content)
    upload.name = "demand.xlsx"
    client.post(url, {"file": upload})
    stored = DemandUpload.objects.get()
    assert not stored.accepted and len(stored.errors) == 1
    assert "more than 100 data rows" in stored.errors[0]["message"]
    assert list(DemandReport.objects.order_by("pk").values_list("pk", "quantity")) == reported

    settings.UPLOAD_MAX_ROWS, settings.UPLOAD_MAX_STORED_ERRORS = 1000, 20
    upload = io.BytesIO(_workbook([["NOPE", 0]] * 500))
    upload.name = "demand2.xlsx"
    client.post(url, {"file": upload})
    stored = DemandUpload.objects.order_by("-pk").first()
    assert len(stored.errors) == 21 and "more errors" in stored.errors[-1]["message"]


def test_anonymous_writes_are_throttled(client, api_for, settings, demo):
    settings.ANON_WRITE_RATE = "2/hour"
    tips = Tip.objects.count()
    api = api_for()
    body = {"supplier_name": "某某制药", "item": "kickback", "description": "A long enough description of it."}
    answers = [api.post("/api/v1/credit/tips/", body, format="json").status_code for _ in range(3)]
    assert answers == [201, 201, 429]
    assert Tip.objects.count() == tips + 2
    # The public form counts from the same address, and refuses likewise.
    response = client.post("/credit/tip/", {**body})
    assert response.status_code == 429 and Tip.objects.count() == tips + 2
    token = api.post("/api/v1/auth/token/", {"username": "supplier1", "password": "x"}, format="json")
    assert token.status_code == 429


def test_the_api_has_no_browsable_forms_listing_draft_rounds(client, demo):
    draft = RoundFactory(code="GY-2027-SECRET", status="draft")
    assert draft.status == "draft"
    for name in ("supplier1", "hospital1"):
        client.force_login(_user(name))
        for url in ("/api/v1/bids/", "/api/v1/demand/", "/api/v1/commitments/"):
            response = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
            assert response.status_code in (200, 403) and response["Content-Type"].startswith("application/json")
            assert "GY-2027-SECRET" not in response.content.decode(), url


def test_nul_in_a_form_body_and_a_huge_login_name_are_refused_cleanly(client, demo):
    """Found by the page fuzzing on PostgreSQL, which refuses NUL characters and overlong values mid-query."""
    from axes.models import AccessAttempt

    client.force_login(_user("supplier1"))
    assert client.post("/account/tokens/", {"key": "abc\x00"}).status_code == 400
    client.logout()
    response = client.post("/login/", {"username": "x" * 5000, "password": "wrong-password-123"})
    assert response.status_code == 200
    assert all(len(attempt.username) <= 150 for attempt in AccessAttempt.objects.all())
