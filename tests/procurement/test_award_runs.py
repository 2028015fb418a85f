"""Stored award computations: compute, idempotent re-compute, what-if, hospital choice, revival, publication with
notifications; pages and API with their permissions."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import AuditEntry, Notification, Organisation, User
from procurement.exceptions import ProcurementError
from procurement.models import AllocationLine, AwardOutcome, AwardRun, DemandReport, RuleSet, TenderRound
from procurement.models.rounds import RoundStatus
from procurement.services import award as award_services
from procurement.services.award import award_publish, round_award_preview, winner_choose

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dispatch_on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction that never commits: run the group tasks the computation dispatches after
    commit (eagerly, as in embedded mode) when each request or service call ends."""
    global on_commit
    on_commit = django_capture_on_commit_callbacks


def award_compute(**kwargs):
    with on_commit(execute=True):
        run = award_services.award_compute(**kwargs)
    run.refresh_from_db()
    return run


@pytest.fixture
def opened_round(db):
    call_command("load_demo", stdout=None)
    return TenderRound.objects.get(code="GY-2025-09")


@pytest.fixture
def officer(db):
    return User.objects.get(username="officer")


def user(name):
    return User.objects.get(username=name)


def test_computation_stores_what_the_preview_computes(opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    run.refresh_from_db()
    assert run.status == AwardRun.Status.DONE and run.is_official
    preview = round_award_preview(tender_round=opened_round)
    assert run.group_results.count() == len(preview["groups"]) == 3
    for group in preview["groups"]:
        result = run.group_results.get(group__code=group["id"])
        assert (result.bidders, result.max_winners, result.agreed_total) == (
            group["bidders"],
            group["max_winners"],
            group["agreed_total"],
        )
        lines = AllocationLine.objects.filter(run=run, group=result.group).select_related("hospital", "supplier")
        assert sorted(
            (line.hospital.code, line.supplier.code, line.quantity, line.reason) for line in lines
        ) == sorted(
            (line["hospital"], line["supplier"], line["quantity"], line["reason"]) for line in group["allocations"]
        )
        won = sorted(bid["supplier"] for bid in group["bids"] if bid["won"])
        assert (
            sorted(run.outcomes.filter(group=result.group, won=True).values_list("supplier__code", flat=True)) == won
        )
    allocated = sum(AllocationLine.objects.filter(run=run).values_list("quantity", flat=True))
    assert allocated + run.unallocated == run.agreed_total
    # Cost at winning prices, to the cent: the sum of quantity × price of every line.
    expected = sum((o.winning_price * o.allocated for o in AwardOutcome.objects.filter(run=run, won=True)), Decimal(0))
    assert run.total_cost == expected
    assert AuditEntry.objects.filter(action="award.computed", object_id=str(run.pk)).count() == 1


def test_recompute_with_unchanged_inputs_returns_the_same_run(opened_round, officer):
    first = award_compute(actor=officer, tender_round=opened_round)
    again = award_compute(actor=officer, tender_round=opened_round)
    assert again.pk == first.pk
    assert AwardRun.objects.filter(round=opened_round).count() == 1
    assert AuditEntry.objects.filter(action="award.compute", after__round=opened_round.code).count() == 1
    lines = AllocationLine.objects.filter(run=first).count()
    # A redelivered group task replaces its own rows instead of adding to them.
    group = opened_round.groups.get(code="G01")
    award_services.award_group_compute(first.pk, group.pk)
    assert AllocationLine.objects.filter(run=first).count() == lines


def test_what_if_and_optimised_runs_are_separate_and_comparable(opened_round, officer):
    official = award_compute(actor=officer, tender_round=opened_round)
    optimised = award_compute(actor=officer, tender_round=opened_round, mode=AwardRun.Mode.OPTIMISED)
    what_if = award_compute(
        actor=officer,
        tender_round=opened_round,
        rule_set=RuleSet.objects.get(code="nvbp-anchor"),
        overrides={"threshold_multiple": "1.2"},
    )
    assert len({official.pk, optimised.pk, what_if.pk}) == 3
    optimised.refresh_from_db()
    official.refresh_from_db()
    assert optimised.total_cost <= official.total_cost
    assert optimised.agreed_total == official.agreed_total
    comparison = award_services.award_compare(official, optimised)
    assert comparison["total_cost_b"] == optimised.total_cost
    for row in comparison["groups"]:
        assert row["winners_a"] == row["winners_b"]  # same award rules, different allocation
    assert not AwardRun.objects.get(pk=what_if.pk).is_official


def test_unknown_override_is_refused(opened_round, officer):
    with pytest.raises(ProcurementError) as error:
        award_services.award_compute(actor=officer, tender_round=opened_round, overrides={"no_such_parameter": 1})
    assert error.value.code == "unknown_parameter"
    assert not AwardRun.objects.filter(round=opened_round).exists()


@pytest.mark.parametrize("name", ["credit", "supplier1", "hospital1"])
def test_only_procurement_officers_compute(opened_round, name):
    with pytest.raises(ProcurementError):
        award_services.award_compute(actor=user(name), tender_round=opened_round)


def test_not_before_the_opening(opened_round, officer):
    with pytest.raises(ProcurementError) as error:
        award_services.award_compute(actor=officer, tender_round=TenderRound.objects.get(code="GY-2026-01"))
    assert error.value.code == "not_opened"


def _report_and_winner(run, hospital_name="hospital1"):
    hospital = user(hospital_name).organisation
    for report in DemandReport.objects.filter(hospital=hospital, group__round=run.round).select_related("group"):
        for outcome in run.outcomes.filter(group=report.group, won=True).select_related("opened_bid"):
            if not outcome.opened_bid.regions or hospital.region.code in outcome.opened_bid.regions:
                return report, outcome
    raise AssertionError("no choosable winner in the demo round")


def test_hospital_choice_is_honoured_and_makes_a_new_computation(opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    report, outcome = _report_and_winner(run)
    winner_choose(actor=user("hospital1"), report=report, supplier=outcome.supplier)
    with pytest.raises(ProcurementError) as error:
        award_publish(actor=officer, run=run)
    assert error.value.code == "stale"
    second = award_compute(actor=officer, tender_round=opened_round)
    assert second.pk != run.pk
    line = AllocationLine.objects.get(
        run=second, group=report.group, hospital=report.hospital, supplier=outcome.supplier
    )
    assert line.reason == "hospital_choice"
    entry = AuditEntry.objects.get(action="demand.choose_winner")
    assert entry.after["chosen_supplier"] == outcome.supplier_id


def test_choice_must_be_a_preliminary_winner_and_own_demand(opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    report, _outcome = _report_and_winner(run)
    loser = run.outcomes.filter(group=report.group, won=False).first()
    if loser:
        with pytest.raises(ProcurementError) as error:
            winner_choose(actor=user("hospital1"), report=report, supplier=loser.supplier)
        assert error.value.code == "not_a_winner"
    with pytest.raises(ProcurementError) as error:
        winner_choose(actor=user("hospital2"), report=report, supplier=None)
    assert error.value.code == "not_owner"


def test_publish_awards_the_round_and_notifies_everyone(opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    award_publish(actor=officer, run=run)
    opened_round.refresh_from_db()
    run.refresh_from_db()
    assert opened_round.status == RoundStatus.AWARDED and run.published_at
    assert opened_round.status_changes.filter(to_status=RoundStatus.AWARDED).exists()
    assert AuditEntry.objects.filter(action="award.publish", object_id=str(run.pk)).exists()
    outcomes = AwardOutcome.objects.filter(run=run)
    assert (
        Notification.objects.filter(kind="award.won", params__round=opened_round.code).count()
        == outcomes.filter(won=True).count()
    )
    assert (
        Notification.objects.filter(kind="award.lost", params__round=opened_round.code).count()
        == outcomes.filter(won=False).count()
    )
    hospitals = set(AllocationLine.objects.filter(run=run).values_list("hospital_id", flat=True))
    assert set(
        Notification.objects.filter(kind="award.allocated", params__round=opened_round.code).values_list(
            "organisation_id", flat=True
        )
    ) == (hospitals)
    winner = outcomes.filter(won=True).first()
    message = Notification.objects.get(
        kind="award.won",
        organisation=winner.supplier,
        params__group=winner.group.code,
        params__round=opened_round.code,
    )
    assert str(winner.winning_price) in message.message
    # Published: official recompute is refused, a second publication too; a what-if remains possible.
    with pytest.raises(ProcurementError):
        award_publish(actor=officer, run=run)
    with pytest.raises(ProcurementError) as error:
        award_services.award_compute(actor=officer, tender_round=opened_round, mode=AwardRun.Mode.OPTIMISED)
    assert error.value.code == "already_awarded"
    assert award_compute(actor=officer, tender_round=opened_round, rule_set=RuleSet.objects.get(code="nvbp-r10"))


def test_a_what_if_cannot_be_published(opened_round, officer):
    what_if = award_compute(actor=officer, tender_round=opened_round, overrides={"threshold_multiple": "1.5"})
    with pytest.raises(ProcurementError) as error:
        award_publish(actor=officer, run=what_if)
    assert error.value.code == "what_if"
    assert TenderRound.objects.get(pk=opened_round.pk).status == RoundStatus.OPENED


def test_revival_acceptance_is_recorded_and_used(opened_round, officer):
    r10 = RuleSet.objects.get(code="nvbp-r10")
    strict = {"threshold_multiple": "1.01"}  # only the lowest bid meets the threshold: the others are offered revival
    run = award_compute(actor=officer, tender_round=opened_round, rule_set=r10, overrides=strict)
    offered = run.outcomes.filter(reason="revival_offered").first()
    assert offered is not None and offered.revival_price
    award_services.revival_accept(actor=officer, run=run, supplier=offered.supplier)
    again = award_compute(actor=officer, tender_round=opened_round, rule_set=r10, overrides=strict)
    assert again.pk != run.pk
    revived = again.outcomes.get(supplier=offered.supplier, group=offered.group)
    assert revived.revived and revived.won and revived.winning_price == offered.revival_price
    assert AuditEntry.objects.filter(action="award.revival_accept").count() == 1


def test_failed_run_is_restarted_by_asking_again(opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    AwardRun.objects.filter(pk=run.pk).update(status=AwardRun.Status.FAILED, error="worker lost")
    again = award_compute(actor=officer, tender_round=opened_round)
    again.refresh_from_db()
    assert again.pk == run.pk and again.status == AwardRun.Status.DONE and not again.error
    assert again.group_results.count() == 3


# Pages and API ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "status"), [("officer", 200), ("admin", 200), ("credit", 403), ("supplier1", 403)])
def test_officer_pages_permissions(client, opened_round, officer, name, status):
    run = award_compute(actor=officer, tender_round=opened_round)
    client.force_login(user(name))
    for url in (
        reverse("procurement:round_award", args=[opened_round.pk]),
        reverse("procurement:award_run", args=[opened_round.pk, run.pk]),
        reverse("procurement:award_run_lines", args=[opened_round.pk, run.pk]),
        reverse("procurement:award_compare", args=[opened_round.pk]) + f"?a={run.pk}&b={run.pk}",
    ):
        assert client.get(url).status_code == status, url
    assert client.get(f"/api/v1/award-runs/{run.pk}/").status_code in ({200: 200, 403: 403}[status], 404)


def test_compute_and_publish_in_the_browser_flow(client, opened_round):
    client.force_login(user("officer"))
    with on_commit(execute=True):
        answer = client.post(
            reverse("procurement:round_award", args=[opened_round.pk]),
            {"rule_set": opened_round.rule_set_id, "mode": "rules", "overrides": ""},
        )
    run = AwardRun.objects.filter(round=opened_round).get()
    assert answer.url == reverse("procurement:award_run", args=[opened_round.pk, run.pk])
    page = client.get(answer.url).content.decode()
    assert 'data-testid="group-G01"' in page and 'data-testid="publish"' in page
    # The computation links to the audit rows that record it.
    computed = AuditEntry.objects.get(action="award.computed", object_id=str(run.pk))
    assert 'data-testid="award-trail"' in page and f"/audit/{computed.pk}/" in page
    bad = client.post(
        reverse("procurement:round_award", args=[opened_round.pk]),
        {"rule_set": opened_round.rule_set_id, "mode": "rules", "overrides": "[1, 2"},
    )
    assert bad.status_code == 200 and "Not valid JSON" in bad.content.decode()
    client.post(reverse("procurement:award_run_publish", args=[opened_round.pk, run.pk]))
    assert TenderRound.objects.get(pk=opened_round.pk).status == RoundStatus.AWARDED


def test_parameters_are_changed_field_by_field_and_explained(client, opened_round):
    client.force_login(user("officer"))
    url = reverse("procurement:round_award", args=[opened_round.pk])
    page = client.get(url).content.decode()
    assert "price clause: at most this multiple of the lowest comparable price" in page
    assert 'name="parameter_threshold_multiple"' in page and "Leave empty to keep the rule set" in page
    with on_commit(execute=True):
        answer = client.post(
            url,
            {
                "rule_set": opened_round.rule_set_id,
                "mode": "rules",
                "parameter_threshold_multiple": "1.50",
                "parameter_ceiling_drop_share": "0.45",
                "overrides": "",
            },
        )
    run = AwardRun.objects.filter(round=opened_round).get()
    assert answer.status_code == 302
    assert run.overrides == {"threshold_multiple": "1.5", "ceiling_drop_share": "0.45"} and not run.is_official
    # A share above one, a parameter given twice or one the rule set does not have is refused and computes nothing.
    for refused, message in (
        ({"parameter_revival": "no"}, "Unknown parameters for rule set"),
        ({"parameter_ceiling_drop_share": "1.2"}, "less than or equal to 1"),
        (
            {"parameter_threshold_multiple": "1.6", "overrides": '{"threshold_multiple": "1.7"}'},
            "give it once",
        ),
    ):
        answer = client.post(url, {"rule_set": opened_round.rule_set_id, "mode": "rules", "overrides": "", **refused})
        assert answer.status_code == 200 and message in answer.content.decode()
    assert AwardRun.objects.filter(round=opened_round).count() == 1


def test_results_pages_after_publication(client, opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    client.force_login(user("supplier1"))
    results = reverse("procurement:round_results", args=[opened_round.pk])
    assert 'data-testid="not-published"' in client.get(results).content.decode()
    client.logout()
    assert client.get(reverse("public:award_announcement", args=[opened_round.code])).status_code == 404
    award_publish(actor=officer, run=run)
    announcement = client.get(reverse("public:award_announcement", args=[opened_round.code])).content.decode()
    for outcome in run.outcomes.filter(won=True).select_related("supplier"):
        assert outcome.supplier.name in announcement and str(outcome.winning_price) in announcement
    supplier = user("supplier1")
    client.force_login(supplier)
    page = client.get(results).content.decode()
    own = run.outcomes.filter(supplier=supplier.organisation)
    others = run.outcomes.exclude(supplier=supplier.organisation).filter(won=False)
    assert own.exists() and all(o.group.code in page for o in own)
    for other in others:
        assert f">{other.comparable}<" not in page or own.filter(comparable=other.comparable).exists()
    hospital = user("hospital1")
    client.force_login(hospital)
    page = client.get(reverse("procurement:round_allocations", args=[opened_round.pk])).content.decode()
    mine = AllocationLine.objects.filter(run=run, hospital=hospital.organisation)
    assert mine.exists() and all(line.supplier.name in page for line in mine)
    assert "award.allocated" not in page
    inbox = client.get(reverse("accounts:notification_list")).content.decode()
    assert opened_round.code in inbox
    client.post(reverse("accounts:notification_list"))
    assert not Notification.objects.filter(organisation=hospital.organisation, read_at__isnull=True).exists()


def test_api_compute_is_idempotent_and_publish(api_for, opened_round):
    api = api_for(user("officer"))
    with on_commit(execute=True):
        first = api.post(f"/api/v1/award-runs/?round={opened_round.pk}", {"mode": "rules"}, format="json")
    assert first.status_code == 202, first.content
    again = api.post(f"/api/v1/award-runs/?round={opened_round.pk}", {"mode": "rules"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    run_id = first.json()["id"]
    detail = api.get(f"/api/v1/award-runs/{run_id}/").json()
    assert detail["status"] == "done" and len(detail["groups"]) == 3 and detail["outcomes"]
    with on_commit(execute=True):
        optimised = api.post(f"/api/v1/award-runs/?round={opened_round.pk}", {"mode": "optimised"}, format="json")
    compare = api.get(f"/api/v1/award-runs/{run_id}/compare/?with={optimised.json()['id']}").json()
    assert len(compare["groups"]) == 3
    lines = api.get(f"/api/v1/award-runs/{run_id}/lines/").json()
    assert lines["count"] == AllocationLine.objects.filter(run_id=run_id).count()
    bad = api.post(f"/api/v1/award-runs/?round={opened_round.pk}", {"parameters": {"nope": 1}}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_parameter"
    published = api.post(f"/api/v1/award-runs/{run_id}/publish/")
    assert published.status_code == 200 and published.json()["published_at"]


@pytest.mark.parametrize("name", ["credit", "supplier1", "hospital1"])
def test_api_award_runs_are_for_procurement_officers(api_for, opened_round, officer, name):
    run = award_compute(actor=officer, tender_round=opened_round)
    api = api_for(user(name))
    assert api.post(f"/api/v1/award-runs/?round={opened_round.pk}", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/award-runs/{run.pk}/publish/").status_code in (403, 404)
    assert AwardRun.objects.get(pk=run.pk).published_at is None
    listed = api.get("/api/v1/award-runs/")
    assert listed.status_code == 403 or listed.json()["count"] == 0


def test_api_published_results_are_scoped(api_for, opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    supplier = user("supplier1")
    mine = f"/api/v1/award-outcomes/?run__round={opened_round.pk}"
    assert api_for(supplier).get(mine).json()["count"] == 0  # nothing before publication
    award_publish(actor=officer, run=run)
    outcomes = api_for(supplier).get(f"{mine}&page_size=500").json()["results"]
    assert {o["supplier"] for o in outcomes if not o["won"]} <= {supplier.organisation.code}
    assert {o["id"] for o in outcomes if o["won"]} == set(run.outcomes.filter(won=True).values_list("id", flat=True))
    hospital = user("hospital1")
    allocations = f"/api/v1/allocations/?run__round={opened_round.pk}"
    lines = api_for(hospital).get(f"{allocations}&page_size=500").json()["results"]
    assert lines and {line["hospital"] for line in lines} == {hospital.organisation.code}
    served = api_for(supplier).get(f"{allocations}&page_size=500").json()["results"]
    assert {line["supplier"] for line in served} <= {supplier.organisation.code}
    assert api_for(user("officer")).get(allocations).json()["count"] == run.lines.count()


def test_api_hospital_chooses_a_winner(api_for, opened_round, officer):
    run = award_compute(actor=officer, tender_round=opened_round)
    report, outcome = _report_and_winner(run)
    answer = api_for(user("hospital1")).post(
        f"/api/v1/demand/{report.pk}/choose/", {"supplier": outcome.supplier_id}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["chosen_supplier"] == outcome.supplier.code
    other = api_for(user("hospital2")).post(f"/api/v1/demand/{report.pk}/choose/", {"supplier": None}, format="json")
    assert other.status_code == 404
    assert DemandReport.objects.get(pk=report.pk).chosen_supplier_id == outcome.supplier_id
    supplier = Organisation.objects.get(pk=outcome.supplier_id)
    assert supplier.kind == Organisation.Kind.SUPPLIER
