"""``org-number``: the Norwegian organisasjonsnummer — 9 digits, a MOD11 control digit (``stdnum.no.orgnr``), read
back 3-3-3 digit by digit. Organisation numbers begin with 8 or 9."""

from __future__ import annotations

from typing import Final

from stdnum.no import orgnr

from .digits import DigitKind, GroupStyle

__all__ = ["ORG_NUMBER"]

_SIZES: Final = (3, 3, 3)
_FIRST_DIGITS: Final = "89"
"""Brønnøysundregistrene give organisation numbers that begin with 8 or 9."""
_STYLES: Final[tuple[GroupStyle, ...]] = ("digits",)


def _valid(value: str) -> bool:
    return len(value) == 9 and value[0] in _FIRST_DIGITS and bool(orgnr.is_valid(value))


ORG_NUMBER: Final = DigitKind(
    name="org-number",
    lengths=frozenset({9}),
    check=_valid,
    sizes=lambda _: _SIZES,
    styles=lambda _: _STYLES,
)
"""The organisasjonsnummer kind."""
