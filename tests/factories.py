"""factory_boy factories for the platform's models."""

from datetime import date, timedelta
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


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"43{n + 1:02d}{n % 90 + 10:02d}")
    name = factory.Sequence(lambda n: f"County {n}")
    level = Region.Level.COUNTY
    parent = factory.SubFactory(CityFactory)


class DistributorFactory(OrganisationFactory):
    kind = Organisation.Kind.DISTRIBUTOR
    code = factory.Sequence(lambda n: uscc.complete(f"914301007{n:08d}"))
    name = factory.Sequence(lambda n: f"Distributor {n} Logistics")
    licence_number = factory.Sequence(lambda n: f"湘AA73{n:05d}")
    licence_scope = Organisation.LicenceScope.DRUGS
    licence_expires = factory.LazyFunction(lambda: date.today() + timedelta(days=5 * 365))


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


# --- Rows made the way the platform makes them -------------------------------------------------------------------
# Bids are sealed, award runs computed, records judged and purchases rolled up by their services; these factories
# call the services (factory_boy's ``_create``), so a test's world is one a user could have made. Rows that no
# service makes alone (an agreement outside an award, a listing) are model factories with consistent defaults.


class SupplierUserFactory(UserFactory):
    role = Role.SUPPLIER_USER
    organisation = factory.SubFactory(SupplierFactory)


class HospitalUserFactory(UserFactory):
    role = Role.HOSPITAL_USER
    organisation = factory.SubFactory(HospitalFactory)


class OfficerFactory(UserFactory):
    role = Role.PROCUREMENT_OFFICER


class CreditOfficerFactory(UserFactory):
    role = Role.CREDIT_OFFICER


class DemandReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "procurement.DemandReport"

    group = factory.SubFactory(GroupFactory)
    hospital = factory.SubFactory(HospitalFactory)
    quantity = 1000
    reported_by = factory.LazyAttribute(lambda report: HospitalUserFactory(organisation=report.hospital))


class BidFactory(factory.Factory):
    """A supplier's sealed bid for a group (returns the ``BidVersion`` with its receipt), submitted through
    ``bid_submit`` after signing the round's commitment; the product is made eligible in the group. The default
    product (20 mg × 14) at 7.0000 a pack is 0.5000 per comparable unit of the default group."""

    class Meta:
        model = "procurement.BidVersion"

    group = factory.SubFactory(GroupFactory)
    supplier_user = factory.SubFactory(SupplierUserFactory)
    product = factory.LazyAttribute(lambda bid: ProductFactory(holder=bid.supplier_user.organisation))
    price = "7.0000"
    capacity = None
    regions = ()

    @classmethod
    def _create(cls, model_class, *, group, supplier_user, product, price, capacity, regions):
        from procurement.services import bid_submit, commitment_sign

        group.eligible_products.add(product)
        commitment_sign(actor=supplier_user, tender_round=group.round)
        return bid_submit(
            actor=supplier_user, group=group, product=product, price=price, capacity=capacity, regions=regions
        )


def open_round(tender_round, officer):
    """Close bidding and open the bids (``round_open``), as the officer does at the opening time."""
    from django.utils import timezone

    from procurement.services import round_open

    now = timezone.now()
    type(tender_round).objects.filter(pk=tender_round.pk).update(
        bid_closes_at=now - timedelta(seconds=2), opening_at=now - timedelta(seconds=1)
    )
    tender_round.refresh_from_db()
    return round_open(actor=officer, tender_round=tender_round)


class AwardRunFactory(factory.Factory):
    """An award computation of an opened round (``award_compute``, its Celery tasks run at once as the tests run
    them), published with ``published=True`` (``award_publish``)."""

    class Meta:
        model = "procurement.AwardRun"

    tender_round = None
    actor = factory.SubFactory(OfficerFactory)
    published = False

    @classmethod
    def _create(cls, model_class, *, tender_round, actor, published):
        from django.test import TestCase

        from procurement.services.award import award_compute, award_publish

        tender_round.refresh_from_db()
        # The computation is dispatched when the transaction commits; a test's never does, so run it now.
        with TestCase.captureOnCommitCallbacks(execute=True):
            run = award_compute(actor=actor, tender_round=tender_round)
        run.refresh_from_db()
        return award_publish(actor=actor, run=run) if published else run


class ContractFactory(factory.django.DjangoModelFactory):
    """A confirmed agreement in force today: the supplier's product in a group of a round in effect, for the
    hospital's city, at 0.5000 per smallest unit."""

    class Meta:
        model = "procurement.Contract"

    round = factory.SubFactory(RoundFactory, status="in_effect")
    group = factory.LazyAttribute(lambda contract: GroupFactory(round=contract.round))
    hospital = factory.SubFactory(HospitalFactory)
    supplier = factory.SubFactory(SupplierFactory)
    product = factory.LazyAttribute(lambda contract: ProductFactory(holder=contract.supplier))
    region = factory.LazyAttribute(lambda contract: contract.hospital.region)
    agreed_quantity = 1000
    unit_price = Decimal("0.5000")
    comparable_price = Decimal("0.5000")
    cycle_start = factory.LazyFunction(lambda: _now().date() - timedelta(days=30))
    cycle_end = factory.LazyFunction(lambda: _now().date() + timedelta(days=335))
    status = "confirmed"


class PurchaseFactory(factory.Factory):
    """One order line reported by the agreement's hospital under the agreement (``purchase_report``, which keeps
    the rollups); returns the ``PurchaseUpload``."""

    class Meta:
        model = "procurement.PurchaseUpload"

    contract = factory.SubFactory(ContractFactory)
    reporter = factory.LazyAttribute(lambda p: HospitalUserFactory(organisation=p.contract.hospital))
    quantity = 100
    order_number = factory.Sequence(lambda n: f"PO-{n:06d}")

    @classmethod
    def _create(cls, model_class, *, contract, reporter, quantity, order_number):
        import uuid

        from procurement.services.purchases import purchase_report

        row = {
            "order_number": order_number,
            "ordered_on": _now().date(),
            "product": contract.product.national_drug_code,
            "supplier": contract.supplier.code,
            "quantity": quantity,
            "unit_price": contract.unit_price,
        }
        result = purchase_report(
            actor=reporter,
            hospital=contract.hospital,
            rows=[(1, row)],
            source="api",
            idempotency_key=str(uuid.uuid4()),
        )
        return result.upload


class CreditRecordFactory(factory.Factory):
    """A record entered by a credit officer (``record_create``: judged against the catalog in force, the notice
    published): by default a kickback of 150 000 yuan on an administrative penalty, a medium level."""

    class Meta:
        model = "credit.CreditRecord"

    actor = factory.SubFactory(CreditOfficerFactory)
    supplier = factory.SubFactory(SupplierFactory)
    item = "kickback"
    amount = "150000"
    source = "administrative_penalty"
    document_number = factory.Sequence(lambda n: f"湘市监罚〔2026〕{n + 1}号")
    occurred_on = factory.LazyFunction(lambda: _now().date() - timedelta(days=100))
    description = "Kickback found by the market regulator."

    @classmethod
    def _create(cls, model_class, **values):
        from credit.services import record_create

        return record_create(**values)


class ListingFactory(factory.django.DjangoModelFactory):
    """A product listed province-wide at its approved price (outside VBP)."""

    class Meta:
        model = "pricing.Listing"

    product = factory.SubFactory(ProductFactory)
    supplier = factory.LazyAttribute(lambda listing: listing.product.holder)
    price = Decimal("1.2500")
    basis = "non_vbp"
    status = "listed"
