"""``phone``: the phone-number reader (:func:`~sidecar_stt.core.phone.extract_phone_numbers`, with
:func:`~sidecar_stt.core.number_choice.choose_number`'s view of which number is meant) as a kind. Behaviour is the
reader's own, unchanged; values are E.164 strings, read back as :func:`~sidecar_stt.core.readback.read_back`
says them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import phonenumbers

from ..candidate import PhoneCandidate
from ..languages import language_pack, normalize_language
from ..number_choice import choose_number
from ..phone import extract_phone_numbers
from ..readback import speak_number
from .protocol import KindCandidate, SpokenValue

__all__ = ["PHONE", "PhoneKind"]


@dataclass(frozen=True, slots=True)
class PhoneKind:
    """Phone numbers of ``region`` (and ``+``-numbers of any)."""

    region: str = "NO"
    name: str = "phone"
    secret: bool = False

    def candidates(self, text: str, *, language: str = "nb") -> tuple[KindCandidate, ...]:
        """The numbers :func:`~sidecar_stt.core.phone.extract_phone_numbers` finds, the one
        :func:`~sidecar_stt.core.number_choice.choose_number` picks first; none when the words take the only number
        back or call it someone else's; when they leave two, both in the order said."""
        lang = normalize_language(language)
        return self.candidates_of(text, extract_phone_numbers(text, language=lang, region=self.region), language=lang)

    def candidates_of(
        self, text: str, found: Sequence[PhoneCandidate], *, language: str = "nb"
    ) -> tuple[KindCandidate, ...]:
        """:meth:`candidates` from the numbers the phone reader already found in ``text`` (read once)."""
        choice = choose_number(text, found, language=normalize_language(language))
        if choice.outcome == "none":
            return ()
        first = list(choice.candidates)
        ranked = [*first, *(c for c in found if c not in first and not c.lost_because)]
        return tuple(KindCandidate(self.name, c.e164, c.score, c.span, self.groups(c.e164)) for c in ranked)

    def normalize(self, value: str) -> str | None:
        try:
            number = phonenumbers.parse(value, None if value.strip().startswith("+") else self.region)
        except phonenumbers.NumberParseException:
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def validate(self, value: str) -> bool:
        try:
            return phonenumbers.is_valid_number(phonenumbers.parse(value, self.region))
        except phonenumbers.NumberParseException:
            return False

    def groups(self, value: str) -> tuple[str, ...]:
        return speak_number(value).groups

    def read_back(self, value: str, *, language: str = "nb") -> SpokenValue:
        spoken = speak_number(value, language=language)
        words = (spoken.prefix + spoken.words[0], *spoken.words[1:]) if spoken.words else ()
        return SpokenValue(spoken.groups, words)

    def group_names(self, value: str, *, language: str = "nb") -> tuple[str, ...]:
        names = language_pack(language).kinds.part_names
        return tuple(names[min(i, len(names) - 1)] for i in range(len(self.groups(value))))


PHONE: Final = PhoneKind()
"""Norwegian phone numbers (and foreign ones said with a country code)."""
