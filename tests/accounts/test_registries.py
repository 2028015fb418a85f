"""What the domain apps register with accounts (which imports none of them): notification wording, home panels
and the audit log's secrecy rule. A registration that goes missing would show raw kinds, empty homes or, worst,
bids of unopened rounds in the audit log."""

import pytest
from django.utils import translation

from accounts import workbench
from accounts.models import AUDIT_SECRECY_RULES, Notification
from accounts.notifications import WORDING, wording
from procurement.audit_secrecy import withhold_unopened
from procurement.workbench import catalog_panel

# Every kind the services send (grep for notify( in procurement, pricing and credit services).
SENT_KINDS = {
    "award.won", "award.lost", "award.allocated", "contract.generated", "supply.failure", "supply.moved",
    "supply.backup", "listing.reviewed", "listing.suspended", "warning.opened", "warning.inquiry",
    "warning.interview", "warning.closed", "credit.notice", "credit.decision", "credit.level", "credit.warning",
    "credit.repair",
}  # fmt: skip


def test_every_kind_the_services_send_has_its_wording_registered():
    assert SENT_KINDS <= set(WORDING)


@pytest.mark.parametrize(
    ("kind", "params", "english", "chinese"),
    [
        ("award.lost", {"round": "R1", "group": "G1", "reason": "above_ceiling"}, "above the ceiling price", None),
        ("listing.reviewed", {"product": "X1", "status": "suspended"}, "reviewed: suspended.", None),
        (
            "warning.closed",
            {"kind": "price_rise", "outcome": "exposed"},
            "about price rise above the threshold is closed: public exposure.",
            None,
        ),
        ("credit.level", {"as_of": "2026-09-30", "level": "serious"}, "is serious (严重).", "严重"),
    ],
)
def test_each_app_words_its_own_coded_parameters(kind, params, english, chinese):
    notification = Notification(kind=kind, params=params)
    with translation.override("en"):
        text = wording(notification)
    assert english in text and "%(" not in text
    if chinese:
        with translation.override("zh-hans"):
            assert chinese in wording(notification)


def test_an_unknown_kind_reads_as_its_code():
    assert wording(Notification(kind="no.such.kind", params={})) == "no.such.kind"


def test_procurement_registers_the_audit_secrecy_of_unopened_rounds_exactly_once():
    assert AUDIT_SECRECY_RULES.count(withhold_unopened) == 1


def test_procurement_registers_its_home_panel_exactly_once():
    assert workbench.PANELS.count(catalog_panel) == 1
    workbench.register(catalog_panel)
    assert workbench.PANELS.count(catalog_panel) == 1
