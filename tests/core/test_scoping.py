"""Visibility declared once per model: the first audience a user belongs to decides, anyone else sees nothing, and
every scoped model of the project names only audiences accounts defines."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test import override_settings

from accounts.access import AUDIENCES, audiences
from accounts.models import Organisation, Region, Role
from core.scoping import EVERYTHING, ScopedQuerySet, UserRule, Visibility, audiences_of, own, scoped_models
from tests.factories import HospitalFactory, OrganisationFactory, SupplierFactory, UserFactory

FAKE = "tests.core.test_scoping.fake_audiences"


def fake_audiences(user):
    return user.audiences


def person(*names, organisation_id=7, pk=3):
    return SimpleNamespace(is_authenticated=True, audiences=frozenset(names), organisation_id=organisation_id, pk=pk)


VISIBILITY = Visibility(
    authority=EVERYTHING,
    supplier=own("supplier") | models.Q(status="listed"),
    signed_in=models.Q(status="listed"),
)


@override_settings(SCOPE_AUDIENCES=FAKE)
def test_the_first_audience_the_user_belongs_to_decides():
    assert VISIBILITY.condition(person("signed_in", "authority")) is None
    assert VISIBILITY.condition(person("signed_in", "supplier")) == models.Q(supplier_id=7) | models.Q(status="listed")
    assert VISIBILITY.condition(person("signed_in")) == models.Q(status="listed")


@override_settings(SCOPE_AUDIENCES=FAKE)
def test_a_user_in_no_audience_and_an_anonymous_one_see_nothing():
    assert VISIBILITY.condition(person("hospital")) == models.Q(pk__in=[])
    assert VISIBILITY.condition(AnonymousUser()) == models.Q(pk__in=[])
    assert audiences_of(AnonymousUser()) == frozenset()
    assert audiences_of(None) == frozenset()


@override_settings(SCOPE_AUDIENCES=FAKE)
def test_user_rules_combine_with_q_objects_when_they_come_first():
    rule = (own("hospital_id") | models.Q(won=True)) & models.Q(run__published_at__isnull=False)
    assert isinstance(rule, UserRule)
    assert rule(person(organisation_id=12)) == (models.Q(hospital_id=12) | models.Q(won=True)) & models.Q(
        run__published_at__isnull=False
    )
    both = own("supplier") & own("hospital")
    assert both(person(organisation_id=5)) == models.Q(supplier_id=5) & models.Q(hospital_id=5)


def test_a_visibility_must_name_an_audience_and_valid_rules():
    with pytest.raises(ValueError):
        Visibility()
    with pytest.raises(TypeError):
        Visibility(authority="everything")


def test_a_model_without_a_declared_visibility_refuses_to_guess():
    with pytest.raises(TypeError, match="Region declares no visibility"):
        ScopedQuerySet(model=Region).visible_to(person("authority"))


@pytest.mark.django_db
def test_visible_to_filters_rows_by_the_real_audiences():
    own_supplier, other_supplier = SupplierFactory(), SupplierFactory()
    hospital = HospitalFactory()
    officer = UserFactory(role=Role.PROCUREMENT_OFFICER, organisation=OrganisationFactory())
    supplier_user = UserFactory(role=Role.SUPPLIER_USER, organisation=own_supplier)
    hospital_user = UserFactory(role=Role.HOSPITAL_USER, organisation=hospital)

    assert Organisation.objects.visible_to(officer).count() == Organisation.objects.count()
    assert list(Organisation.objects.visible_to(supplier_user)) == [own_supplier]
    assert list(Organisation.objects.visible_to(hospital_user)) == [hospital]
    assert not Organisation.objects.visible_to(AnonymousUser()).exists()
    assert other_supplier not in Organisation.objects.visible_to(supplier_user)


@pytest.mark.django_db
def test_the_audiences_follow_the_role_and_require_an_organisation_except_for_signing_in():
    supplier_user = UserFactory(role=Role.SUPPLIER_USER, organisation=SupplierFactory())
    assert audiences(supplier_user) == {"signed_in", "member", "supplier"}
    credit = UserFactory(role=Role.CREDIT_OFFICER, organisation=OrganisationFactory())
    assert audiences(credit) == {"signed_in", "member", "authority", "credit_officer"}
    admin = UserFactory(role=Role.ADMINISTRATOR, organisation=OrganisationFactory())
    assert audiences(admin) == {
        "signed_in",
        "member",
        "administrator",
        "authority",
        "procurement_officer",
        "credit_officer",
    }
    orphan = UserFactory(role=Role.HOSPITAL_USER, organisation=None)
    assert audiences(orphan) == {"signed_in"}
    assert audiences(orphan) <= AUDIENCES


def test_every_scoped_model_names_only_known_audiences():
    scoped = scoped_models()
    assert len(scoped) >= 24
    for model in scoped:
        unknown = set(model.visibility.audiences) - AUDIENCES
        assert not unknown, f"{model.__name__} names unknown audiences {unknown}"


def test_every_model_with_a_scoped_queryset_declares_its_visibility():
    from django.apps import apps

    for model in apps.get_models():
        if isinstance(model._default_manager.all(), ScopedQuerySet):
            assert model in scoped_models(), f"{model.__name__} has a scoped queryset but no visibility"


@pytest.mark.django_db
def test_an_anonymous_user_sees_no_row_of_any_scoped_model():
    for model in scoped_models():
        assert model._default_manager.visible_to(AnonymousUser()).query.is_empty(), model.__name__
