"""Clarifications inside a number: a group said again digit by digit, or named, after "som i" ("as in").

Callers make a group they fear is misheard plain: "nittito, sytten, som i én sju, førtifem …", "seksti som i seks
null", "null, som i ingenting". Read as more digits, the clarification doubles the group and no number fits.
:func:`drop_clarifications` blanks such a clarification (keeping every offset) when its digits are the group said
just before it, or it holds no number word at all, together with a clause right after it that denies another value
("fjorten, altså en fire, ikke førti"); a clarification with other digits is left to be read (it may be a
correction). The cue words are the pack's (:attr:`~.languages.pack.CorrectionWords.clarifiers`). A denied
alternative between a group and the group said again ("ni to, ikkje ni tre, ni to, …") is blanked too.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from .languages import language_pack
from .numerals import parse_digit_readings
from .numerals.language import get_search_lexicon
from .numerals.lexicon import KIND_UNIT
from .phrase_pattern import phrase_alternation

__all__ = ["drop_clarifications"]

_WORD: Final = re.compile(r"[^\W\d_]+")
_CLAUSE_END: Final = re.compile(r"[,.;:!?]")
_LAST_WORD: Final = re.compile(r"([^\W\d_]+)[\s,]*$")
_LOOK_BACK: Final = 40
"""Characters before a cue searched for the group it clarifies (and after it for the clarification)."""
_LAST_CLAUSE: Final = re.compile(r"([^,.;:!?]*)$")
_MAX_WORDS: Final = 4
"""Words a clarification has at most ("som i én sju"): a longer clause is something else, and is not read again."""


@cache
def _cue(language: str) -> re.Pattern[str] | None:
    words = language_pack(language).corrections.clarifiers
    if not words:
        return None
    alternation = phrase_alternation(sorted(words, key=len, reverse=True), between=r"\s+")
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def _denied_after(text: str, end: int, group: str, language: str) -> int:
    """Where a clarification ends: after the clause that follows it too when that clause denies another value than
    the group's ("fjorten, altså en fire, ikke førti": not forty)."""
    m = _denial(language).match(text, end)
    if m is None:
        return end
    stop = _CLAUSE_END.search(text, m.end())
    clause_end = stop.start() if stop is not None else len(text)
    lexicon = get_search_lexicon(language)
    morphemes = lexicon.morphemes
    values = [morphemes.get(w.group(0).lower()) for w in _WORD.finditer(text, m.end(), clause_end)]
    if len(values) == 1 and values[0] is not None and str(values[0][1]) != group:
        return clause_end
    return end


@cache
def _denial(language: str) -> re.Pattern[str]:
    negations = language_pack(language).corrections.negations
    alternation = phrase_alternation(sorted(negations, key=len, reverse=True), between=r"\s+")
    return re.compile(rf"[\s,]*(?:{alternation})(?![\w-])", re.IGNORECASE)


def _digits(text: str, language: str) -> str:
    return "".join(r.best.digits for r in parse_digit_readings(text, language=language))


def _drop_denied_alternatives(text: str, language: str) -> str:
    """``text`` with a denied alternative between a group and the group said again blanked ("ni to, ikkje ni tre,
    ni to, …": the caller rules out what might be heard and says the group once more)."""
    out, done = [], 0
    for m in _denial(language).finditer(text):
        if m.start() < done or "," not in m.group(0):
            continue
        mark = text.find(",", m.start())
        stop = text.find(",", m.end())
        if stop < 0 or stop - m.end() > _LOOK_BACK:
            continue
        again = _CLAUSE_END.search(text, stop + 1)
        end = again.start() if again is not None else len(text)
        before = _LAST_CLAUSE.search(text, max(0, mark - _LOOK_BACK), mark)
        if end - stop > _LOOK_BACK or before is None:
            continue
        group, denied = _digits(before.group(1), language), _digits(text[m.end() : stop], language)
        if group and denied and denied != group and _digits(text[stop + 1 : end], language) == group:
            out.append(text[done:mark])
            out.append(" " * (end - mark))
            done = end
    out.append(text[done:])
    return "".join(out)


def drop_clarifications(text: str, language: str) -> str:
    """``text`` with each clarification of the group before it blanked, and each denied alternative between a group
    and its repeat (see the module docstring)."""
    text = _drop_denied_alternatives(text, language) if _denial(language).search(text) else text
    cue = _cue(language)
    if cue is None or cue.search(text) is None:
        return text
    lexicon = get_search_lexicon(language)
    morphemes = lexicon.morphemes
    out, done = [], 0
    for m in cue.finditer(text):
        before = _LAST_WORD.search(text, max(0, m.start() - _LOOK_BACK), m.start())
        group = morphemes.get(before.group(1).lower()) if before is not None else None
        stop = _CLAUSE_END.search(text, m.end())
        end = stop.start() if stop is not None else len(text)
        if group is None or end - m.end() > _LOOK_BACK or m.start() < done:
            continue  # no group before it, or a clause too long for a clarification
        words = list(_WORD.finditer(text, m.end(), end))
        if not words or len(words) > _MAX_WORDS:
            continue
        said = "".join(r.best.digits for r in parse_digit_readings(text[m.end() : end], language=language))
        named = not said and not any(w.group(0).lower() in lexicon.bridge_stops for w in words)  # "som i ingenting"
        spelled = said == str(group[1]) and all(
            morphemes.get(w.group(0).lower(), (None,))[0] == KIND_UNIT for w in words
        )
        if named or spelled:
            end = _denied_after(text, end, str(group[1]), language)
            out.append(text[done : m.start()])
            out.append(" " * (end - m.start()))
            done = end
    out.append(text[done:])
    return "".join(out)
