"""Whose number it is: a number the caller tells of, attributed to someone or something else, is not theirs to register.

Callers read out numbers that are not theirs to be reached on: the sender of a message ("søsteren min fikk en SMS
fra …"), the company's own number ("Dere ringte meg fra …", "Telefonnummeret deres, er det …?"), a number read off
a caller-ID display, a neighbour's or a seller's ("naboen min har nummeret …", "nummeret hans
var …"). :func:`told_of` says when the words around a number attribute it to another party this way. The caller
giving a number *as the contact* is another matter, whoever it belongs to: "ring kona mi på …", "dere kan ringe
meg på …", "det er mora mi som skal ha beskjed, nummeret er …", "jeg ringer på vegne av faren min, hans nummer er
…" — an offer in the number's sentence before it keeps it, and so does the number's clause calling it the
caller's own ("…, nummeret mitt er …").

A number is told of, in its sentence and with no offer before it, when

1. it is a **source**: "fra …" right before it, where the thing came to someone ("fikk en SMS fra", "regning fra",
   "anrop fra") or the one who called from it is not the caller ("Dere ringte meg fra …"; but "jeg ringer fra …"
   is the caller's own);
2. it is **read off a caller-ID display** ("på displayet står det …"): whoever called;
3. its clause names **another holder** — someone outside the call ("naboen", "kollegaen", "han som solgte den",
   "sentralbordet", "nummeret hans") — or points back to one named earlier in its sentence ("naboen min, hun har
   …"); a relative's number stated plainly ("nummeret til mannen min er …") is not told of: it may well be the
   contact;
4. it is **asked back** to the agent: a question naming the company or its number ("Telefonnummeret deres, er det
   …?", "…, er det kundeservice?"), or a question right after one that does ("Hva er nummeret til kundeservice?
   Er det …?").

The words are data, in each language's pack (:class:`~sidecar_stt.core.languages.pack.WhoseWords`); the decision
is this pure function.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from .languages.pack import WhoseWords
from .phrase_pattern import phrase_pattern

__all__ = ["told_of"]


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return phrase_pattern(words)


def _has(words: tuple[str, ...], text: str) -> bool:
    return bool(words) and _pattern(words).search(text) is not None


_SENTENCE_END: Final = re.compile(r"[.!?]\s|[.!?]$")
_CLAUSE_END: Final = re.compile(r"[,;:–—]")
_WORD: Final = re.compile(r"[^\W\d_]+")


def told_of(text: str, span: tuple[int, int], words: WhoseWords) -> bool:
    """Whether the number at ``span`` of ``text`` is one the caller tells of, attributed to someone or something
    else and not offered as the contact (see the module docstring)."""
    if _any_cue(words).search(text) is None:
        return False  # most turns name no other party at all
    lead = _sentence_before(text, span[0])
    clause = _clause(lead)
    attributed = (
        _source(clause, words)
        or _has(words.read_off, clause)
        or _has(words.other_holders, clause)
        or (_has(words.other_holders, lead) and _has(words.pointing_back, clause))
        or _asked_back(text, span, lead, words)
    )
    return attributed and not _offered(lead, words) and not _has(words.own, clause)


_CUES: dict[int, tuple[WhoseWords, re.Pattern[str]]] = {}
"""The pattern of :func:`_any_cue` per pack's words, by identity: hashing the whole word lists on every turn would
cost more than the search."""
_MAX_CUES: Final = 64


def _any_cue(words: WhoseWords) -> re.Pattern[str]:
    """Every word that can attribute a number to another party."""
    kept = _CUES.get(id(words))
    if kept is None or kept[0] is not words:
        if len(_CUES) >= _MAX_CUES:
            _CUES.clear()
        pattern = _pattern((*words.source, *words.read_off, *words.other_holders, *words.asked_back))
        kept = _CUES[id(words)] = (words, pattern)
    return kept[1]


def _sentence_before(text: str, start: int) -> str:
    """The words of the number's sentence before it."""
    lead = text[:start]
    ends = [m.end() for m in _SENTENCE_END.finditer(lead)]
    return lead[ends[-1] :] if ends else lead


def _clause(lead: str) -> str:
    """The words of ``lead`` since its last clause break."""
    ends = [m.end() for m in _CLAUSE_END.finditer(lead)]
    return lead[ends[-1] :] if ends else lead


def _offered(lead: str, words: WhoseWords) -> bool:
    """Whether ``lead`` gives the number after it as the one to reach someone on ("ring kona mi på", "nå meg på",
    "registrer", "på vegne av"), not denied ("ikke ring")."""
    if not words.offer:
        return False
    for m in _pattern(words.offer).finditer(lead):
        before = _WORD.findall(lead[: m.start()])
        if not (before and before[-1].lower() in words.deny):
            return True
    return False


def _source(clause: str, words: WhoseWords) -> bool:
    """Whether the number after ``clause`` is where something came from that is not the caller's own: "fra" ends
    the clause (maybe with a word for a number), and something was received ("fikk en SMS fra") or the clause's
    first person named is not the caller ("Dere ringte meg fra"; "jeg ringer fra" is the caller's)."""
    if not words.source:
        return False
    m = _source_at_end(words).search(clause)
    if m is None:
        return False
    before = clause[: m.start()]
    if _has(words.received, before):
        return True
    for word in _WORD.findall(before):
        w = word.lower()
        if w in words.self_subjects:
            return False
        if w in words.other_subjects:
            return True
    return False


@cache
def _source_at_end(words: WhoseWords) -> re.Pattern[str]:
    """ "fra" at the end of a clause, maybe with a word for a number after it ("fra nummeret")."""
    nouns = rf"(?:\s+(?:{_pattern(words.number_nouns).pattern}))?" if words.number_nouns else ""
    return re.compile(rf"(?:{_pattern(words.source).pattern}){nouns}\s*$", re.IGNORECASE)


def _question_before(before: str, lead: str) -> str:
    """The sentence right before the number's own when it is a question, else ``""``."""
    earlier = before[: len(before) - len(lead)].rstrip()
    if not earlier.endswith("?"):
        return ""
    ends = [m.end() for m in _SENTENCE_END.finditer(earlier[:-1])]
    return earlier[ends[-1] :] if ends else earlier


def _asked_back(text: str, span: tuple[int, int], lead: str, words: WhoseWords) -> bool:
    """Whether the number's sentence, or a short one right after it, is a question that names the company or its
    number ("Telefonnummeret deres, er det …?", "…, er det kundeservice?")."""
    if not words.asked_back:
        return False
    rest = text[span[1] :]
    end = _SENTENCE_END.search(rest)
    sentence = lead + " " + (rest[: end.end()] if end is not None else rest)
    if sentence.rstrip().endswith("?") and (
        _has(words.asked_back, sentence) or _has(words.asked_back, _question_before(text[: span[0]], lead))
    ):
        return True  # "Er det 22 03 00 00?" after "Hva er nummeret til kundeservice?" asks back too
    if end is None:
        return False
    following = rest[end.end() :]
    nxt = _SENTENCE_END.search(following)
    question = following[: nxt.end()] if nxt is not None else following
    return question.rstrip().endswith("?") and _has(words.asked_back, question)
