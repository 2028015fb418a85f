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
