"""``manage.py award_preview``: the exchange format in and out, deterministic, no database, clear errors."""

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from procurement.io.award_preview import PreviewInputError, preview

EXAMPLE = Path(__file__).parent / "data" / "award_preview_example.json"


def run(path) -> str:
    out = io.StringIO()
    call_command("award_preview", str(path), stdout=out)  # no db fixture: any database access would fail
    return out.getvalue()


def test_example_file():
    result = json.loads(run(EXAMPLE))
    assert (result["rule_set"], result["rule_set_version"]) == ("nvbp-1.8x", "1")
    group = result["groups"][0]
    assert (group["bidders"], group["valid_bidders"], group["max_winners"], group["lowest_comparable"]) == (
        4,
        3,
        3,
        "0.2521",
    )
    assert [(b["supplier"], b["comparable"], b["rank"], b["reason"]) for b in group["bids"]] == [
        ("S2", "0.2521", 1, "winner"),
        ("S1", "0.3000", 2, "winner"),
        ("S3", "1.0714", 3, "above_threshold"),
        ("S4", None, None, "above_ceiling"),
    ]
    assert (group["ratio"], group["agreed_total"]) == ("0.6", 122000)
    assert group["regions"] == {"R1": "S2", "R2": "S2", "R3": "S1"}
    assert [(a["hospital"], a["supplier"], a["quantity"], a["reason"]) for a in group["allocations"]] == [
        ("H001", "S1", 72000, "reported_brand"),
        ("H002", "S2", 30000, "primary_supplier"),
        ("H003", "S1", 20000, "primary_supplier"),
    ]


def test_byte_identical_and_order_independent(tmp_path):
    first = run(EXAMPLE)
    assert run(EXAMPLE) == first
    document = json.loads(EXAMPLE.read_text())
    group = document["groups"][0]
    random.Random(7).shuffle(group["bids"])
    random.Random(7).shuffle(group["demand"])
    shuffled = tmp_path / "shuffled.json"
    shuffled.write_text(json.dumps(document))
    assert run(shuffled) == first


def test_parameters_override_the_rule_set():
    document = json.loads(EXAMPLE.read_text())
    document["parameters"] = {"ratio_by_winners": {"1": "0.3", "2": "0.4"}}
    assert preview(document)["groups"][0]["ratio"] == "0.4"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["groups"][0]["bids"][1].update(price="cheap"), "groups[0].bids[1].price: not a decimal"),
        (lambda d: d["groups"][0].pop("ceiling"), "groups[0].ceiling: missing"),
        (lambda d: d.update(rule_set="nvbp-99"), "rule_set: unknown rule set"),
        (
            lambda d: d["groups"][0]["demand"][2].update(quantity=-1),
            "groups[0].demand[2].quantity: not a whole number",
        ),
        (lambda d: d["groups"][0]["bids"][0].update(submitted_at="yesterday"), "groups[0].bids[0].submitted_at"),
        (lambda d: d["groups"][0]["bids"].append(dict(d["groups"][0]["bids"][0])), "a second bid of S1"),
    ],
)
def test_bad_input_names_the_field(change, message):
    document = json.loads(EXAMPLE.read_text())
    change(document)
    with pytest.raises(PreviewInputError) as error:
        preview(document)
    assert str(error.value).startswith(message) or message in str(error.value)


def test_command_exit_status_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"groups": [{"id": "G1", "ceiling": "x"}]}')
    completed = subprocess.run(
        [sys.executable, "manage.py", "award_preview", str(bad)], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert completed.returncode == 2
    assert "groups[0].ceiling: not a decimal" in completed.stderr
    assert "Traceback" not in completed.stderr
    stdin = subprocess.run(
        [sys.executable, "manage.py", "award_preview", "-"],
        cwd=settings.BASE_DIR,
        input=EXAMPLE.read_text(),
        capture_output=True,
        text=True,
    )
    assert stdin.returncode == 0 and json.loads(stdin.stdout)["groups"][0]["id"] == "G01"


def test_invalid_json_is_refused(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError) as error:
        run(broken)
    assert "not valid JSON" in str(error.value)


def test_anchor_rule_set_reports_the_anchor():
    document = json.loads(EXAMPLE.read_text())
    document["rule_set"] = "nvbp-anchor"
    group = preview(document)["groups"][0]
    # 4 bidders → shortlist 3; anchor = max(0.2521, 0.5 × mean(0.2521, 0.3000, 1.0714) = 0.27058) → 0.2706
    assert group["anchor"] == "0.2706"
    outcomes = {b["supplier"]: (b["reason"], b.get("justification_required", False)) for b in group["bids"]}
    assert outcomes == {
        "S2": ("winner", True),
        "S1": ("winner", False),
        "S3": ("cut_by_anchor", False),
        "S4": ("above_ceiling", False),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.update(parameters={"max_winners_by_bidders": {"three": 2}}),
            "parameters.max_winners_by_bidders: the key 'three' is not a whole number",
        ),
        (
            lambda d: d.update(parameters={"max_winners_by_bidders": {"3": "two"}}),
            "parameters.max_winners_by_bidders.3: a whole number",
        ),
        (
            lambda d: d.update(parameters={"threshold_multiple": "1.8x"}),
            "parameters.threshold_multiple: not a decimal",
        ),
        (lambda d: d.update(parameters={"treshold_multiple": "1.5"}), "parameters.treshold_multiple: not a parameter"),
        (lambda d: d.update(parameters={"ceiling_drop_share": "1.5"}), "parameters.ceiling_drop_share: a share"),
        (lambda d: d["groups"][0]["bids"][0].update(eligible="no"), "groups[0].bids[0].eligible: true or false"),
        (lambda d: d["groups"][0].update(oral_solid="yes"), "groups[0].oral_solid: true or false"),
    ],
)
def test_bad_parameters_and_flags_exit_2_naming_the_field(tmp_path, change, message):
    """Issue 15, item 15: these crashed with a traceback and exit 1, or were silently read another way."""
    document = json.loads(EXAMPLE.read_text())
    change(document)
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document))
    completed = subprocess.run(
        [sys.executable, "manage.py", "award_preview", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2, completed.stderr
    assert message in completed.stderr and "Traceback" not in completed.stderr


def test_a_price_written_as_a_json_number_is_read_exactly(tmp_path):
    document = json.loads(EXAMPLE.read_text())
    expected = json.loads(run(EXAMPLE))
    text = json.dumps(document)
    for bid in document["groups"][0]["bids"]:
        if bid.get("price") is not None:
            text = text.replace(f'"price": "{bid["price"]}"', f'"price": {bid["price"]}')
    assert '"price": "' not in text.replace('"price": null', "")
    path = tmp_path / "numbers.json"
    path.write_text(text)
    assert json.loads(run(path)) == expected
