import itertools

import pytest
from django.core.management import call_command

from accounts.models import Organisation, Region, Role, User
from procurement.models import BidVersion, DemandReport, OpenedBid, Product, TenderRound

pytestmark = pytest.mark.django_db


def counts():
    models = (Region, Organisation, User, Product, TenderRound, DemandReport, BidVersion, OpenedBid)
    return tuple(model.objects.count() for model in models)


def test_load_demo_is_idempotent_and_big_enough(capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert Organisation.objects.suppliers().count() >= 5
    assert Organisation.objects.hospitals().count() >= 20
    assert Organisation.objects.hospitals().values("region").distinct().count() >= 3
    assert Product.objects.count() >= 10
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert "Demo-pass-2026" in capsys.readouterr().out
    assert dict(TenderRound.objects.values_list("code", "status")) == {
        "GY-2026-02": "demand",
        "GY-2026-01": "bidding",
        "GY-2025-09": "opened",
        "GY-2024-11": "in_effect",
    }
    # Bids above the public ceiling are refused at submission, so the demo's suppliers whose price was above it
    # stayed out: every opened demo bid is valid.
    assert OpenedBid.objects.filter(valid=True).exists() and not OpenedBid.objects.filter(valid=False).exists()
    assert OpenedBid.objects.filter(hash_verified=False).count() == 0


def test_demo_data_passes_model_validation():
    call_command("load_demo")
    for model in (Region, Organisation, Product):
        for instance in model.objects.all():
            instance.full_clean()
    for user in User.objects.all():
        user.full_clean()
        assert user.check_password("Demo-pass-2026")


@pytest.mark.django_db
def test_the_demo_rounds_history_reads_in_order_and_in_the_readers_language():
    from django.core.management import call_command
    from django.utils import translation

    from procurement.models import TenderRound
    from procurement.models.rounds import ROUND_WORKFLOW, RoundStatus

    call_command("load_demo", verbosity=0)
    reachable = ROUND_WORKFLOW.transitions(RoundStatus.values)
    for tender_round in TenderRound.objects.exclude(status="draft"):
        changes = list(tender_round.status_changes.order_by("changed_at", "id"))
        assert changes[0].from_status == "draft", tender_round.code
        for before, after in itertools.pairwise(changes):
            assert after.from_status == before.to_status, (tender_round.code, before, after)
            assert after.to_status in reachable[after.from_status]
        assert changes[-1].to_status == tender_round.status
        # Published when the demand window opened, before anything the timetable did.
        assert changes[0].changed_at <= tender_round.demand_opens_at
    with translation.override("zh-hans"):
        reasons = {change.reason_text for change in TenderRound.objects.get(code="GY-2024-11").status_changes.all()}
    assert {"投标开始", "投标截止", "已开标", "已生成采购协议"} <= reasons
    assert not {reason for reason in reasons if reason.isascii()}
