"""``card-number``: a payment card number — 13 to 19 digits, the Luhn check digit (``stdnum.luhn``), read back in
groups of four digit by digit. Its candidates are ``secret``: ``repr`` and ``str`` mask the value, and no log
message of the package carries it."""

from __future__ import annotations

from typing import Final

from stdnum import luhn

from .digits import DigitKind, GroupStyle

__all__ = ["CARD_NUMBER"]

_STYLES: Final[tuple[GroupStyle, ...]] = ("digits",)


def _valid(value: str) -> bool:
    return 13 <= len(value) <= 19 and bool(luhn.is_valid(value))


CARD_NUMBER: Final = DigitKind(
    name="card-number",
    lengths=frozenset(range(13, 20)),
    check=_valid,
    sizes=lambda value: (4,) * (len(value) // 4),
    styles=lambda _: _STYLES,
    secret=True,
)
"""The payment card kind."""
