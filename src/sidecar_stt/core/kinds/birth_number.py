"""``birth-number``: the Norwegian fødselsnummer and D-nummer — 11 digits, both mod-11 control digits
(``python-stdnum``'s ``stdnum.no.fodselsnummer``), read back as the date part and the personal number ("femten ti
åttiseks, nittifem null åtte åtte"). :func:`birth_date` gives the birth date a number implies.

Every fødselsnummer passes the kontonummer check too (the same MOD11 weights); an unlabelled value said 4-2-5, as
account numbers are written, is left to ``account-number``."""

from __future__ import annotations

import datetime
from typing import Final

from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer, kontonr

from .digits import DigitKind, GroupStyle

__all__ = ["BIRTH_NUMBER", "birth_date"]


def _valid(value: str) -> bool:
    return bool(fodselsnummer.is_valid(value))


def birth_date(value: str) -> datetime.date | None:
    """The birth date a fødselsnummer or D-nummer implies, or ``None`` when ``value`` is none."""
    try:
        return fodselsnummer.get_birth_date(fodselsnummer.validate(value))
    except (ValidationError, ValueError):
        return None


_SIZES: Final = (6, 5)
_ACCOUNT_GROUPING: Final = (4, 2, 5)


def _said_as_account(value: str, sizes: tuple[int, ...]) -> bool:
    """An unlabelled value said 4-2-5 (as account numbers are written) that passes the kontonummer check."""
    return sizes == _ACCOUNT_GROUPING and bool(kontonr.is_valid(value))


_STYLES: Final[tuple[GroupStyle, ...]] = ("pairs", "pair_digits")

BIRTH_NUMBER: Final = DigitKind(
    name="birth-number",
    lengths=frozenset({11}),
    check=_valid,
    sizes=lambda _: _SIZES,
    styles=lambda _: _STYLES,
    defer=_said_as_account,
)
"""The fødselsnummer/D-nummer kind."""
