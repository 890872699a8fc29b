"""``account-number``: the Norwegian kontonummer — 11 digits, a MOD11 control digit (``stdnum.no.kontonr``), read
back 4-2-5 ("femten null tre, førti, ni åtte syv seks syv").

Every fødselsnummer passes the same check: an unlabelled value that is a valid fødselsnummer counts as an account
number only when said 4-2-5."""

from __future__ import annotations

from typing import Final

from stdnum.no import fodselsnummer, kontonr

from .digits import DigitKind, GroupStyle

__all__ = ["ACCOUNT_NUMBER"]

_SIZES: Final = (4, 2, 5)
_STYLES: Final[tuple[GroupStyle, ...]] = ("pairs", "number", "digits")


def _a_birth_number(value: str, sizes: tuple[int, ...]) -> bool:
    """An unlabelled value that is a valid fødselsnummer, not said 4-2-5: the fødselsnummer it is."""
    return sizes != _SIZES and bool(fodselsnummer.is_valid(value))


def _valid(value: str) -> bool:
    return len(value) == 11 and bool(kontonr.is_valid(value))


ACCOUNT_NUMBER: Final = DigitKind(
    name="account-number",
    lengths=frozenset({11}),
    check=_valid,
    sizes=lambda _: _SIZES,
    styles=lambda _: _STYLES,
    defer=_a_birth_number,
)
"""The kontonummer kind."""
