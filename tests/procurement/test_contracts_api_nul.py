"""Found by the API fuzzing: text the database cannot store is refused with a 400, never a server error."""

import pytest

from core.api.parsers import unstorable_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["a\x00b", {"k\x00": 1}, [["x", "\ud800"]]])
def test_unstorable_text_is_found(value):
    assert unstorable_text(value) is not None


def test_storable_text_passes():
    assert unstorable_text({"name": "长沙市第一人民医院", "lines": [{"q": 1, "p": "1.5"}]}) is None


def test_a_purchase_report_with_a_null_character_is_a_clear_400(api_for, hospital_user):
    api = api_for(hospital_user)
    answer = api.post(
        "/api/v1/purchases/",
        {"lines": [{"order_number": "A\u0000", "ordered_on": "2026-01-01"}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY="nul-1",
    )
    assert answer.status_code == 400
    assert "null character" in answer.json()["detail"]


def test_a_csv_report_with_null_characters_is_rejected_by_line(api_for, hospital_user):
    api = api_for(hospital_user)
    answer = api.post(
        "/api/v1/purchases/", b"order_number\x00,x\n", content_type="text/csv", HTTP_IDEMPOTENCY_KEY="nul-2"
    )
    assert answer.status_code == 400
    assert "null characters" in str(answer.json())


def test_null_characters_in_forms_queries_and_headers_are_a_400(api_for, credit_officer, client):
    api = api_for(credit_officer)
    form = api.post("/api/v1/credit/records/", {"item": "kick\x00back", "supplier": "1"}, format="multipart")
    assert form.status_code == 400
    assert api.get("/api/v1/credit/records/?status=a%00b").status_code == 400
    assert api.get("/api/v1/credit/records/", HTTP_IDEMPOTENCY_KEY="k\x00").status_code == 400
    assert client.get("/healthz").status_code == 200


def test_null_characters_in_an_urlencoded_form_are_a_400(api_for, credit_officer):
    answer = api_for(credit_officer).post(
        "/api/v1/credit/records/",
        "item=kickback&products=X%00Y",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 400
