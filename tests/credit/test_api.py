"""The credit API: the procedure end to end, idempotent entry, and each role's scope (other organisations 404)."""

import pytest

from credit.models import CreditRecord, Measure, RatingRun, Tip

from .conftest import back_date, confirm, enter

pytestmark = pytest.mark.django_db
RECORDS = "/api/v1/credit/records/"


def _payload(supplier, **extra):
    return {
        "supplier": supplier.pk,
        "item": "kickback",
        "source": "administrative_penalty",
        "document_number": "湘医保罚〔2026〕9号",
        "occurred_on": "2026-05-01",
        "amount": "150000",
        "facts": {"cumulative": "180000"},
        **extra,
    }


def test_procedure_through_the_api(api_for, credit_officer, supplier_user, supplier_org):
    officer, supplier = api_for(credit_officer), api_for(supplier_user)
    created = officer.post(RECORDS, _payload(supplier_org), format="json")
    assert created.status_code == 201, created.content
    record = created.json()
    assert (record["judged_level"], record["status"]) == ("medium", "notified")
    url = f"{RECORDS}{record['id']}/"
    assert supplier.post(f"{url}receive/").json()["served_on"] is not None
    defended = supplier.post(f"{url}defend/", {"statement": "A fee for a lecture."}, format="json")
    assert defended.json()["status"] == "defence_filed"
    decided = officer.post(f"{url}decide/", {"decision": "upheld", "reason": "No lecture took place"}, format="json")
    assert decided.json()["status"] == "confirmed"
    rating = supplier.get("/api/v1/credit/ratings/?current=1").json()["results"]
    assert [(r["level"], r["counted_records"]) for r in rating] == [("medium", [record["reference"]])]
    measures = supplier.get("/api/v1/credit/measures/").json()["results"]
    assert {m["kind"] for m in measures} == {"written_warning", "risk_notice"}


