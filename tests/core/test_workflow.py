"""The workflow helper: a step is possible only from its sources, moves to its target and refuses with its reason."""

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import DomainError
from core.workflow import Step, Workflow

FLOW = Workflow(
    inquire=Step({"open"}, "inquiry", "An inquiry goes to an open warning."),
    answer=Step({"inquiry"}, "answered", "There is no inquiry to answer."),
    close=Step({"open", "inquiry", "answered"}, "closed", "This warning is closed."),
)
STATUSES = ["open", "inquiry", "answered", "closed"]


class Refused(DomainError):
    pass


def test_a_possible_step_moves_to_its_target_and_returns_the_status_before():
    row = SimpleNamespace(status="inquiry")
    assert FLOW.move(row, "answer", Refused) == "inquiry"
    assert row.status == "answered"


def test_an_impossible_step_is_refused_with_its_reason_and_changes_nothing():
    row = SimpleNamespace(status="closed")
    with pytest.raises(Refused) as refused:
        FLOW.move(row, "close", Refused)
    assert refused.value.message == "This warning is closed." and refused.value.code == "bad_status"
    assert row.status == "closed"


def test_the_steps_a_page_offers_are_those_the_service_allows():
    assert FLOW.steps_from("open") == {"inquire", "close"}
    assert FLOW.steps_from("closed") == frozenset()


@given(st.sampled_from(STATUSES), st.sampled_from(sorted(FLOW.steps)))
def test_offered_and_allowed_agree_for_every_status_and_step(status, step):
    row = SimpleNamespace(status=status)
    offered = step in FLOW.steps_from(status)
    try:
        FLOW.move(row, step, Refused)
    except Refused:
        assert not offered and row.status == status
    else:
        assert offered and row.status == FLOW.steps[step].target


def test_a_workflow_reads_as_a_table_of_reachable_statuses_and_named_moves():
    assert FLOW.transitions(STATUSES) == {
        "open": {"inquiry", "closed"},
        "inquiry": {"answered", "closed"},
        "answered": {"closed"},
        "closed": set(),
    }
    assert FLOW.moves({"close"}) == {("open", "closed"), ("inquiry", "closed"), ("answered", "closed")}
    assert FLOW.moves({"answer", "inquire"}) == {("inquiry", "answered"), ("open", "inquiry")}


@given(st.sampled_from(STATUSES), st.sampled_from(STATUSES))
def test_the_step_between_two_statuses_is_the_one_whose_move_lands_there(source, target):
    step = FLOW.step_between(source, target)
    if target in FLOW.transitions(STATUSES)[source]:
        row = SimpleNamespace(status=source)
        assert FLOW.move(row, step, Refused) == source
        assert row.status == target
    else:
        assert step is None
