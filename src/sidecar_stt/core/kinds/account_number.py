"""``account-number``: the Norwegian kontonummer — 11 digits, a MOD11 control digit (``stdnum.no.kontonr``), read
back 4-2-5 ("tolv trettifire, femtiseks, sju åtte ni null tre")."""

from __future__ import annotations

from typing import Final

from stdnum.no import kontonr

from .digits import DigitKind, GroupStyle

__all__ = ["ACCOUNT_NUMBER"]

_SIZES: Final = (4, 2, 5)
_STYLES: Final[tuple[GroupStyle, ...]] = ("pairs", "number", "digits")


def _valid(value: str) -> bool:
    return len(value) == 11 and bool(kontonr.is_valid(value))


ACCOUNT_NUMBER: Final = DigitKind(
    name="account-number",
    lengths=frozenset({11}),
    check=_valid,
    sizes=lambda _: _SIZES,
    styles=lambda _: _STYLES,
)
"""The kontonummer kind."""
