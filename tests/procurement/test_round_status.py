"""The round's status machine: the transition table, manual moves, timetable moves, audit rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from procurement import services
from procurement.exceptions import ProcurementError
from procurement.models import RoundStatusChange, TenderRound
from procurement.models.rounds import RoundStatus as S
from procurement.services.rounds import MANUAL, TRANSITIONS
from tests.factories import GroupFactory, RoundFactory, rule_set

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(source, target) for source in S.values for target in S.values if source != target]


def test_transition_table_is_exactly_the_documented_one():
    assert TRANSITIONS == {
        "draft": {"demand", "cancelled"},
        "demand": {"bidding", "cancelled"},
        "bidding": {"bids_closed", "cancelled"},
        "bids_closed": {"opened", "cancelled"},
        "opened": {"awarded", "cancelled"},
        "awarded": {"in_effect"},
        "in_effect": {"closed"},
        "closed": set(),
        "cancelled": set(),
    }


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_manual_transition_matrix(officer, source, target):
    tender_round = RoundFactory(status=source)
    GroupFactory(round=tender_round)
    # Keep the timetable in the future so that no automatic move follows a manual one.
    future = timezone.now() + timedelta(days=30)
    TenderRound.objects.filter(pk=tender_round.pk).update(
        demand_opens_at=future,
        demand_closes_at=future + timedelta(days=1),
        bid_opens_at=future + timedelta(days=2),
        bid_closes_at=future + timedelta(days=3),
        opening_at=future + timedelta(days=4),
    )
    tender_round.refresh_from_db()
    if (source, target) in MANUAL:
        services.round_transition(actor=officer, tender_round=tender_round, to_status=target, reason="because")
        tender_round.refresh_from_db()
        assert tender_round.status == target
        change = RoundStatusChange.objects.get(round=tender_round)
        assert (change.from_status, change.to_status, change.changed_by) == (source, target, officer)
        assert AuditEntry.objects.filter(action="round.transition", object_id=str(tender_round.pk)).count() == 1
    else:
        with pytest.raises(ProcurementError) as error:
            services.round_transition(actor=officer, tender_round=tender_round, to_status=target, reason="because")
        expected = "not_manual" if target in TRANSITIONS[source] else "bad_transition"
        assert error.value.code == expected
        tender_round.refresh_from_db()
        assert tender_round.status == source
        assert not RoundStatusChange.objects.exists()


def test_cancel_needs_a_reason(officer):
    tender_round = RoundFactory(status="demand")
    with pytest.raises(ProcurementError) as error:
        services.round_transition(actor=officer, tender_round=tender_round, to_status="cancelled")
    assert error.value.code == "reason_required"


def test_publishing_needs_a_group(officer):
    tender_round = RoundFactory(status="draft")
    with pytest.raises(ProcurementError) as error:
        services.round_transition(actor=officer, tender_round=tender_round, to_status="demand")
    assert error.value.code == "no_groups"


def test_only_officers_move_rounds(supplier_user, credit_officer):
    tender_round = RoundFactory(status="demand")
    for user in (supplier_user, credit_officer):
        with pytest.raises(ProcurementError) as error:
            services.round_transition(actor=user, tender_round=tender_round, to_status="cancelled", reason="x")
        assert error.value.code == "not_officer"


def test_timetable_moves_the_round_and_running_twice_changes_nothing():
    now = timezone.now()
    tender_round = RoundFactory(
        status="demand",
        bid_opens_at=now - timedelta(hours=2),
        bid_closes_at=now - timedelta(hours=1),
        opening_at=now + timedelta(hours=1),
    )
    assert services.advance_due_rounds(now=now) == 1
    tender_round.refresh_from_db()
    assert tender_round.status == "bids_closed"
    moves = list(RoundStatusChange.objects.values_list("from_status", "to_status", "changed_at"))
    assert moves == [
        ("demand", "bidding", tender_round.bid_opens_at),
        ("bidding", "bids_closed", tender_round.bid_closes_at),
    ]
    assert services.advance_due_rounds(now=now) == 0
    assert RoundStatusChange.objects.count() == 2


def test_nothing_moves_before_its_time():
    tender_round = RoundFactory(status="bidding")
    assert services.advance_due_rounds() == 0
    tender_round.refresh_from_db()
    assert tender_round.status == "bidding"


def test_draft_never_moves_by_itself():
    now = timezone.now()
    tender_round = RoundFactory(status="draft", bid_opens_at=now - timedelta(hours=2))
    services.advance_due_rounds(now=now)
    tender_round.refresh_from_db()
    assert tender_round.status == "draft"


def test_management_command_advances(capsys):
    from django.core.management import call_command

    now = timezone.now()
    RoundFactory(status="bidding", bid_closes_at=now - timedelta(minutes=1), opening_at=now)
    call_command("advance_rounds")
    assert "1 round" in capsys.readouterr().out
    assert TenderRound.objects.get().status == "bids_closed"


def test_round_create_checks_the_timetable(officer):
    now = timezone.now()
    values = dict(
        code="R1",
        name="Round 1",
        demand_opens_at=now,
        demand_closes_at=now + timedelta(days=5),
        bid_opens_at=now + timedelta(days=4),
        bid_closes_at=now + timedelta(days=6),
        opening_at=now + timedelta(days=6),
    )
    with pytest.raises(ProcurementError) as error:
        services.round_create(actor=officer, rule_set=rule_set(), **values)
    assert error.value.code == "timetable_order"
    values["bid_opens_at"] = now + timedelta(days=5)
    tender_round = services.round_create(actor=officer, rule_set=rule_set(), **values)
    tender_round.refresh_from_db()
    assert (tender_round.status, str(tender_round.k_strength), str(tender_round.k_pack)) == ("draft", "1.700", "2.000")
    assert len(tender_round.sealing_salt) == 64


def test_extend_demand_window(officer):
    tender_round = RoundFactory(
        status="demand",
        demand_closes_at=timezone.now() + timedelta(days=1),
        bid_opens_at=timezone.now() + timedelta(days=5),
        bid_closes_at=timezone.now() + timedelta(days=6),
        opening_at=timezone.now() + timedelta(days=6),
    )
    new_close = tender_round.demand_closes_at + timedelta(days=2)
    services.demand_window_extend(actor=officer, tender_round=tender_round, closes_at=new_close, reason="late")
    tender_round.refresh_from_db()
    assert tender_round.demand_closes_at == new_close
    entry = AuditEntry.objects.get(action="round.extend_demand")
    assert entry.reason == "late"
    with pytest.raises(ProcurementError) as error:
        services.demand_window_extend(
            actor=officer,
            tender_round=tender_round,
            closes_at=tender_round.bid_opens_at + timedelta(seconds=1),
            reason="x",
        )
    assert error.value.code == "overlaps_bidding"