def test_idempotency_key_replays_and_refuses_another_payload(api_for, credit_officer, supplier_org):
    officer = api_for(credit_officer)
    first = officer.post(RECORDS, _payload(supplier_org), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = officer.post(RECORDS, _payload(supplier_org), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and CreditRecord.objects.count() == 1
    other = officer.post(RECORDS, _payload(supplier_org, item="tax"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and CreditRecord.objects.count() == 1


def test_bad_input_answers_400_with_a_code_and_stores_nothing(api_for, credit_officer, supplier_org):
    officer = api_for(credit_officer)
    response = officer.post(RECORDS, _payload(supplier_org, amount="10"), format="json")
    assert response.status_code == 400 and response.json()["code"] == "no_level"
    response = officer.post(RECORDS, _payload(supplier_org, facts={"rounds": 1}), format="json")
    assert response.json()["code"] == "facts"
    assert not CreditRecord.objects.exists()


def test_scopes_per_role(
    api_for, credit_officer, officer, supplier_user, other_supplier_user, hospital_user, supplier_org
):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000"))
    url = f"{RECORDS}{record.pk}/"
    assert api_for(supplier_user).get(url).status_code == 200
    assert api_for(other_supplier_user).get(url).status_code == 404
    assert api_for(other_supplier_user).get(RECORDS).json()["results"] == []
    assert api_for(hospital_user).get(RECORDS).status_code == 403
    assert api_for(officer).get(url).status_code == 200
    # Only credit officers write; a procurement officer reads.
    assert api_for(officer).post(RECORDS, _payload(supplier_org), format="json").status_code == 403
    assert api_for(supplier_user).post(RECORDS, _payload(supplier_org), format="json").status_code == 403
    assert api_for(officer).post(f"{url}revoke/", {"reason": "x"}, format="json").status_code == 403
    # Hospitals see the measures that concern purchasers, not the warning.
    kinds = {m["kind"] for m in api_for(hospital_user).get("/api/v1/credit/measures/").json()["results"]}
    assert "risk_notice" in kinds and "written_warning" not in kinds
    assert api_for(other_supplier_user).get("/api/v1/credit/measures/").json()["results"] == []
    assert api_for(other_supplier_user).get("/api/v1/credit/ratings/").json()["results"] == []
    assert api_for().get(RECORDS).status_code in (401, 403)


def test_anyone_sends_a_tip_only_officers_read_them(api_for, credit_officer, supplier_user, supplier_org):
    response = api_for().post(
        "/api/v1/credit/tips/",
        {"supplier_name": supplier_org.name, "item": "kickback", "description": "Gifts to doctors every month."},
        format="json",
    )
    assert response.status_code == 201
    assert api_for().get("/api/v1/credit/tips/").status_code in (401, 403)
    assert api_for(supplier_user).get("/api/v1/credit/tips/").status_code == 403
    tips = api_for(credit_officer).get("/api/v1/credit/tips/").json()["results"]
    assert [t["supplier_name"] for t in tips] == [supplier_org.name]
    reviewed = api_for(credit_officer).post(
        f"/api/v1/credit/tips/{tips[0]['id']}/review/",
        {"accept": True, "reason": "Inspection confirmed", "amount": "12000"},
        format="json",
    )
    assert reviewed.json()["status"] == "accepted" and Tip.objects.get().record.judged_level == "general"


def test_repair_through_the_api(api_for, credit_officer, supplier_user, other_supplier_user, supplier_org):
    from credit.services import repair_steps_for

    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="150000"))
    body = {"record": record.pk, "steps": repair_steps_for(record), "statement": "Report", "commitment_accepted": True}
    assert api_for(other_supplier_user).post("/api/v1/credit/repairs/", body, format="json").status_code == 404
    created = api_for(supplier_user).post("/api/v1/credit/repairs/", body, format="json")
    assert created.status_code == 201, created.content
    decided = api_for(credit_officer).post(
        f"/api/v1/credit/repairs/{created.json()['id']}/decide/", {"approve": True, "reason": "Proven"}, format="json"
    )
    assert decided.json()["status"] == "approved"
    rating = api_for(supplier_user).get("/api/v1/credit/ratings/?current=1").json()["results"][0]
    assert (rating["level"], rating["repaired_records"]) == ("none", [record.reference])


def test_runs_and_disclosure(api_for, credit_officer, officer, supplier_org, django_capture_on_commit_callbacks):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="400000"))
    assert api_for(officer).post("/api/v1/credit/runs/", {}, format="json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        started = api_for(credit_officer).post(
            "/api/v1/credit/runs/", {"as_of": record.confirmed_on.isoformat()}, format="json"
        )
    assert started.status_code == 202
    run = api_for(officer).get(f"/api/v1/credit/runs/{started.json()['id']}/").json()
    assert (run["status"], run["chunks_done"]) == ("done", 1)
    again = api_for(credit_officer).post(
        "/api/v1/credit/runs/", {"as_of": record.confirmed_on.isoformat()}, format="json"
    )
    assert again.status_code == 202 and RatingRun.objects.count() == 1
    public = api_for().get("/api/v1/credit/disclosure/").json()["results"]
    assert [(row["supplier_code"], row["level"]) for row in public] == [(supplier_org.code, "serious")]
    assert api_for().get("/api/v1/credit/catalog-versions/2020/").json()["family"] == "2020"


def test_supplier_acknowledges_its_warning_through_the_api(
    api_for, credit_officer, supplier_user, other_supplier_user, supplier_org
):
    record = back_date(enter(credit_officer, supplier_org, amount="20000"), 60)
    from credit import services

    services.record_decide(actor=credit_officer, record=record, decision="upheld", reason="Established")
    warning = Measure.objects.get(kind="written_warning")
    url = f"/api/v1/credit/measures/{warning.pk}/acknowledge/"
    assert api_for(other_supplier_user).post(url).status_code == 404
    assert api_for(supplier_user).post(url).json()["acknowledged_at"] is not None
