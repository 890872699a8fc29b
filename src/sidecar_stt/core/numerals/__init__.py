"""Spoken numbers in transcripts: find number runs and read them as ranked digit strings.

One generic tokenizer and grammar (:mod:`.tokenizer`, :mod:`.grammar`) read data-driven lexicons: the number
words of each language pack (:mod:`sidecar_stt.core.languages`: ``nb``, ``nn``, ``en``, ``sv``, ``da``). A
transcript is cut into *runs* — stretches of number words and printed digits, with fillers ("eh", "altså"),
commas and "og" allowed inside — and every run gets a ranked list of readings, because a split compound is
ambiguous: "nitti to" is "92" (preferred) or "90 2"; "fem og førti" is "45" (preferred) or "5 40"; "ni hundre
tjuetre" is "923" or "900 23". Morphemes of one written word ("nittito") are never split. Handles digits one by
one, pairs, old counting ("femogførti", "toogtyve"), variants (sju/syv, tjue/tyve, tretti/tredve, førti/firti,
én/en/ein/ett), hundreds ("hundre og tolv"), thousands, printed digits ("92 34 56 78", "923 45 678",
"92-34-56-78", "+47 …") and mixtures; English "oh", "double five", "triple", "ninety-two".
"""

from __future__ import annotations

from .language import LANGUAGES, get_lexicon, normalize_language
from .reading import DigitGroup, DigitReading, NumberRun, parse_digit_readings

__all__ = [
    "LANGUAGES",
    "DigitGroup",
    "DigitReading",
    "NumberRun",
    "get_lexicon",
    "normalize_language",
    "parse_digit_readings",
]
