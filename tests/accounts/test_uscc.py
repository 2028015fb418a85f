import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import uscc

# The standard's widely cited example and two published enterprise codes (Tencent Shenzhen, Xiaomi Beijing).
REAL_CODES = ["91350100M000100Y43", "91440300708461136T", "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert uscc.is_valid(code)


@pytest.mark.parametrize(
    "code",
    [
        "91110000802100433C",  # wrong check digit
        "9111000080210043",  # too short
        "91110000802100433BX",  # too long
        "91110000802100I33B",  # I is not in the alphabet
        "91110000802100433b",  # lower case
        "",
    ],
)
def test_invalid_codes_are_refused(code):
    assert not uscc.is_valid(code)


first17 = st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17)


@given(first17)
def test_completed_code_is_valid(prefix):
    assert uscc.is_valid(uscc.complete(prefix))


@given(first17, st.integers(min_value=0, max_value=16), st.sampled_from(uscc.ALPHABET))
def test_any_single_character_change_is_detected(prefix, position, replacement):
    code = uscc.complete(prefix)
    changed = code[:position] + replacement + code[position + 1 :]
    assert uscc.is_valid(changed) == (changed == code)
