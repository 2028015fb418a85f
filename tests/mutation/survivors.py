"""Fail when a mutant of an engine survives that is not in the checked-in list of accepted survivors.

Run by ``make mutation`` after ``mutmut run``. A survivor is identified by its function and the lines its mutation
changes (not by mutmut's number, which shifts whenever the function changes), so the list stays valid while the
engine is edited elsewhere. Each accepted survivor carries a one-line reason: equivalent (no input tells it apart)
or message-only (the text of an error that no caller reads).

    python -m tests.mutation.survivors            # check; prints the score per engine
    python -m tests.mutation.survivors --write    # print list entries for the current survivors (to review)
"""

import json
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[2]
ACCEPTED = Path(__file__).with_name("accepted.toml")
GOAL = 97.0
KINDS = ("equivalent", "message")
# A mutant that makes the tests fail, or run past the time limit (an endless loop), is detected; one with which
# the tests pass, or that no selected test reaches, survives.
DETECTED = {"killed", "timeout"}
SURVIVING = {"survived", "no tests"}


def _engines() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["mutmut"]["paths_to_mutate"]


def _function(mutant: str) -> str:
    """``procurement.engines.award_rules.x_award_group__mutmut_12`` → ``award_group``; methods keep their class."""
    name = mutant.rsplit(".", 1)[-1]
    name = re.sub(r"__mutmut_\d+$", "", name)
    return re.sub(r"^x[_ǁ]", "", name).replace("ǁ", ".")


def _change(mutant: str, path: str) -> tuple[str, str]:
    """The removed and added lines of the mutant's diff, stripped and joined."""
    diff = get_diff_for_mutant(mutant, path=path).splitlines()
    removed = [line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++")]
    return " / ".join(removed), " / ".join(added)


def _key(entry: dict) -> tuple[str, str, str, str]:
    return entry["engine"], entry["function"], entry["before"], entry["after"]


def _results(path: str) -> dict[str, int]:
    meta = ROOT / "mutants" / f"{path}.meta"
    if not meta.exists():
        sys.exit(f"no mutmut results for {path}: run `mutmut run` first")
    return json.loads(meta.read_text())["exit_code_by_key"]


def main(write: bool = False) -> int:
    import os

    os.chdir(ROOT)
    accepted = tomllib.loads(ACCEPTED.read_text()).get("mutant", []) if ACCEPTED.exists() else []
    unjustified = [
        entry for entry in accepted if not entry.get("reason", "").strip() or entry.get("kind") not in KINDS
    ]
    if unjustified:
        print(f"{len(unjustified)} accepted survivors lack a reason or a kind ({', '.join(KINDS)})", file=sys.stderr)
        return 1
    allowance = Counter(_key(entry) for entry in accepted)
    kind_of = {_key(entry): entry["kind"] for entry in accepted}
    unexpected, failed = [], False
    for path in _engines():
        results = _results(path)
        statuses = Counter(status_by_exit_code[code] for code in results.values())
        survivors = sorted(name for name, code in results.items() if status_by_exit_code[code] in SURVIVING)
        justified = equivalent = 0
        for mutant in survivors:
            change = (path, _function(mutant), *_change(mutant, path))
            if allowance[change] > 0:
                allowance[change] -= 1
                justified += 1
                equivalent += kind_of[change] == "equivalent"
            else:
                unexpected.append((mutant, change))
        total = len(results)
        detected = sum(statuses[status] for status in DETECTED)
        behavioural = total - equivalent
        score = 100.0 * detected / behavioural if behavioural else 100.0
        raw = 100.0 * detected / total if total else 100.0
        odd = {status: count for status, count in statuses.items() if status not in DETECTED | SURVIVING}
        print(
            f"{path}: {total} mutants ({equivalent} equivalent), {detected} killed, {justified} accepted survivors, "
            f"{len(survivors) - justified} unexpected; score {score:.1f} % (mutmut's, over all mutants: {raw:.1f} %)"
            + (f"; other results {odd}" if odd else "")
        )
        if score < GOAL or odd:
            print(
                f"  below the goal of {GOAL} % killed" if score < GOAL else "  mutants with other results",
                file=sys.stderr,
            )
            failed = True
    stale = [change for change, count in allowance.items() if count > 0]
    for change in stale:
        print(f"accepted survivor no longer survives (remove it from the list): {change}", file=sys.stderr)
    if unexpected:
        print(f"\n{len(unexpected)} mutants survived that are not in {ACCEPTED.relative_to(ROOT)}:", file=sys.stderr)
        for mutant, (path, function, before, after) in unexpected:
            if write:
                print(
                    "[[mutant]]\n"
                    f"engine = {json.dumps(path)}\nfunction = {json.dumps(function)}\n"
                    f"before = {json.dumps(before, ensure_ascii=False)}\n"
                    f'after = {json.dumps(after, ensure_ascii=False)}\nkind = "equivalent"\nreason = ""\n'
                )
            else:
                print(f"  {mutant} ({function}): {before!r} → {after!r}", file=sys.stderr)
    return 1 if unexpected or stale or failed else 0


if __name__ == "__main__":
    sys.exit(main(write="--write" in sys.argv))
