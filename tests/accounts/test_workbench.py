"""The workbench (待办): each role's home lists what waits for the user, most urgent first, one click from where it
is done, and the menu counts it; a task goes away once it is done, and nobody sees another party's tasks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import workbench
from accounts.workbench import Task
from procurement.services import bid_submit, commitment_sign, demand_report
from procurement.services.contracts import contract_confirm
from tests.factories import (
    CityFactory,
    ContractFactory,
    CreditRecordFactory,
    GroupFactory,
    ListingFactory,
    ProductFactory,
    open_round,
)
from tests.procurement.test_round_pages import demand_round


def titles(user) -> list[str]:
    return [task.title for task in workbench.tasks_for(user)]


def test_tasks_are_ordered_by_deadline_and_marked_when_near_or_past(monkeypatch):
    now = timezone.now()
    tasks = [
        Task("rounds", "later", "/a/", now + timedelta(days=10)),
        Task("credit", "no deadline", "/b/"),
        Task("prices", "overdue", "/c/", now - timedelta(hours=1)),
        Task("rounds", "soon", "/d/", (now + timedelta(days=1)).date()),
    ]
    monkeypatch.setattr(workbench, "TASK_SOURCES", [lambda user, at: iter(tasks)])
    user = type("SignedIn", (), {"is_authenticated": True})()
    ordered = workbench.tasks_for(user, now)
    assert [task.title for task in ordered] == ["overdue", "soon", "later", "no deadline"]
    assert [task.urgency(now) for task in ordered] == ["overdue", "soon", "", ""]
    assert workbench.counts(ordered) == {"rounds": 2, "credit": 1, "prices": 1}
    assert workbench.tasks_for(type("Anonymous", (), {"is_authenticated": False})()) == []


@pytest.mark.django_db
def test_a_supplier_is_asked_to_sign_then_to_bid_until_it_has(supplier_user, other_supplier_user, client_for):
    group = GroupFactory()
    product = ProductFactory(holder=supplier_user.organisation)
    group.eligible_products.add(product)
    name = f"{group.round.name} ({group.round.code})"

    assert titles(supplier_user) == [f"Sign the credit commitment of {name}", f"Bid in 1 group of {name}"]
    assert titles(other_supplier_user) == []
    page = client_for(supplier_user).get(reverse("accounts:home"))
    body = page.content.decode()
    assert reverse("procurement:round_commitment", args=[group.round.pk]) in body
    assert 'data-testid="menu-count">2<' in body

    commitment_sign(actor=supplier_user, tender_round=group.round)
    assert titles(supplier_user) == [f"Bid in 1 group of {name}"]
    bid_submit(actor=supplier_user, group=group, product=product, price="7.0000", capacity=None, regions=())
    assert titles(supplier_user) == []
    body = client_for(supplier_user).get(reverse("accounts:home")).content.decode()
    assert 'data-testid="workbench-empty"' in body and 'data-testid="menu-count"' not in body


@pytest.mark.django_db
def test_a_hospital_is_asked_for_its_demand_while_the_window_is_open(hospital_user, other_hospital_org):
    tender_round = demand_round()
    group = GroupFactory(round=tender_round)
    task = workbench.tasks_for(hospital_user)[0]
    assert task.title == f"Report your demand for {tender_round.name} ({tender_round.code})"
    assert task.url == reverse("procurement:round_demand", args=[tender_round.pk])
    assert task.due == tender_round.demand_closes_at

    demand_report(actor=hospital_user, group=group, quantity=100)
    assert titles(hospital_user) == []

    # A round collecting demand in another city asks nothing of this hospital.
    elsewhere = demand_round()
    elsewhere.regions.add(CityFactory())
    assert titles(hospital_user) == []


@pytest.mark.django_db
def test_each_party_confirms_its_own_side_of_an_agreement(supplier_user, hospital_user, other_supplier_user):
    contract = ContractFactory(
        status="pending", supplier=supplier_user.organisation, hospital=hospital_user.organisation
    )
    expected = f"Confirm 1 agreement of {contract.round.name} ({contract.round.code})"
    assert titles(supplier_user) == [expected]
    assert titles(hospital_user) == [expected]
    assert titles(other_supplier_user) == []
    assert workbench.tasks_for(supplier_user)[0].url.endswith(f"?round={contract.round.pk}&status=pending")

    contract_confirm(actor=supplier_user, contract=contract)
    assert titles(supplier_user) == []
    assert titles(hospital_user) == [expected]


@pytest.mark.django_db
def test_officers_see_the_rounds_and_queues_waiting_for_them(officer, credit_officer, supplier_user, client_for):
    group = GroupFactory()
    open_round(group.round, officer)
    ListingFactory(status="pending")
    officer_titles = titles(officer)
    assert f"Compute and publish the award of {group.round.name} ({group.round.code})" in officer_titles
    assert "Review 1 listing application" in officer_titles
    assert titles(credit_officer) == []

    record = CreditRecordFactory(actor=credit_officer, supplier=supplier_user.organisation)
    # Its notice is out and the defence window runs: the supplier's to answer, not yet the officer's to decide.
    assert record.status == "notified" and titles(credit_officer) == []
    assert any(title.startswith(f"Read the notice of record {record.reference}") for title in titles(supplier_user))
    assert not any("notice" in title for title in titles(officer))

    from credit.services import tip_submit

    tip_submit(supplier_name="某制药公司", item="kickback", description="A sales rep paid a doctor to prescribe.")
    assert "Review 1 public tip" in titles(credit_officer)
    page = client_for(credit_officer).get(reverse("accounts:home"))
    assert "Review 1 public tip" in page.content.decode()
    assert reverse("credit:review") in page.content.decode()


@pytest.mark.django_db
def test_the_api_lists_the_same_tasks_in_the_callers_language(api_for, supplier_user, other_supplier_user):
    group = GroupFactory()
    group.eligible_products.add(ProductFactory(holder=supplier_user.organisation))
    url = reverse("user-me-tasks")
    answer = api_for(supplier_user).get(url)
    assert answer.status_code == 200
    rows = answer.json()
    assert [row["title"] for row in rows] == titles(supplier_user)
    assert rows[0]["section"] == "rounds" and rows[0]["url"] == reverse(
        "procurement:round_commitment", args=[group.round.pk]
    )
    assert rows[0]["due"] and rows[0]["urgency"] == "soon"  # the factory's bid window closes in two hours
    chinese = api_for(supplier_user).get(url, headers={"accept-language": "zh-hans"}).json()
    assert chinese[0]["title"].startswith("签署") and chinese[0]["url"] == rows[0]["url"]
    assert api_for(other_supplier_user).get(url).json() == []
    assert api_for(None).get(url).status_code in (401, 403)
