"""The trading figures (trading-rules.md, "Metrics"): the worked example's May figures for distributor D and clinic
V, the engine's exact ratios and rounding as properties, the page with its drill-down, export and bad input."""

# ruff: noqa: F811  (the ``world`` and ``confirmed`` fixtures are imported and named as parameters)

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.engines import trading_metrics as metrics
from procurement.models import PurchaseMonthRollup
from procurement.selectors.trading import trading_figures
from procurement.services import shipments as services
from tests.procurement.test_orders import SHANGHAI, at, world  # noqa: F401
from tests.procurement.test_shipments import confirmed, ship  # noqa: F401

MAY = date(2026, 5, 1)


@pytest.fixture
def worked_example(hospital_user, world, confirmed):
    """Steps 3–5 of the worked example: SL1 50 on time, SL2 30 late, 5 of SL1 returned; plus one off-platform
    report line of 90.00 for the clinic in May."""
    distributor = world["distributors"][0][1]
    with at(datetime(2026, 5, 14, 8, tzinfo=SHANGHAI)):
        sl1 = ship(distributor, confirmed, 50)
        sl2 = ship(distributor, confirmed, 30, batch="260402", expiry=date(2028, 3, 31))
    with at(datetime(2026, 5, 15, 16, tzinfo=SHANGHAI)):
        services.receipt_record(
            actor=hospital_user,
            line=sl1.lines.get(),
            received=50,
            arrived_at=datetime(2026, 5, 15, 15, tzinfo=SHANGHAI),
        )
    with at(datetime(2026, 5, 19, 11, tzinfo=SHANGHAI)):
        services.receipt_record(
            actor=hospital_user,
            line=sl2.lines.get(),
            received=30,
            arrived_at=datetime(2026, 5, 19, 10, tzinfo=SHANGHAI),
        )
    with at(datetime(2026, 5, 20, 9, tzinfo=SHANGHAI)):
        request, _ = services.return_request(actor=hospital_user, line=sl1.lines.get(), quantity=5, reason="damaged")
    with at(datetime(2026, 5, 21, 9, tzinfo=SHANGHAI)):
        services.return_approve(actor=distributor, request=request)
    PurchaseMonthRollup.objects.create(
        hospital=hospital_user.organisation, month=MAY, kind="outside", quantity=1, amount=Decimal("90.00")
    )
    return confirmed


pytestmark = pytest.mark.django_db


def percents(row):
    return {name: (None if figure is None else figure.percent) for name, figure in row.figures.items()}


def test_the_worked_examples_figures(officer, world, worked_example):
    [row], total = trading_figures(officer, MAY, "distributor")
    assert row.key == world["distributors"][0][0].pk
    assert percents(row) == {
        "response": Decimal("100.0"),  # 1 / 1
        "on_time": Decimal("62.5"),  # 50 / 80
        "fill": Decimal("80.0"),  # by amount for a distributor's rollup: 224.00 / 280.00
        "online": None,
    }
    assert percents(total) == percents(row)  # one distributor: the total is its row
    [product_row], _total = trading_figures(officer, MAY, "product", {"distributor": row.key})
    assert product_row.figures["fill"].numerator == 80 and product_row.figures["fill"].denominator == 100
    [clinic], _total = trading_figures(officer, MAY, "hospital")
    assert clinic.figures["online"].numerator == Decimal("210.00")  # 224.00 − 14.00
    assert clinic.figures["online"].percent == Decimal("70.0")  # 210.00 / 300.00
    assert trading_figures(officer, date(2026, 6, 1), "distributor")[0] == []


def test_each_party_reads_its_own_figures(world, worked_example, hospital_user, other_hospital_org):
    from tests.factories import UserFactory

    distributor_user = world["distributors"][0][1]
    other_distributor = world["distributors"][1][1]
    assert len(trading_figures(distributor_user, MAY, "product")[0]) == 1
    assert trading_figures(other_distributor, MAY, "product")[0] == []
    assert trading_figures(UserFactory(role="hospital_user", organisation=other_hospital_org), MAY, "product")[0] == []
    [own], _total = trading_figures(hospital_user, MAY, "hospital")
    assert own.figures["online"].percent == Decimal("70.0")
    [seen], _total = trading_figures(distributor_user, MAY, "hospital")
    assert seen.figures["online"] is None  # the institution's off-platform purchases are not the distributor's


def test_the_page_drills_down_and_exports(client, officer, world, worked_example):
    client.force_login(officer)
    page = client.get("/trading/figures/?month=2026-05&by=distributor").content.decode()
    distributor = world["distributors"][0][0]
    assert distributor.name in page and "62.5%" in page
    assert f"distributor={distributor.pk}" in page and "by=product" in page
    drilled = client.get(f"/trading/figures/?month=2026-05&by=product&distributor={distributor.pk}").content.decode()
    assert "80.0%" in drilled
    export = client.get("/trading/figures/?month=2026-05&by=distributor&format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    for bad in ("month=2026-13", "by=planet", "distributor=abc", "format=pdf"):
        assert client.get(f"/trading/figures/?{bad}").status_code == 400


@given(
    numerator=st.integers(0, 10**9),
    extra=st.integers(0, 10**9),
)
def test_a_ratio_is_exact_and_published_half_up_to_one_decimal(numerator, extra):
    figure = metrics.ratio(numerator, numerator + extra)
    if numerator + extra == 0:
        assert figure.value is None and figure.percent is None  # nothing counted is no value, not 100 %
        return
    assert figure.value == Decimal(numerator) / Decimal(numerator + extra)
    assert 0 <= figure.percent <= 100
    assert abs(figure.percent - figure.value * 100) <= Decimal("0.05")
    assert figure.percent == figure.percent.quantize(Decimal("0.1"))


@given(platform=st.decimals(-1000, 10**6, places=2), off=st.decimals(0, 10**6, places=2))
def test_the_online_rate_never_leaves_zero_to_one(platform, off):
    figure = metrics.online_rate(platform, off)
    assert figure.value is None or 0 <= figure.value <= 1


def test_half_up_at_the_boundary():
    assert metrics.ratio(1, 8).percent == Decimal("12.5")  # exactly 12.5
    assert metrics.ratio(5, 8000).percent == Decimal("0.1")  # 0.0625 → 0.1
    assert metrics.ratio(1, 3).percent == Decimal("33.3")
    with pytest.raises(ValueError):
        metrics.ratio(-1, 3)
