"""Kinds of structured answers: how each is read from one engine text, validated, normalised, grouped, read back
and corrected in part (:class:`~.protocol.Kind`).

Built-in kinds, by name: ``phone``, ``birth-number`` (fødselsnummer and D-nummer), ``date-of-birth``,
``postcode``, ``email``, ``account-number`` (kontonummer), ``org-number`` (organisasjonsnummer) and
``card-number`` (payment cards: values ``secret``). An app's own codes are kinds built from a spec
(:func:`~.app_code.app_code`). Every word they read — month names, ordinals, letter names, e-mail symbols, labels —
lives in the language packs (:class:`~sidecar_stt.core.languages.pack.KindWords`); numbers are read by
:mod:`sidecar_stt.core.numerals`.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from .account_number import ACCOUNT_NUMBER
from .app_code import CheckScheme, app_code
from .birth_number import BIRTH_NUMBER, birth_date
from .card_number import CARD_NUMBER
from .date_of_birth import DATE_OF_BIRTH, DateOfBirthKind
from .email import EMAIL
from .org_number import ORG_NUMBER
from .phone import PHONE
from .postcode import POSTCODE
from .protocol import Kind, KindCandidate, SpokenValue, mask

__all__ = [
    "KINDS",
    "CheckScheme",
    "DateOfBirthKind",
    "Kind",
    "KindCandidate",
    "SpokenValue",
    "app_code",
    "birth_date",
    "kind",
    "mask",
]

KINDS: Final = MappingProxyType(
    {k.name: k for k in (PHONE, BIRTH_NUMBER, DATE_OF_BIRTH, POSTCODE, EMAIL, ACCOUNT_NUMBER, ORG_NUMBER, CARD_NUMBER)}
)
"""The built-in kinds by name, in the order ``sidecar extract`` lists them."""


def kind(name: str) -> Kind:
    """The built-in kind called ``name`` (``ValueError`` naming the kinds otherwise)."""
    found: Kind | None = KINDS.get(name)
    if found is None:
        raise ValueError(f"unknown kind {name!r}; expected one of {', '.join(KINDS)}")
    return found
