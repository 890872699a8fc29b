"""The data shape of one language's spoken-number vocabulary, and its compiled lookup form.

Each language pack (:mod:`sidecar_stt.core.languages`) declares its number words as a :class:`LexiconSpec` of
plain tables; :func:`compile_lexicon` turns it into a :class:`Lexicon` of dictionaries that the one generic
tokenizer reads.
Spelling variants are generated here, once: ``å`` ↔ ``aa``, ``ø`` → ``o``/``oe``, ``æ`` → ``ae``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from ..languages.pack import NumberWords
from ..phrase_pattern import phrase_pattern

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
    "respellings",
    "search_lexicon",
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
    bridge_stops: frozenset[str] = frozenset()
    """Words a lenient reading never reads through inside a number (cues of corrections and of other numbers)."""
    foreign: frozenset[str] = frozenset()
    """Number words a search lexicon took from other languages."""
    spelling_rules: tuple[tuple[str, str], ...] = ()
    times_words: frozenset[str] = frozenset()
    plural_digits: Mapping[str, int] = field(default_factory=dict)
    """A digit's plural, read after a count in a lenient reading ("tre nuller"), and its value."""
    foreign_fillers: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """Fillers of the call's language that are number words of another ("oh" is "øh" in Norwegian, 0 in English):
    a lenient reading takes them as numbers among that language's words."""


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for all ``phrases`` (longest first), words joined by any run of spaces and commas."""
    if not phrases:
        return None
    return phrase_pattern(tuple(sorted({v for p in phrases for v in spelling_variants(p)}, key=len, reverse=True)))


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
        spelling_rules=spec.spelling_rules,
        times_words=expand(spec.times_words),
        plural_digits=dict(spec.plural_digits),
    )


MIN_RESPELLED_CHARS: Final = 3
"""A respelled number word shorter than this is left out ("tr", "t")."""


def respellings(lexicon: Lexicon) -> dict[str, tuple[int, int]]:
    """Every word one or two of the lexicon's spelling rules make of one of its number words ("fem" → "fæm",
    "seksten" → "sækstan"; a rule changes every place it matches, or the first alone: "fæmten"), with the morpheme
    it stands for; weak words are not respelled."""
    rules = [(re.compile(pattern), replacement) for pattern, replacement in lexicon.spelling_rules]
    out: dict[str, tuple[int, int]] = {}
    for word, morpheme in lexicon.morphemes.items():
        if word in lexicon.weak or morpheme[0] in (KIND_AND, KIND_MULTIPLIER):
            continue
        once = {rule.sub(replacement, word, count=count) for rule, replacement in rules for count in (0, 1)}
        twice = {rule.sub(replacement, w) for w in once for rule, replacement in rules}
        for variant in once | twice:
            if len(variant) >= MIN_RESPELLED_CHARS and variant != word:
                out.setdefault(variant, morpheme)
    return out


def search_lexicon(primary: Lexicon, others: tuple[Lexicon, ...], *, stops: frozenset[str]) -> Lexicon:
    """The closed vocabulary a lenient reading searches: every number word of ``primary``, the words its spelling
    rules make of them (:func:`respellings`: "fæm", "søttan"), and, where ``primary`` has no word of that spelling,
    the number words of ``others`` (callers switch language inside a number: "four five eight zero, fem seks sju
    åtte"). The call's language wins every spelling both have ("to", "en"); a foreign word of one letter is left
    out, one that is weak in its own language ("et") stays weak, and one that is a filler of the call's language
    ("oh") is kept aside (:attr:`Lexicon.foreign_fillers`). ``stops`` are the words never read through
    (:attr:`Lexicon.bridge_stops`)."""
    table = dict(primary.morphemes)
    fillers = set(primary.fillers)
    weak = set(primary.weak)
    foreign: set[str] = set()
    foreign_fillers: dict[str, tuple[int, int]] = {}
    avoid = primary.fillers | primary.weak | stops | primary.quantity_words | primary.label_words
    for word, morpheme in respellings(primary).items():
        if word not in table and word not in avoid:
            table[word] = morpheme
    for other in others:
        for word, morpheme in other.morphemes.items():
            if len(word) < 2 or word in table:
                continue
            if word in primary.fillers:
                foreign_fillers.setdefault(word, morpheme)
                continue
            table[word] = morpheme
            foreign.add(word)
            if word in other.weak:
                weak.add(word)
        fillers.update(w for w in other.fillers if w not in table)
    return Lexicon(
        code=primary.code + "+search",
        num2words_lang=primary.num2words_lang,
        morphemes=table,
        fillers=frozenset(fillers),
        filler_phrase=primary.filler_phrase,
        plus_words=primary.plus_words,
        weak=frozenset(weak),
        compounds=True,
        quantity_words=primary.quantity_words,
        label_words=primary.label_words,
        max_morpheme_len=max(len(w) for w in table),
        bridge_stops=stops | primary.label_words | primary.quantity_words | primary.plus_words,
        times_words=primary.times_words,
        plural_digits=primary.plural_digits,
        foreign=frozenset(foreign),
        foreign_fillers=foreign_fillers,
    )
