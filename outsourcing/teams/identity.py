"""People's identity numbers (resident identity card or passport), kept only as a keyed hash.

The owner must see when one person is sold to it by two vendors at once, without keeping anyone's identity
number: the number is normalised and hashed with HMAC-SHA256 under a key from the data dir, so the same
number gives the same hash at every vendor, and only its last four characters are kept for people to read.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

# GB 11643-1999: the check character of an 18-character resident identity number (ISO 7064 MOD 11-2).
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize(raw: str) -> str:
    """Upper case, full-width folded, without blanks and hyphens; ValueError with a message when not a number."""
    value = unicodedata.normalize("NFKC", str(raw)).upper()
    value = "".join(ch for ch in value if not ch.isspace() and ch not in "-_/.")
    if not value.isascii() or not value.isalnum() or not 5 <= len(value) <= 32:
        raise ValueError(_("Enter the identity card or passport number: 5 to 32 letters and digits."))
    if len(value) == 18 and value[:17].isdigit():
        total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
        if _ID_CHECK[total % 11] != value[17]:
            raise ValueError(_("This resident identity number's check character is wrong: check the number."))
    return value


def keyed_hash(normalized: str) -> str:
    return hmac.new(settings.IDENTITY_HASH_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def valid_resident_id(body17: str) -> str:
    """A resident identity number with its check character (for tests and demo data)."""
    total = sum(int(digit) * weight for digit, weight in zip(body17, _ID_WEIGHTS, strict=True))
    return body17 + _ID_CHECK[total % 11]
