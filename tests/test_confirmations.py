"""Every irreversible or bulk action asks first (``data-confirm`` on its form, answered in static/js/app.js): the
forms of these actions are found in the templates and each must carry its question. The browser journeys assert
that the questions appear and name what they act on."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# The URL names of the actions that cannot be undone, or act on many rows at once.
IRREVERSIBLE = [
    "procurement:round_open",
    "procurement:round_transition",
    "procurement:award_run_publish",
    "procurement:award_revival_accept",
    "procurement:round_bid_withdraw",
    "contracts:contracts_generate",
    "contracts:contracts_confirm_bulk",
    "contracts:contract_confirm",
    "contracts:contract_renew",
    "credit:record_acknowledge",
    "credit:record_notify",
    "credit:record_decide",
    "credit:record_revoke",
    "credit:repair_decide",
    "pricing:listing_review",
    "pricing:listing_price_review",
    "pricing:listing_suspend",
    "pricing:run_checks",
]
# Forms posting to their own page, named by their test id.
OWN_PAGE_FORMS = ["supply-failure-form", "run-form", "tip-review"]
FORM = re.compile(r"<form\b[^>]*?(?:\{%[^%]*%\}[^>]*?)*>", re.S)


def _forms():
    for path in TEMPLATES.rglob("*.html"):
        for tag in FORM.findall(path.read_text()):
            yield path.relative_to(TEMPLATES), tag


@pytest.mark.parametrize("name", IRREVERSIBLE)
def test_each_irreversible_action_asks_first(name):
    forms = [(path, tag) for path, tag in _forms() if f"{{% url '{name}'" in tag]
    assert forms, f"no form posts to {name}"
    for path, tag in forms:
        assert "data-confirm=" in tag, f"{path}: the form of {name} does not ask first"


@pytest.mark.parametrize("test_id", OWN_PAGE_FORMS)
def test_each_irreversible_form_on_its_own_page_asks_first(test_id):
    forms = [(path, tag) for path, tag in _forms() if f'data-testid="{test_id}"' in tag]
    assert forms, f"no form {test_id}"
    assert all("data-confirm=" in tag for _path, tag in forms)


def test_the_warning_outcome_asks_first():
    source = (TEMPLATES / "pricing" / "warning_detail.html").read_text()
    closing = re.search(r'\{% if is_officer and "close" in warning.next_steps %\}(<form\b[^>]*>)', source)
    assert closing and "data-confirm=" in closing.group(1)
