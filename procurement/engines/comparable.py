"""Unit-comparable price (单位可比价): one price per smallest unit of a group's representative product.

Rules (shared/domain/vbp-rules.md, "Unit-comparable price"):

    comparable = price / K_pack ** log2(pack / ref_pack) / K_strength ** log2(strength / ref_strength) / ref_pack

``price`` is the price of one pack of the bid product. Computed with Decimal at 28 significant digits; an exponent
that is a whole number (the ratio is a power of two) is applied exactly, any other through ``Decimal.ln``/``exp``;
the result is quantized to 4 decimal places, half up. Pure: no ORM.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from fractions import Fraction

from core.money import round_unit_price, to_decimal

PRECISION = 28
GUARD_DIGITS = 12
# The arithmetic of the rule, whatever the caller's decimal context: 28 significant digits, and 12 more while a
# power is computed through logarithms; ties to even (the final price is rounded half up by ``round_unit_price``).
ARITHMETIC = Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)
GUARDED = Context(prec=PRECISION + GUARD_DIGITS, rounding=ROUND_HALF_EVEN)

# Strength units that convert into one another (to milligrams); others compare only with themselves.
MASS_IN_MG = {"g": Decimal(1000), "mg": Decimal(1), "μg": Decimal("0.001"), "ug": Decimal("0.001")}


class IncomparableStrength(ValueError):
    """Two strengths in units that do not convert (e.g. ml and mg)."""


@dataclass(frozen=True)
class Coefficients:
    """The conversion coefficients a round uses (stored on the round)."""

    k_strength: Decimal = Decimal("1.7")
    k_pack: Decimal = Decimal("2")


@dataclass(frozen=True)
class Presentation:
    """A strength (amount and unit) and a pack size."""

    strength: Decimal
    strength_unit: str
    pack: int


def strength_ratio(bid: Presentation, reference: Presentation) -> Decimal:
    """bid strength / reference strength, converting between mass units."""
    strength, reference_strength = to_decimal(bid.strength), to_decimal(reference.strength)
    if bid.strength_unit != reference.strength_unit:
        if bid.strength_unit not in MASS_IN_MG or reference.strength_unit not in MASS_IN_MG:
            raise IncomparableStrength(f"{bid.strength_unit} does not convert to {reference.strength_unit}")
        strength *= MASS_IN_MG[bid.strength_unit]
        reference_strength *= MASS_IN_MG[reference.strength_unit]
    if strength <= 0 or reference_strength <= 0:
        raise ValueError("strengths must be positive")
    return strength / reference_strength


def _power_of_two_exponent(ratio: Decimal) -> int | None:
    """n when ratio == 2**n exactly, else None."""
    fraction = Fraction(ratio)
    numerator, denominator = fraction.numerator, fraction.denominator
    if numerator & (numerator - 1) or denominator & (denominator - 1):
        return None
    return numerator.bit_length() - denominator.bit_length()


def coefficient_power(k: Decimal, ratio: Decimal) -> Decimal:
    """``k ** log2(ratio)`` at 28 significant digits: exact for whole exponents; otherwise through ln/exp computed
    with guard digits and rounded back to 28, so that a result that is exact in arithmetic (2 ** log2(40) = 40)
    comes out exact and a price on a rounding boundary is not pushed across it."""
    exponent = _power_of_two_exponent(ratio)
    if exponent is not None:
        return k**exponent
    with localcontext(GUARDED):
        value = (ratio.ln() / Decimal(2).ln() * k.ln()).exp()
    return ARITHMETIC.plus(value)


def comparable_price(
    price, bid: Presentation, reference: Presentation, coefficients: Coefficients = Coefficients()
) -> Decimal:
    """The comparable price per smallest unit of the reference product, 4 decimals, half up."""
    price = to_decimal(price)
    with localcontext(ARITHMETIC):
        if bid.pack <= 0 or reference.pack <= 0:
            raise ValueError("packs must be positive")
        pack_factor = coefficient_power(to_decimal(coefficients.k_pack), Decimal(bid.pack) / Decimal(reference.pack))
        strength_factor = coefficient_power(to_decimal(coefficients.k_strength), strength_ratio(bid, reference))
        value = price / pack_factor / strength_factor / Decimal(reference.pack)
    return round_unit_price(value)


@dataclass(frozen=True)
class SpecCeiling:
    """A ceiling per smallest unit of one specification (strength) of a group, where the published ceilings do not
    follow the strength conversion (round 2 candesartan 4 mg and 8 mg)."""

    strength: Decimal
    strength_unit: str
    ceiling: Decimal


def same_strength(a: Presentation, b: Presentation) -> bool:
    try:
        return strength_ratio(a, b) == 1
    except (IncomparableStrength, ValueError):
        return False


def spec_ceiling_comparable(
    ceilings, bid: Presentation, reference: Presentation, coefficients: Coefficients = Coefficients()
) -> Decimal | None:
    """The ceiling of the bid's specification in comparable units of the reference product (so that it compares
    with the bid's comparable price), or None when no per-specification ceiling names the bid's strength."""
    for spec in ceilings:
        own = Presentation(to_decimal(spec.strength), spec.strength_unit, reference.pack)
        if same_strength(own, bid):
            return comparable_price(to_decimal(spec.ceiling) * reference.pack, own, reference, coefficients)
    return None
