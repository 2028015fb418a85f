"""factory_boy factories for the platform's models."""

from datetime import timedelta
from decimal import Decimal

import factory

from accounts import uscc
from accounts.models import Organisation, Region, Role, User
from procurement.models import Product, QualityTier, SmallestUnit

PASSWORD = "Test-pass-2026"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "430000"
    name = "湖南省"
    level = Region.Level.PROVINCE


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"43{n + 1:02d}00")
    name = factory.Sequence(lambda n: f"City {n}")
    level = Region.Level.CITY
    parent = factory.SubFactory(ProvinceFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.AUTHORITY
    code = factory.Sequence(lambda n: f"AUTH{n:04d}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    region = factory.SubFactory(CityFactory)


class SupplierFactory(OrganisationFactory):
    kind = Organisation.Kind.SUPPLIER
    code = factory.Sequence(lambda n: uscc.complete(f"914301006{n:08d}"))
    name = factory.Sequence(lambda n: f"Supplier {n} Pharma")


class HospitalFactory(OrganisationFactory):
    kind = Organisation.Kind.HOSPITAL
    code = factory.Sequence(lambda n: f"H{n:06d}")
    name = factory.Sequence(lambda n: f"Hospital {n}")
    hospital_level = Organisation.HospitalLevel.LEVEL_3
    ownership = Organisation.Ownership.PUBLIC


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PROCUREMENT_OFFICER
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    national_drug_code = factory.Sequence(lambda n: f"XC10AAA{n:010d}")
    generic_name = "阿托伐他汀钙片"
    dosage_form = "片剂"
    strength_amount = Decimal("20")
    strength_unit = "mg"
    pack_size = 14
    smallest_unit = SmallestUnit.TABLET
    quality_tier = QualityTier.CONSISTENCY_PASSED
    holder = factory.SubFactory(SupplierFactory)


def rule_set(code="nvbp-1.8x"):
    from procurement.models import RuleSet

    return RuleSet.objects.filter(code=code).order_by("-version").first()


class RoundFactory(factory.django.DjangoModelFactory):
    """A round whose windows sit around now: demand closed, bidding open (the common state of the tests)."""

    class Meta:
        model = "procurement.TenderRound"

    code = factory.Sequence(lambda n: f"GY-2026-{n:03d}")
    name = factory.Sequence(lambda n: f"Round {n}")
    rule_set = factory.LazyFunction(rule_set)
    status = "bidding"
    demand_opens_at = factory.LazyFunction(lambda: _now() - timedelta(days=20))
    demand_closes_at = factory.LazyFunction(lambda: _now() - timedelta(days=10))
    bid_opens_at = factory.LazyFunction(lambda: _now() - timedelta(days=1))
    bid_closes_at = factory.LazyFunction(lambda: _now() + timedelta(hours=2))
    opening_at = factory.LazyFunction(lambda: _now() + timedelta(hours=3))
    k_strength = Decimal("1.7")
    k_pack = Decimal("2")
    sealing_salt = factory.LazyFunction(lambda: __import__("secrets").token_hex(32))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "procurement.ProductGroup"

    round = factory.SubFactory(RoundFactory)
    code = factory.Sequence(lambda n: f"G{n:02d}")
    generic_name = "阿托伐他汀钙片"
    dosage_form = "片剂"
    reference_strength = Decimal("20")
    reference_strength_unit = "mg"
    reference_pack = 7
    smallest_unit = SmallestUnit.TABLET
    ceiling_price = Decimal("1.0000")


def _now():
    from django.utils import timezone

    return timezone.now()
