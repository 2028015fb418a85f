"""factory_boy factories for the platform's models."""

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
