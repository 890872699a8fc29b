"""``postcode``: a Norwegian postnummer — 4 digits ("null fem fem fem", "nullfemfemfem", "femti femtifem"), read
back digit by digit.

No well-kept package ships Posten's register of postcodes and places, so a postcode is checked for its form only
(4 digits from 0001 to 9991), not for existence, and no poststed is named. Having no check digit, an unlabelled
postcode counts only in a short answer (:mod:`.context`).
"""

from __future__ import annotations

from typing import Final

from .digits import DigitKind, GroupStyle

__all__ = ["POSTCODE"]

_SIZES: Final = (4,)
_STYLES: Final[tuple[GroupStyle, ...]] = ("digits",)


_FIRST: Final = 1
_LAST: Final = 9991
"""Norwegian postcodes run from 0001 (Oslo) to 9991 (Båtsfjord)."""


def _four_digits(value: str) -> bool:
    return len(value) == 4 and _FIRST <= int(value) <= _LAST


POSTCODE: Final = DigitKind(
    name="postcode",
    lengths=frozenset({4}),
    check=_four_digits,
    sizes=lambda _: _SIZES,
    styles=lambda _: _STYLES,
    needs_context=True,
)
"""The postcode kind."""
