"""``TextReader``: what one capture step needs to know about a transcript, each text parsed once.

A capture step looks at the same few transcripts several times: which phone numbers they hold (fusion), whether
they hold digits at all, whether they say no, whether they correct a group of the read-back. One reader per step
answers all of it and remembers its answers, so every text is parsed once per step. Nothing outlives the step, so
no cache answers a later call. Only the end of a long text is read, as the parser reads it.
"""

from __future__ import annotations

from .correction import Correction, has_correction_cue, parse_correction, says_no, says_yes
from .number_choice import NumberChoice, choose_number
from .numerals import normalize_language, parse_digit_readings
from .numerals.tokenizer import read_from
from .phone import PhoneCandidate, extract_phone_numbers

__all__ = ["TextReader"]


class TextReader:
    """Parses transcripts in one language and region, each text once."""

    def __init__(self, *, language: str = "nb", region: str = "NO") -> None:
        self.language = normalize_language(language)
        self.region = region.upper()
        self._phones: dict[str, tuple[PhoneCandidate, ...]] = {}
        self._digits: dict[str, bool] = {}
        self._no: dict[str, bool] = {}
        self._yes: dict[str, bool] = {}
        self._cue: dict[str, bool] = {}
        self._corrections: dict[str, Correction | None] = {}
        self._choices: dict[str, NumberChoice] = {}

    def phones(self, text: str) -> tuple[PhoneCandidate, ...]:
        """The phone numbers in ``text``, best first (:func:`~sidecar_stt.core.phone.extract_phone_numbers`)."""
        text = _end_of(text)
        found = self._phones.get(text)
        if found is None:
            found = self._phones[text] = tuple(extract_phone_numbers(text, language=self.language, region=self.region))
        return found

    def choice(self, text: str) -> NumberChoice:
        """Which number ``text`` means, or that it leaves two (:func:`~.number_choice.choose_number`)."""
        text = _end_of(text)
        found = self._choices.get(text)
        if found is None:
            found = self._choices[text] = choose_number(text, self.phones(text), language=self.language)
        return found

    def has_digits(self, text: str) -> bool:
        """Whether ``text`` holds a digit that is not only a weak word ("en", "to" as in "one of", "two of")."""
        text = _end_of(text)
        found = self._digits.get(text)
        if found is None:
            runs = parse_digit_readings(text, language=self.language)
            found = self._digits[text] = any(not all(g.weak for g in run.best.groups) for run in runs)
        return found

    def says_no(self, text: str) -> bool:
        """Whether an answer to a read-back says no or corrects it (:func:`~sidecar_stt.core.correction.says_no`)."""
        text = _end_of(text)
        found = self._no.get(text)
        if found is None:
            found = self._no[text] = says_no(text, language=self.language)
        return found

    def says_yes(self, text: str) -> bool:
        """Whether an answer to a read-back holds a yes (:func:`~sidecar_stt.core.correction.says_yes`)."""
        text = _end_of(text)
        found = self._yes.get(text)
        if found is None:
            found = self._yes[text] = says_yes(text, language=self.language)
        return found

    def has_correction_cue(self, text: str) -> bool:
        """Whether ``text`` names a wrong value or a position ("ikke …", "det siste …")."""
        text = _end_of(text)
        found = self._cue.get(text)
        if found is None:
            found = self._cue[text] = has_correction_cue(text, language=self.language)
        return found

    def correction(self, text: str) -> Correction | None:
        """The partial correction in ``text`` (:func:`~sidecar_stt.core.correction.parse_correction`)."""
        text = _end_of(text)
        if text not in self._corrections:
            self._corrections[text] = parse_correction(text, language=self.language)
        return self._corrections[text]


def _end_of(text: str) -> str:
    """The part of ``text`` that is read: its end (the parser's bound, ``MAX_TEXT_CHARS``)."""
    start = read_from(text)
    return text[start:] if start else text
