"""Chinese vendors' registration number: the 18-character unified social credit code of GB 32100-2015.

Its last character is a check character over the first 17: each character's value in the code's alphabet
times its weight, summed; check = 31 − (sum mod 31), where 31 is written `0`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z: they read like digits
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
CHINA = "CN"


def check_character(body: str) -> str:
    """The GB 32100-2015 check character of a 17-character code body (characters from ALPHABET)."""
    if len(body) != LENGTH - 1 or any(c not in ALPHABET for c in body):
        raise ValueError(f"a code body is {LENGTH - 1} characters of {ALPHABET}")
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def unified_social_credit_code(body: str) -> str:
    """A valid code made from a 17-character body: the body and its check character (for tests and the demo)."""
    return body + check_character(body)


def is_unified_social_credit_code(code: str) -> bool:
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return False
    return check_character(code[:-1]) == code[-1]


def validate_registration_number(country: str, number: str) -> None:
    """For a Chinese vendor the registration number must be a unified social credit code (GB 32100-2015)."""
    if str(country or "").upper() != CHINA:
        return
    if not is_unified_social_credit_code(number):
        raise ValidationError(
            {
                "registration_number": _(
                    "A Chinese vendor's registration number is its 18-character unified social credit code "
                    "(digits and capital letters except I, O, S, V, Z) with a valid check character; “%(number)s” "
                    "is not one."
                )
                % {"number": number[:64]}
            }
        )
