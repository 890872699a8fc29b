"""Language codes the numeral parser understands, and their compiled lexicons.

The codes and the number words come from the language packs (:mod:`sidecar_stt.core.languages`).
"""

from __future__ import annotations

from functools import cache

from ..languages import LANGUAGES, language_pack, normalize_language
from .lexicon import Lexicon, compile_lexicon, search_lexicon

__all__ = ["LANGUAGES", "get_lexicon", "get_search_lexicon", "normalize_language"]


@cache
def get_lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (any tag :func:`normalize_language` accepts)."""
    return compile_lexicon(language_pack(language).numbers)


@cache
def get_search_lexicon(language: str) -> Lexicon:
    """The lexicon a lenient reading of ``language`` searches: its own number words first, then every other
    language's (:func:`~.lexicon.search_lexicon`)."""
    code = normalize_language(language)
    others = tuple(get_lexicon(other) for other in LANGUAGES if other != code)
    return search_lexicon(get_lexicon(code), others, stops=_cue_words(code))


def _cue_words(code: str) -> frozenset[str]:
    """The one-word cues of ``code``'s pack that carry meaning between numbers: corrections, negations, a no,
    old and new, preferences, labels (a lenient reading never reads through them) — except the words that begin
    hesitations too ("vent", as in "vent litt")."""
    pack = language_pack(code)
    intent, corrections = pack.intent, pack.corrections
    phrases = (
        *intent.correction, *intent.correction_or, *intent.for_next, *intent.insist_next, *intent.against_next,
        *intent.against_previous, *intent.prefer, *intent.labels, *intent.someone_else, *corrections.negations,
        *corrections.replaced_by,
        *pack.answers.no,
    )  # fmt: skip
    hesitations = {w for phrase in pack.numbers.filler_phrases for w in phrase.split()}
    return frozenset(p for p in phrases if " " not in p and p not in hesitations)
