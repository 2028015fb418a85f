"""Procurement asks pricing for listed prices and tells it about published awards through procurement.hooks,
which pricing fills from its AppConfig.ready(): procurement imports no pricing code (the layers contract)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from pricing import hooks as pricing_hooks
from procurement import hooks
from procurement.models import AwardRun


def test_pricing_registers_its_listed_prices_and_connects_to_the_award():
    assert hooks._readers == [pricing_hooks.listed_prices]
    assert hooks.award_published.has_listeners(AwardRun)
    # Disconnecting answers whether it was connected (then it is connected again, as pricing does).
    assert hooks.award_published.disconnect(dispatch_uid="pricing.standards")
    assert not hooks.award_published.has_listeners(AwardRun)
    hooks.award_published.connect(pricing_hooks.payment_standards_on_award, dispatch_uid="pricing.standards")


def test_registering_again_keeps_one_reader():
    hooks.register_listed_prices(pricing_hooks.listed_prices)
    assert hooks._readers == [pricing_hooks.listed_prices]


def test_without_a_reader_the_purchase_check_refuses_to_guess(monkeypatch):
    monkeypatch.setattr(hooks, "_readers", [])
    with pytest.raises(ImproperlyConfigured, match="listed-price reader"):
        hooks.listed_prices([1])


@pytest.mark.django_db
def test_the_reader_answers_listed_and_suspended_prices_by_product_and_region():
    from pricing.models import Listing
    from tests.factories import ProductFactory

    product, other = ProductFactory(), ProductFactory()
    officer_free = {"basis": Listing.Basis.NON_VBP, "supplier": product.holder}
    listed = Listing.objects.create(
        product=product, price=Decimal("1.2500"), status=Listing.Status.LISTED, **officer_free
    )
    Listing.objects.create(
        product=other,
        price=Decimal("3"),
        status=Listing.Status.PENDING,
        basis=Listing.Basis.NON_VBP,
        supplier=other.holder,
    )
    answer = hooks.listed_prices([product.pk, other.pk])
    assert answer == {(product.pk, None): hooks.ListedPrice(Decimal("1.2500"), False)}
    Listing.objects.filter(pk=listed.pk).update(status=Listing.Status.SUSPENDED)
    assert hooks.listed_prices([product.pk]) == {(product.pk, None): hooks.ListedPrice(Decimal("1.2500"), True)}
