"""Workflows as data: a transition table that the service moving an object and the page offering the move both
read, so the rule "which step is possible in which status" is written once.

The service calls :meth:`Workflow.move` on the row it has locked: the step is refused (with the step's own reason
and the code ``bad_status``) unless the row's status is one of the step's sources, and the new status is set. The
status history is the audit trail: each service records the move with the status before and after."""

from dataclasses import dataclass

from .errors import DomainError


@dataclass(frozen=True)
class Step:
    sources: frozenset
    target: str
    refusal: str  # shown when the object is not in one of ``sources``


class Workflow:
    def __init__(self, *, field: str = "status", **steps: Step) -> None:
        self.field = field
        self.steps = {name: Step(frozenset(step.sources), step.target, step.refusal) for name, step in steps.items()}

    def allows(self, status: str, step: str) -> bool:
        return status in self.steps[step].sources

    def steps_from(self, status: str) -> frozenset[str]:
        """The steps possible from ``status`` (what a page may offer)."""
        return frozenset(name for name, step in self.steps.items() if status in step.sources)

    def step_between(self, status: str, target: str) -> str | None:
        """The step leading from ``status`` to ``target``, for workflows whose callers name the status they want."""
        for name, step in self.steps.items():
            if status in step.sources and step.target == target:
                return name
        return None

    def transitions(self, statuses) -> dict[str, set[str]]:
        """The table as ``{status: the statuses reachable in one step}`` over every status of the model."""
        return {status: {step.target for step in self.steps.values() if status in step.sources} for status in statuses}

    def moves(self, steps) -> set[tuple[str, str]]:
        """The ``(source, target)`` pairs of the named steps."""
        return {(source, self.steps[name].target) for name in steps for source in self.steps[name].sources}

    def move(self, instance, step: str, error: type[DomainError] = DomainError) -> str:
        """Set ``instance``'s status to the step's target (not saved) and return the status it had; refuse with
        ``error`` when the step is not possible from it."""
        rule = self.steps[step]
        before = getattr(instance, self.field)
        if before not in rule.sources:
            raise error(rule.refusal, code="bad_status")
        setattr(instance, self.field, rule.target)
        return before
