"""Replaying published results (``manage.py award_replay``): each group of an award-preview file that carries its
``published_winners`` is computed under its round's rule set, and the computed winners are compared with the
published ones. Pure: no database. docs/award.md, "Replaying history"."""

import re
from collections import Counter
from dataclasses import dataclass, field

from ..engines.rule_sets import ROUND_RULE_SETS
from .award_preview import PreviewInputError, preview

ROUND_PREFIX = re.compile(r"^R(\d+)-")


@dataclass
class GroupReplay:
    id: str
    rule_set: str
    rule_set_version: str
    published: list[str]
    result: dict  # the group as award_preview computes it

    @property
    def computed(self) -> list[str]:
        return sorted(bid["supplier"] for bid in self.result["bids"] if bid["won"])

    @property
    def reproduced(self) -> bool:
        return self.computed == sorted(self.published)


@dataclass
class Replay:
    groups: list[GroupReplay] = field(default_factory=list)

    def totals(self) -> dict[str, tuple[int, int]]:
        """rule set code → (reproduced, groups), and "all"."""
        done, seen = Counter(), Counter()
        for group in self.groups:
            for key in (group.rule_set, "all"):
                seen[key] += 1
                done[key] += group.reproduced
        return {key: (done[key], seen[key]) for key in seen}


def rule_set_of(group: dict, document: dict, forced: str | None) -> str:
    """The rule set a group is replayed under: the one asked for, the group's own, its round's (id ``R<n>-``), or
    the file's."""
    if forced:
        return forced
    if isinstance(group, dict) and isinstance(group.get("rule_set"), str):
        return group["rule_set"]
    match = ROUND_PREFIX.match(str(group.get("id", ""))) if isinstance(group, dict) else None
    if match and match.group(1) in ROUND_RULE_SETS:
        return ROUND_RULE_SETS[match.group(1)]
    return document.get("rule_set", "nvbp-1.8x")


def replay(document, *, rule_set: str | None = None) -> Replay:
    if not isinstance(document, dict):
        raise PreviewInputError("(document): not a JSON object")
    groups = document.get("groups")
    if not isinstance(groups, list):
        raise PreviewInputError("groups: not a list" if "groups" in document else "groups: missing")
    report = Replay()
    for index, group in enumerate(groups):
        path = f"groups[{index}]"
        if not isinstance(group, dict):
            raise PreviewInputError(f"{path}: not an object")
        published = group.get("published_winners")
        if not isinstance(published, list) or not all(isinstance(name, str) for name in published):
            raise PreviewInputError(f"{path}.published_winners: {'missing' if published is None else 'not a list'}")
        bidders = {bid.get("supplier") for bid in group.get("bids") or [] if isinstance(bid, dict)}
        strangers = sorted(set(published) - bidders)
        if strangers:
            raise PreviewInputError(f"{path}.published_winners: not bidders of the group: {', '.join(strangers)}")
        code = rule_set_of(group, document, rule_set)
        inner = {"rule_set": code, "groups": [group]}
        if code == document.get("rule_set") and not rule_set:
            inner["parameters"] = document.get("parameters") or {}
        try:
            result = preview(inner)
        except PreviewInputError as error:
            raise PreviewInputError(str(error).replace("groups[0]", path, 1)) from None
        report.groups.append(
            GroupReplay(str(group["id"]), code, result["rule_set_version"], published, result["groups"][0])
        )
    return report
