"""Numbers as officers read them (issue 18): amounts to the fen with separators and 元, unit prices to 0.0001,
counts grouped; nothing that is not a number is turned into one."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.templatetags.numbers import count, unit_price, yuan


def test_amounts_are_written_to_the_fen_with_separators_and_the_currency():
    with translation.override("zh-hans"):
        assert yuan(Decimal("148974.0000")) == "148,974.00 元"
        assert yuan("0.005") == "0.01 元"  # half up
        assert yuan(Decimal("-1234.5")) == "-1,234.50 元"
    with translation.override("en"):
        assert yuan(12) == "12.00 yuan"


def test_unit_prices_keep_four_places_and_counts_are_grouped():
    assert unit_price(Decimal("1.2")) == "1.2000"
    assert unit_price("12345.60005") == "12,345.6001"
    assert count(1234567) == "1,234,567"
    assert count(Decimal("1200")) == "1,200"


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_is_a_dash(value):
    assert yuan(value) == unit_price(value) == count(value) == "—"


def test_what_is_not_a_number_is_shown_as_it_is():
    assert yuan("n/a") == "n/a"
    assert unit_price("about 3") == "about 3"
    assert count(Decimal("1.5")) == "1.5"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_the_written_amount_reads_back_as_the_rounded_value(value):
    with translation.override("en"):
        written = yuan(value)
    assert Decimal(written.removesuffix(" yuan").replace(",", "")) == value.quantize(Decimal("0.01"), "ROUND_HALF_UP")


def test_every_template_may_use_the_filters_without_loading_them():
    rendered = Template("{{ a|yuan }} {{ p|unit_price }} {{ n|count }}").render(
        Context({"a": Decimal("1000"), "p": Decimal("0.5"), "n": 2500})
    )
    assert rendered.startswith("1,000.00") and "0.5000" in rendered and rendered.endswith("2,500")
