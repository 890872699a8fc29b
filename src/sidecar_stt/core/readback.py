"""The exact words the agent speaks to confirm a phone number, in the caller's language.

Norwegian 8-digit numbers are read in pairs by default ("nittito, trettifire, femtiseks, syttiåtte"); a pair
that starts with zero is read "null fire". ``style="digits"`` reads one digit at a time ("ni, to, tre, …";
English groups them in pairs: "nine two, three four, …"), ``style="mobile_323"`` reads 3-2-3 ("ni hundre og
tjuetre, førtifem, seks hundre og syttiåtte"). Numbers of other lengths or regions are read in the groups
of their international format, after "pluss" and the country code when the number is foreign. Words come
from ``num2words``; every text produced here parses back to the same digits through
:func:`~sidecar_stt.core.numerals.parse_digit_readings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final, Literal

import phonenumbers
from num2words import num2words

from .numerals import get_lexicon, normalize_language
from .phone import PhoneCandidate

__all__ = ["ReadBackStyle", "read_back", "read_back_groups"]

ReadBackStyle = Literal["pairs", "digits", "mobile_323"]

_HOME_REGION: Final = {"nb": "NO", "nn": "NO", "en": "NO", "sv": "SE", "da": "DK"}
_PLUS_WORD: Final = {"nb": "pluss", "nn": "pluss", "en": "plus", "sv": "plus", "da": "plus"}
_NYNORSK: Final = {"en": "ein", "syv": "sju"}


@lru_cache(maxsize=4096)
def _number_words(value: int, language: str) -> str:
    text: str = num2words(value, lang=get_lexicon(language).num2words_lang)
    if language == "nn":
        text = " ".join(_NYNORSK.get(w, w) for w in text.split(" "))
        if text.endswith("syv"):
            text = text[: -len("syv")] + "sju"
    return text


def _say_group(group: str, language: str) -> str:
    """One group as a number; leading zeros are read one by one ("04" → "null fire")."""
    if not group.isdigit():
        raise ValueError("a group must be digits")
    words: list[str] = []
    rest = group
    while len(rest) > 1 and rest[0] == "0":
        words.append(_number_words(0, language))
        rest = rest[1:]
    words.append(_number_words(int(rest), language))
    return " ".join(words)


def read_back_groups(groups: Sequence[str], *, language: str = "nb") -> list[str]:
    """Each digit group said as a number ("92" → "nittito", "04" → "null fire", "923" → "ni hundre og …")."""
    lang = normalize_language(language)
    return [_say_group(g, lang) for g in groups]


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


def _pairs(digits: str) -> list[str]:
    if len(digits) % 2:
        return [digits[:3], *_chunks(digits[3:], [2] * len(digits))]
    return _chunks(digits, [2] * len(digits))


def _format_groups(number: phonenumbers.PhoneNumber) -> list[str]:
    text = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    parts = [p for p in text.replace("-", " ").split(" ") if p]
    return ["".join(ch for ch in p if ch.isdigit()) for p in parts[1:]]


def read_back(
    candidate: PhoneCandidate | str,
    *,
    language: str = "nb",
    style: ReadBackStyle | None = None,
) -> str:
    """The text the agent speaks to confirm ``candidate`` (a candidate, an E.164 string or national digits).

    ``style=None`` picks pairs for Norwegian 8-digit numbers (digits in pairs for English) and the groups of
    the number's international format otherwise.
    """
    lang = normalize_language(language)
    home = _HOME_REGION[lang]
    if isinstance(candidate, PhoneCandidate):
        number = phonenumbers.parse(candidate.e164, None)
    else:
        text = candidate.strip()
        try:
            number = phonenumbers.parse(text, None if text.startswith("+") else home)
        except phonenumbers.NumberParseException as e:
            raise ValueError("not a phone number") from e
    digits = phonenumbers.national_significant_number(number)
    if number.number_of_leading_zeros and number.italian_leading_zero:
        digits = "0" * number.number_of_leading_zeros + digits
    region = phonenumbers.region_code_for_number(number)
    home_cc = phonenumbers.country_code_for_region(home)
    prefix = ""
    if number.country_code != home_cc:
        prefix = f"{_PLUS_WORD[lang]} {_number_words(int(number.country_code or 0), lang)}, "
    norwegian_size = region in ("NO", "SJ") and len(digits) == 8
    if style is None:
        if norwegian_size:
            style = "digits" if lang == "en" else "pairs"
            groups = _pairs(digits)
        else:
            groups = _format_groups(number) or [digits]
            if lang == "en":
                return prefix + ", ".join(" ".join(_say_group(d, lang) for d in g) for g in groups)
            return prefix + ", ".join(_say_group(g, lang) for g in groups)
    if style == "pairs":
        return prefix + ", ".join(_say_group(g, lang) for g in _pairs(digits))
    if style == "mobile_323":
        sizes = [3, 2, 3] if len(digits) == 8 else [3, *([2] * len(digits))]
        return prefix + ", ".join(_say_group(g, lang) for g in _chunks(digits, sizes))
    if style == "digits":
        if lang == "en":
            return prefix + ", ".join(" ".join(_say_group(d, lang) for d in g) for g in _pairs(digits))
        return prefix + ", ".join(_say_group(d, lang) for d in digits)
    raise ValueError(f"unknown read-back style {style!r}")
