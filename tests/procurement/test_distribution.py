"""Distribution relations (trading-rules.md, "Distribution relations"): the manufacturer proposes, the distributor
accepts or refuses, either revokes; the area limit over overlapping dates, eligibility (licence, listing, credit
measures), idempotent creation, expiry, audit and notifications, and who sees which relation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, Notification, Organisation, Role
from procurement.exceptions import IdempotencyKeyReused, ProcurementConflict, ProcurementError
from procurement.models import DistributionRelation, RelationStatus
from procurement.services import distribution as services
from tests.factories import (
    CityFactory,
    CountyFactory,
    DistributorFactory,
    HospitalFactory,
    ListingFactory,
    ProductFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(db):
    return CountyFactory()


@pytest.fixture
def listed_product(supplier_org):
    product = ProductFactory(holder=supplier_org)
    ListingFactory(product=product)
    return product


def distributor_with_user():
    distributor = DistributorFactory()
    return distributor, UserFactory(role=Role.DISTRIBUTOR_USER, organisation=distributor)


@pytest.fixture
def distributor():
    return distributor_with_user()


def propose(user, product, area, distributor, **extra):
    values = {"valid_from": timezone.localdate(), "letter_reference": "SQ-1"} | extra
    return services.relation_create(actor=user, product=product, area=area, distributor=distributor, **values)


def test_proposal_accept_and_history(supplier_user, listed_product, county, distributor):
    organisation, distributor_user = distributor
    relation = propose(supplier_user, listed_product, county, organisation)
    assert relation.status == RelationStatus.PROPOSED
    assert relation.rule_set.code == "trade-hunan-2025"
    # Not a VBP winner: one year by default, ending the day before the anniversary.
    assert relation.valid_to == relation.valid_from.replace(year=relation.valid_from.year + 1) - timedelta(days=1)
    assert Notification.objects.filter(organisation=organisation, kind="relation.proposed").count() == 1
    services.relation_accept(actor=distributor_user, relation=relation)
    relation.refresh_from_db()
    assert relation.status == RelationStatus.ACCEPTED and relation.decided_by == distributor_user
    assert list(DistributionRelation.objects.effective_on(timezone.localdate())) == [relation]
    actions = list(
        AuditEntry.objects.filter(object_id=str(relation.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["relation.create", "relation.propose", "relation.accept"]
    assert Notification.objects.filter(organisation=relation.manufacturer, kind="relation.accepted").exists()


def test_only_the_products_manufacturer_proposes(other_supplier_org, listed_product, county, distributor):
    stranger = UserFactory(role=Role.SUPPLIER_USER, organisation=other_supplier_org)
    with pytest.raises(ProcurementError) as refused:
        propose(stranger, listed_product, county, distributor[0])
    assert refused.value.code == "not_manufacturer"
    assert not DistributionRelation.objects.exists()


def test_a_city_is_not_an_area_under_a_county_level_rule_set(supplier_user, listed_product, distributor):
    with pytest.raises(ProcurementError) as refused:
        propose(supplier_user, listed_product, CityFactory(), distributor[0])
    assert refused.value.code == "area_level"
    assert not DistributionRelation.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"licence_expires": timezone.localdate() - timedelta(days=1)}, "does not cover drugs"),
        ({"licence_scope": Organisation.LicenceScope.DEVICES}, "does not cover drugs"),
        ({"licence_expires": timezone.localdate() + timedelta(days=30)}, "the relation must end by then"),
        ({"is_active": False}, "not active"),
    ],
)
def test_a_distributor_without_a_valid_licence_gets_no_relation(
    supplier_user, listed_product, county, distributor, change, expected
):
    organisation = distributor[0]
    Organisation.objects.filter(pk=organisation.pk).update(**change)
    organisation.refresh_from_db()
    with pytest.raises(ProcurementError, match=expected):
        propose(supplier_user, listed_product, county, organisation)
    assert not DistributionRelation.objects.exists()


def test_a_hospital_is_not_a_distributor(supplier_user, listed_product, county):
    with pytest.raises(ProcurementError, match="neither a distributor"):
        propose(supplier_user, listed_product, county, HospitalFactory())


def test_an_unlisted_product_gets_no_relation(supplier_user, supplier_org, county, distributor):
    with pytest.raises(ProcurementError, match="not listed"):
        propose(supplier_user, ProductFactory(holder=supplier_org), county, distributor[0])


def test_a_relation_cannot_start_in_the_past(supplier_user, listed_product, county, distributor):
    with pytest.raises(ProcurementError) as refused:
        propose(supplier_user, listed_product, county, distributor[0], valid_from=timezone.localdate() - timedelta(1))
    assert refused.value.code == "in_the_past"


def test_the_area_limit_counts_distributors_overlapping_in_time(supplier_user, listed_product, county):
    today = timezone.localdate()
    relations = []
    for _index in range(4):
        organisation, user = distributor_with_user()
        relations.append((propose(supplier_user, listed_product, county, organisation), user))
    for relation, user in relations[:3]:
        services.relation_accept(actor=user, relation=relation)
    fourth, fourth_user = relations[3]
    with pytest.raises(ProcurementError) as refused:
        services.relation_accept(actor=fourth_user, relation=fourth)
    assert refused.value.code == "area_limit"
    fourth.refresh_from_db()
    assert fourth.status == RelationStatus.PROPOSED
    # A relation that starts after another's revocation does not overlap it: the fourth fits then.
    first, first_user = relations[0]
    services.relation_revoke(actor=first_user, relation=first, from_day=today + timedelta(days=10), reason="网点调整")
    organisation, user = distributor_with_user()
    later = propose(supplier_user, listed_product, county, organisation, valid_from=today + timedelta(days=10))
    assert services.relation_accept(actor=user, relation=later).status == RelationStatus.ACCEPTED


def test_no_limit_when_the_rule_set_says_none(supplier_user, listed_product, county):
    from procurement.models import TradingRuleSet

    rule_set = TradingRuleSet.objects.get(is_default=True)
    rule_set.parameters["max_distributors_per_area"] = None
    rule_set.save()
    for _index in range(4):
        organisation, user = distributor_with_user()
        services.relation_accept(actor=user, relation=propose(supplier_user, listed_product, county, organisation))
    assert DistributionRelation.objects.filter(status=RelationStatus.ACCEPTED).count() == 4


def test_a_distributor_holds_one_relation_per_product_and_area_at_a_time(
    supplier_user, listed_product, county, distributor
):
    organisation, user = distributor
    services.relation_accept(actor=user, relation=propose(supplier_user, listed_product, county, organisation))
    with pytest.raises(ProcurementConflict):
        propose(supplier_user, listed_product, county, organisation)
    # Refused in the same transaction as its creation: nothing of the second request is kept.
    assert DistributionRelation.objects.count() == 1


def test_refusal_needs_a_reason_and_tells_the_manufacturer(supplier_user, listed_product, county, distributor):
    organisation, user = distributor
    relation = propose(supplier_user, listed_product, county, organisation)
    with pytest.raises(ProcurementError):
        services.relation_refuse(actor=user, relation=relation, reason="other", text="  ")
    relation.refresh_from_db()
    assert relation.status == RelationStatus.PROPOSED
    services.relation_refuse(actor=user, relation=relation, reason="outside_area")
    relation.refresh_from_db()
    assert (relation.status, relation.refusal_reason) == (RelationStatus.REFUSED, "outside_area")
    notification = Notification.objects.get(organisation=relation.manufacturer, kind="relation.refused")
    from django.utils import translation

    from accounts.notifications import wording

    with translation.override("en"):
        assert "we do not deliver in this area" in wording(notification)


def test_only_the_named_distributor_answers(supplier_user, listed_product, county, distributor):
    relation = propose(supplier_user, listed_product, county, distributor[0])
    _other, other_user = distributor_with_user()
    with pytest.raises(ProcurementError):
        services.relation_accept(actor=other_user, relation=relation)
    with pytest.raises(ProcurementError):
        services.relation_refuse(actor=other_user, relation=relation, reason="other", text="x")
    with pytest.raises(ProcurementError):
        services.relation_accept(actor=supplier_user, relation=relation)
    relation.refresh_from_db()
    assert relation.status == RelationStatus.PROPOSED


def test_revocation_is_not_in_the_past_and_needs_a_reason(supplier_user, listed_product, county, distributor, officer):
    organisation, user = distributor
    relation = propose(supplier_user, listed_product, county, organisation)
    services.relation_accept(actor=user, relation=relation)
    today = timezone.localdate()
    with pytest.raises(ProcurementError):
        services.relation_revoke(actor=supplier_user, relation=relation, from_day=today - timedelta(1), reason="x")
    with pytest.raises(ProcurementError):
        services.relation_revoke(actor=supplier_user, relation=relation, from_day=today, reason=" ")
    hospital_user = UserFactory(role=Role.HOSPITAL_USER, organisation=HospitalFactory())
    with pytest.raises(ProcurementError):
        services.relation_revoke(actor=hospital_user, relation=relation, from_day=today, reason="x")
    relation.refresh_from_db()
    assert relation.status == RelationStatus.ACCEPTED
    services.relation_revoke(actor=supplier_user, relation=relation, from_day=today + timedelta(1), reason="停产")
    relation.refresh_from_db()
    assert relation.status == RelationStatus.REVOKED
    # Effective until the day before the revocation takes effect.
    assert DistributionRelation.objects.effective_on(today).filter(pk=relation.pk).exists()
    assert not DistributionRelation.objects.effective_on(today + timedelta(1)).filter(pk=relation.pk).exists()
    assert Notification.objects.filter(organisation=organisation, kind="relation.revoked").exists()


def test_officers_revoke_in_bulk_all_or_nothing(supplier_user, listed_product, county, officer):
    relations = []
    for _index in range(2):
        organisation, user = distributor_with_user()
        relation = propose(supplier_user, listed_product, county, organisation)
        services.relation_accept(actor=user, relation=relation)
        relations.append(relation)
    proposed = propose(supplier_user, listed_product, county, distributor_with_user()[0])
    today = timezone.localdate()
    with pytest.raises(ProcurementError):
        services.relations_revoke_bulk(
            actor=officer, relation_ids=[r.pk for r in relations] + [proposed.pk], from_day=today, reason="资质撤销"
        )
    assert DistributionRelation.objects.filter(status=RelationStatus.REVOKED).count() == 0
    assert (
        services.relations_revoke_bulk(
            actor=officer, relation_ids=[r.pk for r in relations], from_day=today, reason="资质撤销"
        )
        == 2
    )
    assert DistributionRelation.objects.filter(status=RelationStatus.REVOKED).count() == 2
    with pytest.raises(ProcurementError):
        services.relations_revoke_bulk(actor=supplier_user, relation_ids=[proposed.pk], from_day=today, reason="x")


def test_expiry_marks_relations_past_their_dates(supplier_user, listed_product, county, distributor):
    organisation, user = distributor
    relation = propose(supplier_user, listed_product, county, organisation)
    services.relation_accept(actor=user, relation=relation)
    assert services.relations_expire(relation.valid_to) == 0
    assert services.relations_expire(relation.valid_to + timedelta(days=1)) == 1
    relation.refresh_from_db()
    assert relation.status == RelationStatus.EXPIRED
    assert AuditEntry.objects.filter(action="relation.expire", object_id=str(relation.pk)).exists()


def test_a_draft_is_proposed_or_deleted_by_its_manufacturer(supplier_user, listed_product, county, distributor):
    draft = propose(supplier_user, listed_product, county, distributor[0], propose=False)
    assert draft.status == RelationStatus.DRAFT
    assert not Notification.objects.filter(kind="relation.proposed").exists()
    with pytest.raises(ProcurementError):
        services.relation_accept(actor=distributor[1], relation=draft)
    services.relation_delete_draft(actor=supplier_user, relation=draft)
    assert not DistributionRelation.objects.exists()
    assert AuditEntry.objects.filter(action="relation.delete").exists()


def test_a_retried_request_returns_the_same_relation(supplier_user, listed_product, county, distributor):
    first = propose(supplier_user, listed_product, county, distributor[0], request_key="k-1")
    again = propose(supplier_user, listed_product, county, distributor[0], request_key="k-1")
    assert again.pk == first.pk and DistributionRelation.objects.count() == 1
    with pytest.raises(IdempotencyKeyReused):
        propose(supplier_user, listed_product, county, distributor[0], request_key="k-1", letter_reference="SQ-2",
                valid_from=timezone.localdate() + timedelta(days=1))  # fmt: skip
    assert DistributionRelation.objects.count() == 1


def test_a_credit_measure_on_the_distributor_bars_new_relations(supplier_user, listed_product, county, distributor):
    from credit.models import Measure, MeasureKind
    from credit.models.records import Level

    organisation = distributor[0]
    Measure.objects.create(
        supplier=organisation,
        kind=MeasureKind.SUSPEND_DELIVERY_ALL,
        level=Level.PARTICULARLY_SERIOUS,
        all_products=True,
        starts_on=timezone.localdate(),
    )
    with pytest.raises(ProcurementError, match="may not deliver"):
        propose(supplier_user, listed_product, county, organisation)


def test_who_sees_which_relation(supplier_user, other_supplier_org, listed_product, county, distributor, officer):
    organisation, user = distributor
    proposed = propose(supplier_user, listed_product, county, organisation)
    draft = propose(supplier_user, listed_product, CountyFactory(), organisation, propose=False)
    stranger_supplier = UserFactory(role=Role.SUPPLIER_USER, organisation=other_supplier_org)
    _other, other_distributor = distributor_with_user()
    hospital_user = UserFactory(role=Role.HOSPITAL_USER, organisation=HospitalFactory())
    visible = {
        who: set(DistributionRelation.objects.visible_to(who))
        for who in (supplier_user, user, stranger_supplier, other_distributor, hospital_user, officer)
    }
    assert visible[supplier_user] == {proposed, draft}
    assert visible[user] == {proposed}  # a draft is the manufacturer's until proposed
    assert visible[stranger_supplier] == visible[other_distributor] == visible[hospital_user] == set()
    assert visible[officer] == {proposed, draft}
