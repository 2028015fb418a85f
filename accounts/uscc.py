"""Unified social credit code (统一社会信用代码, GB 32100-2015).

Eighteen characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z). The last
character is a check digit: weights 3^i mod 31 over the first seventeen characters, check = 31 - (sum mod 31),
with 31 written as 0.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    if len(code) != 18 or any(char not in ALPHABET for char in code):
        return False
    return check_character(code[:17]) == code[17]


def complete(first17: str) -> str:
    """The full code for seventeen given characters (used by the demo data and the test factories)."""
    return first17 + check_character(first17)
