"""The data shape of one language's spoken-number vocabulary, and its compiled lookup form.

Each language pack (:mod:`sidecar_stt.core.languages`) declares its number words as a :class:`LexiconSpec` of
plain tables; :func:`compile_lexicon` turns it into a :class:`Lexicon` of dictionaries that the one generic
tokenizer reads.
Spelling variants are generated here, once: ``å`` ↔ ``aa``, ``ø`` → ``o``/``oe``, ``æ`` → ``ae``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..languages.pack import NumberWords

__all__ = [
    "KIND_AND",
    "KIND_DIGITS",
    "KIND_HUNDRED",
    "KIND_MULTIPLIER",
    "KIND_TEEN",
    "KIND_TEN",
    "KIND_THOUSAND",
    "KIND_UNIT",
    "Lexicon",
    "LexiconSpec",
    "compile_lexicon",
    "spelling_variants",
]

# Morpheme kinds (small ints: the parser compares them in its inner loop).
KIND_UNIT = 0  # 0..9
KIND_TEEN = 1  # 10..19
KIND_TEN = 2  # 20, 30, ..., 90
KIND_HUNDRED = 3
KIND_THOUSAND = 4
KIND_AND = 5  # "og" / "and" / "och": old counting, "hundre og tolv"; a filler elsewhere
KIND_MULTIPLIER = 6  # "double" = 2, "triple" = 3
KIND_DIGITS = 7  # digits printed by the STT


LexiconSpec = NumberWords
"""The tables of one language (the number words of its :class:`~sidecar_stt.core.languages.LanguagePack`)."""


def spelling_variants(word: str) -> set[str]:
    """``word`` and the ways STTs and keyboards without Norwegian letters spell it ("førti" → "forti", "foerti")."""
    out = {word}
    for src, dsts in (("å", ("aa",)), ("ø", ("o", "oe")), ("æ", ("ae",))):
        for existing in list(out):
            if src in existing:
                for dst in dsts:
                    out.add(existing.replace(src, dst))
    return out


@dataclass(frozen=True, slots=True, eq=False)
class Lexicon:
    """A compiled lexicon: word → morphemes, filler and context sets."""

    code: str
    num2words_lang: str
    morphemes: dict[str, tuple[int, int]]
    """Simple number words → (kind, value)."""
    fillers: frozenset[str]
    filler_phrase: re.Pattern[str] | None
    """Matches any of the spec's filler phrases (``None`` when it has none)."""
    plus_words: frozenset[str]
    weak: frozenset[str]
    compounds: bool
    quantity_words: frozenset[str]
    label_words: frozenset[str]
    max_morpheme_len: int


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all ``phrases`` (longest first), words joined by any run of spaces and commas."""
    if not phrases:
        return None
    variants = sorted({v for p in phrases for v in spelling_variants(p)}, key=len, reverse=True)
    alternation = "|".join(r"[\s,]+".join(re.escape(w) for w in v.split()) for v in variants)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def compile_lexicon(spec: LexiconSpec) -> Lexicon:
    """Build the lookup tables of ``spec`` (with spelling variants)."""
    table: dict[str, tuple[int, int]] = {}

    def put(words: Mapping[str, int] | tuple[str, ...], kind: int, value: int | None = None) -> None:
        items = words.items() if isinstance(words, Mapping) else ((w, value or 0) for w in words)
        for word, val in items:
            for variant in spelling_variants(word):
                table.setdefault(variant, (kind, val))

    put(spec.units, KIND_UNIT)
    put(spec.teens, KIND_TEEN)
    put(spec.tens, KIND_TEN)
    put(spec.hundred, KIND_HUNDRED, 100)
    put(spec.thousand, KIND_THOUSAND, 1000)
    put(spec.conjunctions, KIND_AND, 0)
    put(spec.multipliers, KIND_MULTIPLIER)

    def expand(words: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
        return frozenset(v for w in words for v in spelling_variants(w))

    return Lexicon(
        code=spec.code,
        num2words_lang=spec.num2words_lang,
        morphemes=table,
        fillers=expand(spec.fillers),
        filler_phrase=_phrase_pattern(spec.filler_phrases),
        plus_words=expand(spec.plus_words),
        weak=expand(spec.weak),
        compounds=spec.compounds,
        quantity_words=expand(spec.quantity_words),
        label_words=expand(spec.label_words),
        max_morpheme_len=max(len(w) for w in table),
    )
