"""The exact words the agent speaks to confirm a phone number, in the caller's language.

Norwegian 8-digit numbers are read in pairs by default ("nittito, trettifire, femtiseks, syttiåtte"); a pair
that starts with zero is read "null fire". ``style="digits"`` reads one digit at a time ("ni, to, tre, …";
English groups them in pairs: "nine two, three four, …"), ``style="mobile_323"`` reads 3-2-3 ("ni hundre og
tjuetre, førtifem, seks hundre og syttiåtte"). Numbers of other lengths or regions are read in the groups
of their international format, after "pluss" and the country code when the number is foreign. Words come
from ``num2words``; every text produced here parses back to the same digits through
:func:`~sidecar_stt.core.numerals.parse_digit_readings`. Where a number word has several forms (sju/syv,
tjue/tyve, tretti/tredve, førti/firti), the read-back says the one named in ``variants`` — the form the caller
used (:func:`heard_variants`) or the one an app fixes — and num2words' form otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import phonenumbers
from num2words import num2words

from .languages import language_pack, normalize_language
from .numerals import parse_digit_readings
from .numerals.lexicon import spelling_variants
from .phone import PhoneCandidate

__all__ = [
    "ReadBackStyle",
    "SpokenNumber",
    "check_variants",
    "heard_variants",
    "pair_groups",
    "read_back",
    "read_back_groups",
    "speak_number",
]

ReadBackStyle = Literal["pairs", "digits", "mobile_323"]

Swaps = tuple[tuple[str, str], ...]
"""(default form, form to say) of the number words whose variant is chosen: ``(("syv", "sju"),)``."""


@lru_cache(maxsize=4096)
def _number_words(value: int, language: str, swaps: Swaps = ()) -> str:
    pack = language_pack(language)
    text: str = num2words(value, lang=pack.numbers.num2words_lang)
    forms = pack.read_back
    if forms.word_forms:
        text = " ".join(forms.word_forms.get(w, w) for w in text.split(" "))
    for ending, form in forms.ending_forms.items():
        if text.endswith(ending):
            text = text[: -len(ending)] + form
    for default, chosen in swaps:  # inside compounds too: "tjuesyv" → "tjuesju"
        text = text.replace(default, chosen)
    return text


def _say_group(group: str, language: str, swaps: Swaps = ()) -> str:
    """One group as a number; leading zeros are read one by one ("04" → "null fire")."""
    if not group.isdigit():
        raise ValueError("a group must be digits")
    words: list[str] = []
    rest = group
    while len(rest) > 1 and rest[0] == "0":
        words.append(_number_words(0, language, swaps))
        rest = rest[1:]
    words.append(_number_words(int(rest), language, swaps))
    return " ".join(words)


def _swaps(variants: Sequence[str], language: str) -> Swaps:
    """The swaps that say ``variants`` (forms of :attr:`~sidecar_stt.core.languages.pack.ReadBackWords.variants`);
    of two forms of one word, the later wins. ``ValueError`` names the forms the language has."""
    if isinstance(variants, str):
        raise ValueError("variants must be a sequence of number-word forms, not one string")
    families = language_pack(language).read_back.variants
    chosen: dict[str, str] = {}
    for form in variants:
        family = next((f for f in families if form.lower() in f), None)
        if family is None:
            known = ", ".join(w for f in families for w in f) or "none"
            raise ValueError(f"unknown number-word variant {form!r} for {language!r}; expected one of: {known}")
        chosen[family[0]] = form.lower()
    return tuple((default, form) for default, form in chosen.items() if form != default)


def check_variants(variants: Sequence[str], *, language: str = "nb") -> tuple[str, ...]:
    """``variants`` in lower case when each is a form of one of the language's interchangeable number words (see
    :func:`speak_number`); ``ValueError`` naming the forms the language has otherwise."""
    _swaps(variants, normalize_language(language))
    return tuple(form.lower() for form in variants)


def heard_variants(texts: Iterable[str], *, language: str = "nb") -> tuple[str, ...]:
    """The forms of the language's interchangeable number words (sju/syv, tjue/tyve, tretti/tredve, førti/firti)
    that ``texts`` use, one per word: the form said most often inside the texts' numbers ("tjuesju" says "sju").
    A word whose forms are said equally often (one engine heard "sju", another "syv") is left out: the read-back
    keeps its default. Pass the result to :func:`speak_number` as ``variants``."""
    lang = normalize_language(language)
    families = language_pack(lang).read_back.variants
    if not families:
        return ()
    counts: dict[str, int] = {}
    for text in texts:
        for run in parse_digit_readings(text, language=lang):
            said = text[run.span[0] : run.span[1]].lower()
            for family in families:
                for form in family:
                    n = sum(said.count(spelling) for spelling in spelling_variants(form))
                    if n:
                        counts[form] = counts.get(form, 0) + n
    out: list[str] = []
    for family in families:
        heard = sorted(((counts.get(f, 0), f) for f in family), reverse=True)
        if heard[0][0] and (len(heard) == 1 or heard[0][0] > heard[1][0]):
            out.append(heard[0][1])
    return tuple(out)


def read_back_groups(groups: Sequence[str], *, language: str = "nb", variants: Sequence[str] = ()) -> list[str]:
    """Each digit group said as a number ("92" → "nittito", "04" → "null fire", "923" → "ni hundre og …"), in the
    forms ``variants`` names ("sju", "tyve"; see :func:`speak_number`)."""
    lang = normalize_language(language)
    swaps = _swaps(variants, lang)
    return [_say_group(g, lang, swaps) for g in groups]


def _chunks(digits: str, sizes: Sequence[int]) -> list[str]:
    out: list[str] = []
    pos = 0
    for size in sizes:
        if pos >= len(digits):
            break
        out.append(digits[pos : pos + size])
        pos += size
    if pos < len(digits):
        out.append(digits[pos:])
    return out


def pair_groups(digits: str) -> tuple[str, ...]:
    """Digits in the pairs they are read back in: ``"92345678"`` → ``("92", "34", "56", "78")``.

    An odd count starts with a group of three (``"923456789"`` → ``("923", "45", "67", "89")``).
    """
    if len(digits) % 2 and len(digits) > 1:
        return (digits[:3], *_chunks(digits[3:], [2] * len(digits)))
    return tuple(_chunks(digits, [2] * len(digits)))


def _format_groups(number: phonenumbers.PhoneNumber) -> list[str]:
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    parts = [p for p in text.replace("-", " ").split(" ") if p]
    return ["".join(ch for ch in p if ch.isdigit()) for p in parts[1:]]


@dataclass(frozen=True, slots=True)
class SpokenNumber:
    """A read-back: the digit groups and the words that say each of them."""

    prefix: str
    """``"pluss førtiseks, "`` before a foreign number, else empty."""
    groups: tuple[str, ...]
    """The digits of each spoken group (``("92", "34", …)``, or single digits when read digit by digit)."""
    words: tuple[str, ...]
    """The words of each group, as spoken (``("nittito", "trettifire", …)``)."""

    @property
    def text(self) -> str:
        """The exact words the agent speaks."""
        return self.prefix + ", ".join(self.words)


def _parse(candidate: PhoneCandidate | str, home: str) -> phonenumbers.PhoneNumber:
    if isinstance(candidate, PhoneCandidate):
        return phonenumbers.parse(candidate.e164, None)
    text = candidate.strip()
    try:
        return phonenumbers.parse(text, None if text.startswith("+") else home)
    except phonenumbers.NumberParseException as e:
        raise ValueError("not a phone number") from e


def speak_number(
    candidate: PhoneCandidate | str,
    *,
    language: str = "nb",
    style: ReadBackStyle | None = None,
    variants: Sequence[str] = (),
) -> SpokenNumber:
    """How the agent reads ``candidate`` back (a candidate, an E.164 string or national digits).

    ``style=None`` picks pairs for Norwegian 8-digit numbers (digits in pairs for English) and the groups of
    the number's international format otherwise. ``variants`` names the forms to say of the language's
    interchangeable number words (``("sju", "tyve")``: "tyvesju" for 27; default ``syv``, ``tjue``, ``tretti``,
    ``førti`` in bokmål); :func:`heard_variants` finds the ones the caller used. ``ValueError`` for a form the
    language does not have.
    """
    lang = normalize_language(language)
    swaps = _swaps(variants, lang)
    reading = language_pack(lang).read_back
    home = reading.home_region
    number = _parse(candidate, home)
    digits = phonenumbers.national_significant_number(number)
    if number.number_of_leading_zeros and number.italian_leading_zero:
        digits = "0" * number.number_of_leading_zeros + digits
    prefix = ""
    if number.country_code != phonenumbers.country_code_for_region(home):
        prefix = f"{reading.plus_word} {_number_words(int(number.country_code or 0), lang, swaps)}, "
    norwegian_size = phonenumbers.region_code_for_number(number) in ("NO", "SJ") and len(digits) == 8
    pairs_by_digit = reading.digits_in_pairs  # English says each digit of a pair: "nine two, three four, …"
    by_digit = False
    if style is None:
        groups = list(pair_groups(digits)) if norwegian_size else (_format_groups(number) or [digits])
        by_digit = pairs_by_digit
    elif style == "pairs":
        groups = list(pair_groups(digits))
    elif style == "mobile_323":
        groups = _chunks(digits, [3, 2, 3] if len(digits) == 8 else [3, *([2] * len(digits))])
    elif style == "digits":
        groups = list(pair_groups(digits)) if pairs_by_digit else list(digits)
        by_digit = pairs_by_digit
    else:
        raise ValueError(f"unknown read-back style {style!r}")
    if by_digit:
        words = [" ".join(_say_group(d, lang, swaps) for d in g) for g in groups]
    else:
        words = [_say_group(g, lang, swaps) for g in groups]
    return SpokenNumber(prefix=prefix, groups=tuple(groups), words=tuple(words))


def read_back(
    candidate: PhoneCandidate | str,
    *,
    language: str = "nb",
    style: ReadBackStyle | None = None,
    variants: Sequence[str] = (),
) -> str:
    """The text the agent speaks to confirm ``candidate``: :func:`speak_number`'s words, comma-separated."""
    return speak_number(candidate, language=language, style=style, variants=variants).text
