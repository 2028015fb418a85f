"""One resource filters one way: each list page and its API list use the same FilterSet (procurement/filters.py,
credit/filters.py), so the same query gives the same rows, and a value a filter cannot take is a 400 on both."""

import pytest
from django.core.management import call_command

from accounts.models import User
from credit.models import CreditRecord
from procurement.models import AllocationLine, Contract, TenderRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _user(name):
    return User.objects.get(username=name)


def _api_ids(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_agreements_filter_alike_on_the_page_and_in_the_api(client, api_for, demo):
    officer = _user("officer")
    client.force_login(officer)
    api = api_for(officer)
    in_effect = TenderRound.objects.get(code="GY-2024-11")
    for query in (f"round={in_effect.pk}", "status=confirmed", f"round={in_effect.pk}&status=pending", ""):
        page = client.get(f"/contracts/?{query}&page_size=500")
        assert page.status_code == 200, query
        on_page = {contract.pk for contract in page.context["page"].paginator.object_list}
        assert on_page == _api_ids(api, f"/api/v1/contracts/?{query}&page_size=500"), query
    confirmed = set(Contract.objects.filter(status="confirmed").values_list("pk", flat=True))
    assert confirmed and _api_ids(api, "/api/v1/contracts/?status=confirmed&page_size=500") == confirmed


def test_a_party_filtering_agreements_still_sees_only_its_own(client, demo):
    hospital = _user("hospital1")
    client.force_login(hospital)
    other = Contract.objects.exclude(hospital=hospital.organisation).first()
    page = client.get(f"/contracts/?hospital={other.hospital_id}")
    assert page.status_code == 200
    assert not page.context["page"].paginator.count


def test_allocation_lines_filter_alike_on_the_page_and_in_the_api(client, api_for, demo):
    officer = _user("officer")
    client.force_login(officer)
    api = api_for(officer)
    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.published().get()
    line = AllocationLine.objects.filter(run=run).select_related("group", "hospital", "supplier").first()
    queries = [
        f"reason={line.reason}",
        f"group__code={line.group.code}",
        f"hospital__code={line.hospital.code}&supplier__code={line.supplier.code}",
    ]
    for query in queries:
        page = client.get(f"/rounds/{in_effect.pk}/award/{run.pk}/lines/?{query}")
        assert page.status_code == 200, query
        on_page = {row.pk for row in page.context["page_obj"].paginator.object_list}
        assert on_page, query
        assert on_page == _api_ids(api, f"/api/v1/award-runs/{run.pk}/lines/?{query}&page_size=500"), query
        assert on_page <= _api_ids(api, f"/api/v1/allocations/?run__round={in_effect.pk}&{query}&page_size=500")


def test_credit_records_filter_alike_on_the_page_and_in_the_api(client, api_for, demo):
    credit = _user("credit")
    client.force_login(credit)
    api = api_for(credit)
    record = CreditRecord.objects.select_related("supplier").first()
    for query in (f"status={record.status}", f"item={record.item}", f"q={record.supplier.name[:4]}", ""):
        page = client.get(f"/credit/records/?{query}")
        assert page.status_code == 200, query
        on_page = {row.pk for row in page.context["page"].paginator.object_list}
        assert record.pk in on_page, query
        assert on_page == _api_ids(api, f"/api/v1/credit/records/?{query}&page_size=500"), query


@pytest.mark.parametrize(
    ("page", "api"),
    [
        ("/contracts/?status=nonsense", "/api/v1/contracts/?status=nonsense"),
        ("/contracts/?round=abc", "/api/v1/contracts/?round=abc"),
        ("/contracts/?hospital=99999999999999999999999", "/api/v1/contracts/?hospital=99999999999999999999999"),
        ("/credit/records/?item=nonsense", "/api/v1/credit/records/?item=nonsense"),
        ("/credit/records/?status=nonsense", "/api/v1/credit/records/?status=nonsense"),
    ],
)
def test_a_value_a_filter_cannot_take_is_a_400_on_both(client, api_for, demo, page, api):
    officer = _user("admin")
    client.force_login(officer)
    response = client.get(page)
    assert response.status_code == 400
    name = page.split("?")[1].split("=")[0]
    assert f"({name})" in response.content.decode()
    assert api_for(officer).get(api).status_code == 400


def test_a_reason_no_engine_gives_is_refused_on_the_lines_page_and_api(client, api_for, demo):
    officer = _user("officer")
    client.force_login(officer)
    in_effect = TenderRound.objects.get(code="GY-2024-11")
    run = in_effect.award_runs.published().get()
    assert client.get(f"/rounds/{in_effect.pk}/award/{run.pk}/lines/?reason=nonsense").status_code == 400
    assert api_for(officer).get(f"/api/v1/award-runs/{run.pk}/lines/?reason=nonsense").status_code == 400
    assert api_for(officer).get("/api/v1/allocations/?reason=nonsense").status_code == 400
