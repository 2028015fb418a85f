"""A rating run for any date never ends a measure that the supplier's standing today still requires (issue 15,
item 16): pressing 开始评级 with the date left blank (the quarter's first day) used to lift every measure of records
confirmed since, backdated before their start."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit import services
from credit.models import CreditRecord, Measure, RatingSnapshot
from credit.services.ratings import _desired_measures, catalog_in_force, rate_on

from .conftest import confirm, enter

pytestmark = pytest.mark.django_db


def _required_today(supplier) -> set[str]:
    """What today's records require today, computed afresh from the engine (not from stored measures)."""
    today = timezone.localdate()
    version = catalog_in_force()
    (rating,), facts = rate_on([supplier.pk], today, version)
    return {
        kind
        for kind, want in _desired_measures(rating, facts, version.family).items()
        if want["starts_on"] <= today and (want["ends_on"] is None or want["ends_on"] > today)
    }


def _in_force_today(supplier) -> set[str]:
    return set(Measure.objects.filter(supplier=supplier).in_force().values_list("kind", flat=True))


def test_a_run_dated_at_the_quarter_start_keeps_measures_of_records_confirmed_since(
    run_quarter, credit_officer, supplier_org
):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="2000000"))
    # Its rectification period has passed: the measures are in force today.
    CreditRecord.objects.filter(pk=record.pk).update(confirmed_on=timezone.localdate() - timedelta(days=40))
    services.supplier_rerate(supplier=supplier_org, trigger="record")
    before = _in_force_today(supplier_org)
    assert before and before == _required_today(supplier_org)

    # The run page's default date: the first day of the quarter, before the record was confirmed.
    as_of = services.quarter_start(timezone.localdate()) - timedelta(days=100)
    run_quarter(actor=credit_officer, as_of=as_of)

    assert _in_force_today(supplier_org) == before
    assert not Measure.objects.filter(supplier=supplier_org, lifted_on__isnull=False).exists()
    # The past date still gets its own snapshot, rated from the records known then.
    assert RatingSnapshot.objects.get(supplier=supplier_org, as_of=as_of).level == "none"


def test_no_lift_is_backdated_to_the_runs_date(credit_officer, supplier_org):
    record = confirm(credit_officer, enter(credit_officer, supplier_org, amount="2000000"))
    # Revoked today: every measure goes, none of them dated before its start.
    CreditRecord.objects.filter(pk=record.pk).update(revoked_on=timezone.localdate())
    services.store_ratings(
        supplier_ids=[supplier_org.pk],
        as_of=timezone.localdate() - timedelta(days=200),
        version=catalog_in_force(),
        trigger="quarterly",
    )
    lifted = Measure.objects.filter(supplier=supplier_org, lifted_on__isnull=False)
    assert lifted.exists()
    # Lifted today, not on the run's date: not before today, nor before a start that has already come.
    assert all(measure.lifted_on >= min(measure.starts_on, timezone.localdate()) for measure in lifted)
    assert set(lifted.values_list("lifted_on", flat=True)) == {timezone.localdate()}
    assert _in_force_today(supplier_org) == set()


AMOUNTS = ["20000", "150000", "600000", "2000000"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(
        st.tuples(st.sampled_from(AMOUNTS), st.integers(min_value=0, max_value=900), st.booleans()),
        min_size=1,
        max_size=4,
    ),
    runs=st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=4),
)
def test_measures_in_force_today_are_those_todays_rating_requires(credit_officer, supplier_org, histories, runs):
    Measure.objects.filter(supplier=supplier_org).delete()
    RatingSnapshot.objects.filter(supplier=supplier_org).delete()
    CreditRecord.objects.filter(supplier=supplier_org).delete()
    today = timezone.localdate()
    for amount, days_ago, revoked in histories:
        record = confirm(credit_officer, enter(credit_officer, supplier_org, amount=amount))
        confirmed: date = today - timedelta(days=days_ago)
        CreditRecord.objects.filter(pk=record.pk).update(confirmed_on=confirmed, revoked_on=today if revoked else None)
    version = catalog_in_force()
    for days_ago in runs:
        services.store_ratings(
            supplier_ids=[supplier_org.pk],
            as_of=today - timedelta(days=days_ago),
            version=version,
            trigger="quarterly",
        )
    assert _in_force_today(supplier_org) == _required_today(supplier_org)
    assert all(
        measure.lifted_on >= min(measure.starts_on, today)
        for measure in Measure.objects.filter(supplier=supplier_org, lifted_on__isnull=False)
    )


def test_the_level_filter_offers_only_the_edition_in_force(api_for, credit_officer, supplier_org):
    from credit.engines.rating import levels_of
    from credit.filters import levels_in_force

    family = catalog_in_force().family
    offered = [code for code, _label in levels_in_force()]
    assert offered == ["none", *levels_of(family)]
    other = "medium" if family == "2025" else "dishonest"
    response = api_for(credit_officer).get("/api/v1/credit/ratings/", {"level": other})
    assert response.status_code == 400 and "level" in response.json()


def test_rating_explanations_and_lift_reasons_read_in_chinese():
    from django.utils import translation

    from credit.labels import rule_text
    from credit.models import Measure

    rules = [
        "kickback: case total 500,000 to under 1,000,000 yuan → seriously_dishonest",
        "kickback: single payment 2,000,000 or more yuan → particularly_serious"
        " (2025: particularly_seriously_dishonest)",
        "breach_contract: monthly delivery rate below 0.8 → medium",
        "unfair_price: other confirmed case → general",
    ]
    with translation.override("zh-hans"):
        texts = [rule_text(rule) for rule in rules]
        lifted = Measure(lift_reason="no longer required by the rating").lift_reason_display
    assert texts[0].startswith("给予回扣") and "案件总额 500,000 元至不足 1,000,000 元" in texts[0]
    assert texts[0].endswith("→ 严重失信")
    assert "2025" in texts[1] and "特别严重失信" in texts[1]
    for text in [*texts, lifted]:
        english = [word for word in text.replace("→", " ").split() if word.isascii() and word.isalpha()]
        assert not english, text
    # Text of an unknown form is shown as it is.
    assert rule_text("something else") == "something else"
