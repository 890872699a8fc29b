"""The number the caller means, when an utterance holds more than one: corrections, old and new, preferences.

Callers correct themselves in one breath ("nittito trettifire femtiseks syttiåtte, nei, det skal være femtisju,
ikke femtiseks"), cut a number and restart a group ("nittini null ni … nei unnskyld, førtien åttisju tjueto"),
give an old and a new number, two numbers and a preference, or someone else's number beside their own.
:func:`rank_intended` takes every number the parser found in a text and puts the intended one first; the others
stay, with a lowered score and the reason they lost (:data:`~sidecar_stt.core.candidate.LostBecause`), so a
capture can still see them.

Rules, in order:

1. **A correction builds the number the caller means.** After a whole number, a correction cue ("nei",
   "unnskyld", "jeg mener", "skal være", "sorry", "I mean", …) followed by a value replaces a group of it: the
   group the correction names ("ikke femtiseks", "det siste", "i starten"), else the group said last. Between
   parts of a number, a cue followed by more digits replaces the last group(s) said before it ("eller tjue mener
   jeg" counts as a cue). Two groups said in the wrong order ("bytt om de to i midten") are put right. The
   corrected number comes first; the one it replaced lost as ``corrected``.
2. **A later whole number after a cue retracts the earlier one** (``retracted``).
3. **Discourse words** around each number: before it, "nå har jeg", "det nye er", "byttet til", "heller",
   "mitt er", "the new one" speak for it; "det gamle", "used to", "til mannen min" against it; a word alone
   setting it in time too ("før …, nå …"); after it, "registrert", "før", "er gammelt" against it. A closing
   preference ("ring helst mobilen", "det siste er best", "bruk det private") speaks for the number its label or
   position names. The best-supported number comes first;
   without any such word the parser's own order stands, and so it does when the caller leaves the choice open
   ("ta den du vil", "begge er mine"): the capture asks.
4. **The only number may be no number to register**: taken back with none given instead ("…, nei, stryk det"),
   called old or not the caller's ("… det er ikke mitt nummer"), the number of someone the caller tells of
   having called ("jeg ringte legekontoret på …", "prøvde å ringe …"), one whose holder the caller says not to
   call ("…, men ikke ring ham"), an example of a form ("sånn som …"; ``example``), or one the caller tells of as
   someone else's — a sender's, the company's, a
   neighbour's (:func:`~sidecar_stt.core.whose.told_of`). It stays, lost, and nothing speaks for it.
5. **Where no number was read**, two parts of one around an aside set off by commas ("nittito, hysj Emma, mamma
   snakker i telefonen, trettien, …") are one, when they make a whole valid number and the aside holds no cue.

The word lists are data, in each language's pack (:class:`~sidecar_stt.core.languages.pack.IntentWords`; nynorsk,
Swedish and Danish use the bokmål cues).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise
from typing import Final

from .candidate import LostBecause, PhoneCandidate
from .correction import Correction, apply_correction, parse_correction
from .languages import language_pack, language_packs
from .languages.pack import IntentWords
from .number_choice import label_of
from .numerals import NumberRun, get_lexicon, parse_digit_readings
from .numerals.tokenizer import may_hold_digits
from .phrase_pattern import phrase_pattern
from .whose import told_of

__all__ = ["IntentWords", "MakeCandidate", "rank_intended"]

_LOST_FACTOR: Final = 0.25
"""A number that lost keeps this share of its score."""


_SOMEONE_ELSE: Final = tuple(dict.fromkeys(w for pack in language_packs() for w in pack.intent.someone_else))
"""Words that make a losing number someone else's rather than an old one — in any language."""


@cache
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return phrase_pattern(words)


def _has(words: tuple[str, ...], text: str) -> bool:
    return bool(words) and _pattern(words).search(text) is not None


MakeCandidate = Callable[[str, tuple[int, int], tuple[str, ...], float], PhoneCandidate | None]
"""``make(digits, span, groups, score)``: a validated candidate for digits a correction built, or ``None``."""


def rank_intended(
    text: str,
    candidates: Sequence[PhoneCandidate],
    *,
    language: str,
    make: MakeCandidate,
    lenient: bool = True,
) -> list[PhoneCandidate]:
    """``candidates`` (every number found in ``text``) with the intended one first; see the module docstring.

    ``make(digits, span, groups, score)`` validates a digit string built from a correction. ``lenient``: where no
    number was found, parts of one around an aside may be joined (a lenient reading; off for a text the reader
    reads strictly alone).
    """
    words = language_pack(language).intent
    if len(candidates) <= 1 and _any_cue(language).search(text) is None:
        # one number or none, and no word that could speak about it or correct one (none: parts around an aside?)
        if candidates and (
            told_of(text, candidates[0].span, words.whose) or _not_to_call(text[candidates[0].span[1] :], words)
        ):
            return [dataclasses.replace(candidates[0], lost_because="someone_else")]
        return list(candidates) if candidates or not lenient else _across_asides(text, language, make)
    found = sorted(candidates, key=lambda c: c.span[0])
    corrected = _corrections(text, found, words, language=language, make=make)
    pool = [c for c in found if c.e164 not in {k.e164 for k in corrected}]
    if corrected:
        pool = [dataclasses.replace(c, lost_because="corrected") if _overlaps(c, corrected) else c for c in pool]
    pool = sorted([*pool, *corrected], key=lambda c: c.span[0])
    if not pool:
        return _across_asides(text, language, make) if lenient else []
    disowned = _disowned(text, pool[0], words, language) if len(pool) == 1 else ""
    if disowned:
        # the only number is taken back, called old or not the caller's ("… det er ikke mitt lenger"): no number
        return [dataclasses.replace(pool[0], lost_because=disowned)]
    if len(pool) < 2:
        return sorted(pool, key=lambda c: -c.score)
    if not corrected and _has(words.either, text[max(c.span[1] for c in pool) :]):
        return sorted(pool, key=lambda c: -c.score)  # "…, ta den du vil": the words leave the choice open
    support = _support(text, pool, words, language)
    best = max(range(len(pool)), key=lambda i: (support[i], not pool[i].lost_because, pool[i].score, -i))
    if len(set(support)) == 1 and not any(c.lost_because for c in pool):
        return sorted(pool, key=lambda c: -c.score)  # no cue tells them apart: the parser's order stands
    winner = dataclasses.replace(pool[best], lost_because="")
    losers = [
        dataclasses.replace(
            c,
            score=round(min(c.score, winner.score) * _LOST_FACTOR, 4),
            lost_because=c.lost_because or _why(c, i, best, text, pool, words),
        )
        for i, c in enumerate(pool)
        if i != best
    ]
    return [winner, *sorted(losers, key=lambda c: -c.score)]


def _disowned(text: str, c: PhoneCandidate, words: IntentWords, language: str) -> LostBecause:
    """Why the only number is not one to register, or ``""``: the caller takes it back and gives none ("…, nei
    stryk det"; ``retracted``), calls it old or not theirs ("ikke ring …", "… det er ikke mitt lenger", "… det er
    jobben til mannen min"; ``old_number``), or tells of a call made to it ("jeg ringte banken på …";
    ``someone_else``) — and nothing in its sentence before it speaks for it. Someone else's number announced before
    it ("det er mora mi som skal ha beskjed, nummeret er …") is the one to take."""
    lead, trail = _sentence(text[: c.span[0]]), _of_this_number(text[c.span[1] :], words)
    if _has(words.for_next, lead) or _has(words.insist_next, lead):
        return ""
    if _has(words.retraction, trail):
        return "retracted"
    example = _has(words.examples, _last_clause(lead)) or _ends_with(words.examples, lead)
    if example and not _offered_in(lead, words):
        return "example"  # "Skal jeg si det sånn som 99 99 99 99, …?": a form, not a number given
    if _narrated_call(lead, words) or told_of(text, c.span, words.whose) or _not_to_call(trail, words):
        return "someone_else"  # the one called, a sender, the company's, a neighbour's: not the caller's
    whose = _whose(words)
    negations = language_pack(language).corrections.negations
    old = tuple(p for p in words.against_next if p not in whose and p not in negations)
    bare = tuple(p for p in words.against_next if p in negations)  # "ikke": only of the number's own clause
    if (
        _has(old, lead)
        or _has(bare, _last_clause(lead))
        or _said_against(words.against_previous, trail, language)
        or _has(whose, trail)
    ):
        return "old_number"
    return ""


def _said_against(phrases: tuple[str, ...], trail: str, language: str) -> bool:
    """Whether ``trail`` says one of ``phrases`` of the number before it: not as a preposition of a number after it
    ("…, helst før fem": a time, not "before")."""
    for m in _pattern(phrases).finditer(trail) if phrases else ():
        rest = trail[m.end() :]
        runs = parse_digit_readings(rest[: len(rest) - len(rest.lstrip()) + _NEXT_WORD], language=language)
        if not (runs and not rest[: runs[0].span[0]].strip()):
            return True
    return False


_NEXT_WORD: Final = 24
"""Characters enough for the word after a cue."""


def _last_clause(lead: str) -> str:
    """The words of ``lead`` since its last clause break: a bare "ikke" before it ("Jeg husker ikke helt, vent, …",
    "Eg har ikkje mobil, men heimetelefonen er …") says nothing of the number."""
    marks = [m.end() for m in _CLAUSE_END.finditer(lead)]
    return lead[marks[-1] :] if marks else lead


def _offered_in(lead: str, words: IntentWords) -> bool:
    """Whether ``lead`` offers the number after it ("du kan for eksempel ringe meg på …")."""
    return _has(words.whose.offer, lead) or _has(words.for_next, lead)


def _not_to_call(trail: str, words: IntentWords) -> bool:
    """Whether the number's sentence after it says not to reach the one it belongs to ("…, men ikke ring ham",
    "…, don't call her")."""
    kept = _NOT_TO_CALL.get(id(words))
    if kept is None or kept[0] is not words:
        whose = words.whose
        if not (whose.deny and whose.offer and whose.pointing_back):
            return False
        deny, offer, them = (_pattern(w).pattern for w in (whose.deny, whose.offer, whose.pointing_back))
        kept = _NOT_TO_CALL[id(words)] = (words, re.compile(rf"{deny}\s+{offer}\s+{them}", re.IGNORECASE))
    said = _LAST_SENTENCE_END.split(trail, maxsplit=1)[0]
    return kept[1].search(said) is not None


_NOT_TO_CALL: dict[int, tuple[IntentWords, re.Pattern[str]]] = {}
"""The pattern of :func:`_not_to_call` per pack's words, by identity (hashing the word lists on every turn costs
more than the search)."""


def _of_this_number(trail: str, words: IntentWords) -> str:
    """What of ``trail`` (the words after the only number) is said of it: up to a clause that names another number
    ("…, det andre er sagt opp")."""
    if not words.other_names:
        return trail
    m = re.search(rf"[,.;:!?]\s*{_pattern(words.other_names).pattern}", trail, re.IGNORECASE)
    return trail[: m.start()] if m is not None else trail


_SENTENCE_END: Final = re.compile(r"[.!?:]\s")


def _sentence(lead: str) -> str:
    """The words of ``lead`` since its last sentence break ("Vent, ikke skriv ennå. Nå: …" → "")."""
    ends = [m.end() for m in _SENTENCE_END.finditer(lead)]
    return lead[ends[-1] :] if ends else lead


def _narrated_call(lead: str, words: IntentWords) -> bool:
    """Whether ``lead`` tells of a call the caller made to someone, with the number after it in the same clause the
    one called ("jeg ringte legekontoret på"), not one the call came from or reached the caller on ("ringte dere
    fra", "ringte meg på")."""
    if not words.called_past:
        return False
    calls = list(_pattern(words.called_past).finditer(lead))
    if not calls:
        return False
    between = lead[calls[-1].end() :]
    return (
        _CLAUSE_END.search(between) is None
        and not _has(words.called_own, between)
        and not _has(words.called_ends, between)  # "jeg har ringt tre ganger i dag nummeret er …"
    )


@cache
def _any_cue(language: str) -> re.Pattern[str]:
    """Every word that can correct a number, retract it or call it old or someone else's."""
    pack = language_pack(language)
    intent = pack.intent
    cues = (
        *intent.correction,
        *intent.correction_or,
        *intent.against_next,
        *intent.against_previous,
        *intent.retraction,
        *intent.called_past,
        *intent.swap,
        *intent.examples,
    )
    return _pattern((*cues, *pack.corrections.negations))


@cache
def _whose(words: IntentWords) -> tuple[str, ...]:
    """The cues that make a number someone else's ("til mannen", "kona mi")."""
    others = set(words.someone_else)
    return tuple(p for p in words.against_next if others & set(p.split()))


def _overlaps(candidate: PhoneCandidate, corrected: Sequence[PhoneCandidate]) -> bool:
    return any(candidate.span[0] <= k.span[1] and k.span[0] <= candidate.span[1] for k in corrected)


def _support(text: str, pool: Sequence[PhoneCandidate], words: IntentWords, language: str) -> list[float]:
    """How much the words around each number speak for it (see the module docstring, rules 2 and 3)."""
    support = [0.0] * len(pool)
    lead_support = [0.0] * len(pool)
    for i, c in enumerate(pool):
        lead, trail = _lead(text, pool, c), _trail(text, pool, c)
        earlier = [k for k, other in enumerate(pool) if other.span[1] <= c.span[0]]
        if earlier and _has(words.correction, lead):
            support[i] += 3.0
            for k in earlier:
                support[k] -= 3.0
        own = _lead_clause(lead, after_number=bool(earlier))
        if _speaks_for(own, words):
            lead_support[i] += 2.0
        if _has(words.insist_next, own):
            lead_support[i] += 4.0
        if _has(words.against_next, own):
            lead_support[i] -= 1.5
        said = own.strip(" ,.;:–-").lower()
        if said in words.then_now[0]:
            lead_support[i] -= 1.5  # "…: før 41 38 27 60, nå 41 38 72 06"
        elif said in words.then_now[1]:
            lead_support[i] += 2.0
        if earlier and _has(words.correction_or, lead) and not _has(words.correction_postfix, text[c.span[1] :]):
            # "nå meg på X eller Y": what was said before the first speaks for the alternative too
            lead_support[i] += lead_support[earlier[-1]]
        support[i] += lead_support[i]
        if trail is not None and _has(words.against_previous, trail):
            support[i] -= 1.5
        if trail is not None and i + 1 < len(pool) and _has(words.for_next, _own_clause(trail, language)):
            support[i] += 2.0  # "99 80 15 10 er det nye nummeret mitt, ikke …": said of the number before
    end = max(c.span[1] for c in pool)
    tail = text[end:]
    preference = _pattern(words.prefer).search(tail) if words.prefer else None
    if preference is not None and _has(words.last, tail):
        support[-1] += 2.0
    elif preference is not None and _has(words.first, tail):
        support[0] += 2.0
    else:
        for i in _preferred(text, pool, words, language):
            support[i] += 2.0
    return support


def _speaks_for(lead: str, words: IntentWords) -> bool:
    """Whether ``lead`` has a word for the number after it that is not part of a phrase making the number someone
    else's ("min er" is the caller's own, but not in "mannen min er")."""
    if not words.for_next:
        return False
    whose = [m.span() for m in _pattern(_whose(words)).finditer(lead)] if _whose(words) else []
    return any(
        not any(a < m.end() and m.start() < b for a, b in whose) for m in _pattern(words.for_next).finditer(lead)
    )


_CLAUSE_END: Final = re.compile(r"[.,;:!?]")


def _preferred(text: str, pool: Sequence[PhoneCandidate], words: IntentWords, language: str) -> list[int]:
    """The numbers a stated preference names: a clause with a preference word ("best", "helst", "ring") that names
    the kind of one number ("det er best å ringe meg på mobilen", "Mobilen er best", "men ring jobben i dag"), or,
    naming none, follows a number at once ("…, 47 65 12 90, er sikrest")."""
    if not words.prefer:
        return []
    labels = [label_of(text, c, pool, language).lower() for c in pool]
    corrections = language_pack(language).corrections
    breaks = corrections.clause_breaks
    out: list[int] = []
    for m in _pattern(words.prefer).finditer(text):
        if any(c.span[0] <= m.start() < c.span[1] for c in pool) or _ends_with(
            corrections.negations, text[: m.start()]
        ):
            continue  # inside a number, or denied ("ikke ring jobben")
        marks = [p.end() for p in _CLAUSE_END.finditer(text, 0, m.start())]
        start = max([*marks, *(c.span[1] for c in pool if c.span[1] <= m.start())], default=0)
        mark = _CLAUSE_END.search(text, m.end())
        number = min((c.span[0] for c in pool if c.span[0] >= m.end()), default=None)
        into_number = number is not None and (mark is None or number < mark.start())
        end = number if into_number and number is not None else (mark.start() if mark is not None else len(text))
        clause = text[start:end].lower()
        kinds = [k for k in words.labels if k in clause]
        named = {i for i, label in enumerate(labels) if label and any(k in label for k in kinds)}
        if kinds and len(named) == 1:
            out.append(named.pop())
        elif kinds and not named and not into_number and mark is not None:
            # "det er best å ringe meg på mobilen, 92 18 66 35": the clause names the number said right after it
            after = [
                i for i, c in enumerate(pool) if c.span[0] >= mark.end() and not text[mark.end() : c.span[0]].strip()
            ]
            out.extend(after[:1])
        elif not kinds and into_number and number is not None and m.group(0).lower() in words.ranking:
            # "Det beste er å sende SMS til 48 17 59 20": the preference leads into the number of its clause
            out.extend(i for i, c in enumerate(pool) if c.span[0] == number)
        elif not kinds and not into_number:
            before = [i for i, c in enumerate(pool) if c.span[1] <= m.start()]
            between = text[pool[before[-1]].span[1] : m.start()] if before else ""
            if before and not text[pool[before[-1]].span[1] : start].strip(" ,.;:") and not _has(breaks, between):
                out.append(before[-1])
    return list(dict.fromkeys(out))


def _lead(text: str, pool: Sequence[PhoneCandidate], c: PhoneCandidate) -> str:
    """The words before ``c`` since the last number that ended before it (a correction shares its source's)."""
    start = max((o.span[1] for o in pool if o.span[1] <= c.span[0]), default=0)
    return text[start : c.span[0]]


def _lead_clause(lead: str, *, after_number: bool) -> str:
    """What of ``lead`` is said of the number after it: its last sentence ("X. Den gamle, Y": "Den gamle, "); else,
    after a number, from the lead's first comma on ("X er det nye nummeret mitt, ikke Y": "ikke"), the words before
    the comma being said of the number before."""
    ends = [m.end() for m in _FULL_STOP.finditer(lead)]
    if ends:
        return lead[ends[-1] :]  # a new sentence speaks of the number it leads to ("…. Den gamle, 99 15 28 12, …")
    cut = lead.find(",")
    return lead[cut + 1 :] if after_number and cut >= 0 and lead[:cut].strip() else lead


_FULL_STOP: Final = re.compile(r"[.!?]\s")


def _own_clause(trail: str, language: str) -> str:
    """The start of ``trail`` up to its first clause break: what is said of the number before it ("… er det nye.").
    A clause begun by "men" is said of what comes next ("X but call my mobile, Y")."""
    cut = _CLAUSE_END.search(trail)
    own = trail[: cut.start()] if cut is not None and cut.start() > 0 else ""
    breaks = language_pack(language).corrections.clause_breaks
    turn = _pattern(breaks).search(own) if breaks else None
    return own[: turn.start()] if turn is not None else own


def _trail(text: str, pool: Sequence[PhoneCandidate], c: PhoneCandidate) -> str | None:
    """The words after ``c`` up to the next number that starts after it; for the only number, the rest of the
    text (``None`` for the last of several)."""
    end = min((o.span[0] for o in pool if o.span[0] >= c.span[1]), default=None)
    if end is None:
        return text[c.span[1] :] if len(pool) == 1 else _sentence_of_last(text[c.span[1] :])
    return text[c.span[1] : end]


def _sentence_of_last(trail: str) -> str | None:
    """What the words after the last of several numbers say of it: the rest of its sentence when that says
    something ("… kan dere bare slette."), else ``None`` (a closing preference speaks of every number)."""
    end = _LAST_SENTENCE_END.search(trail)
    return trail[: end.start()] if end is not None else None


_LAST_SENTENCE_END: Final = re.compile(r"[.!?](?:\s|$)")


def _why(
    c: PhoneCandidate, i: int, best: int, text: str, pool: Sequence[PhoneCandidate], words: IntentWords
) -> LostBecause:
    lead, trail = _lead(text, pool, c), _trail(text, pool, c) or ""
    winner = pool[best]
    if c.span[1] <= winner.span[0] and _has(words.correction, text[c.span[1] : winner.span[0]]):
        return "retracted"
    if _has(words.against_next, lead) or _has(words.against_previous, trail):
        return "someone_else" if _has(_SOMEONE_ELSE, lead) else "old_number"
    return "not_preferred"


_ASIDE_SCORE: Final = 0.6
"""The score of a number joined across an aside: below a number read whole, strict or lenient."""
_HARD_BREAK: Final = re.compile(r"[.;:!?]")
_ASIDE_WORDS: Final = 4
"""Words an aside needs for a word that begins a hesitation ("vent") in it to be no cue."""


def _across_asides(text: str, language: str, make: MakeCandidate) -> list[PhoneCandidate]:
    """Two parts of a number with an aside between them ("nittito, hysj Emma, mamma snakker i telefonen, trettien,
    sekstiåtte, null fem"; "ni fem, jeg kjører nå, åtte åtte, …"): where no number was read, two neighbouring parts
    that together make a whole valid number are one, when the words between them are set off by commas on both
    sides, hold no cue (a correction, a negation, old or new) and no sentence break."""
    if text.count(",") < 2:
        return []  # an aside is set off by two commas
    lexicon = get_lexicon(language)
    if not may_hold_digits(text, lexicon, _WHOLE):
        return []  # the words cannot make a whole number's digits, however they are parted (a quick bound)
    weak = lexicon.weak
    # an article ("det kommer en tunnel") is no part of a number
    runs = [r for r in parse_digit_readings(text, language=language) if text[r.span[0] : r.span[1]].lower() not in weak]
    cues = _any_cue(language)
    hesitations = {w for phrase in language_pack(language).numbers.filler_phrases for w in phrase.split()}
    out: list[PhoneCandidate] = []
    for a, b in pairwise(runs):
        between = text[a.span[1] : b.span[0]].strip()
        if len(between) < 2 or between[0] != "," or between[-1] != ",":
            continue
        if _HARD_BREAK.search(between) or any(
            not (k.group(0).lower() in hesitations and len(between.split()) >= _ASIDE_WORDS)
            for k in cues.finditer(between)
        ):
            continue  # a cue, unless it begins a hesitation inside a longer aside ("vent, det kommer en tunnel")
        groups = (*a.best.group_digits, *b.best.group_digits)
        if len("".join(groups)) == _WHOLE:
            made = make("".join(groups), (a.span[0], b.span[1]), groups, _ASIDE_SCORE)
            if made is not None:
                out.append(made)
    return out


# -- corrections --------------------------------------------------------------------------------------------


def _corrections(
    text: str,
    found: Sequence[PhoneCandidate],
    words: IntentWords,
    *,
    language: str,
    make: MakeCandidate,
) -> list[PhoneCandidate]:
    """Numbers built by corrections in ``text`` (rule 1)."""
    negations = language_pack(language).corrections.negations
    cues = (*words.correction, *words.correction_or, *negations, *words.swap)
    if not _has(cues, text):
        return []
    out: list[PhoneCandidate] = []
    # a whole number, then a correction of one of its groups before the next whole number; of rival readings of
    # the same words, the best one is corrected
    corrected_spans: list[tuple[int, int]] = []
    for c in sorted(found, key=lambda c: -c.score):
        if any(c.span[0] < b and a < c.span[1] for a, b in corrected_spans):
            continue
        end = min((k.span[0] for k in found if k.span[0] >= c.span[1]), default=len(text))
        trail = _of_this_number(text[c.span[1] : end], words)  # not "…, det gamle med femtito på slutten …"
        # a swap said after a number that itself restates an earlier one tells what was put right, not what to do
        restated = any(k.span[1] <= c.span[0] for k in found)
        swapped = None if restated else _swapped(c.groups, trail, words, language)
        if swapped is not None:
            made = make(swapped, (c.span[0], c.span[1] + len(trail.rstrip())), _regroup(c.groups, swapped), c.score)
            if made is not None and made.e164 != c.e164:
                out.append(made)
                corrected_spans.append(c.span)
                continue
        cue = _cue(trail, words)
        if cue is None and _has(negations, trail):
            cue = 0  # "…, altså åttien, ikke åtti": a value said against another corrects without a cue word
        if cue is None:
            continue
        fixed = _correct_groups(c.groups, trail[cue:], language)
        if fixed is None and cue:
            fixed = _correct_groups(c.groups, trail, language)  # "Sekstifem på slutten, ikke sekstifire"
        if fixed is None and end < len(text) and _ends_with(negations, trail):
            # "…, ikke fire sju null null, fire sju null åtte": what looked like the next number is the value set
            # against a group and the new one
            trail = text[c.span[1] :]
            fixed = _correct_groups(c.groups, trail, language)
        if fixed is not None:
            made = make(fixed, (c.span[0], c.span[1] + len(trail.rstrip())), _regroup(c.groups, fixed), c.score)
            if made is not None and made.e164 != c.e164:
                out.append(made)
                corrected_spans.append(c.span)
    # parts of a number with a correction between them
    covered = [c.span for c in found]
    every_run = parse_digit_readings(text, language=language)
    # a run right after a negation begins with the value denied ("…, nei ikke tjuetre, trettitre, …"): a number read
    # from it is no number said, and the run may still correct the one before
    runs = [
        r
        for r in every_run
        if _ends_with(negations, text[: r.span[0]]) or not any(a <= r.span[0] and r.span[1] <= b for a, b in covered)
    ]
    # a run read on past a whole number into its correction ("…, altså sytti, ikke sytten") may hold a number too
    glued = [
        made
        for run in every_run
        if (made := _glued_correction(text, run, negations, language, make)) is not None
        and made.e164 not in {c.e164 for c in found}
    ]
    if glued:
        return [*out, *glued]
    out.extend(_joined_corrections(text, runs, words, make=make, negations=negations))
    known = {c.e164 for c in (*found, *out)}
    out.extend(c for c in _restated(text, every_run, cues, make) if c.e164 not in known)
    return out


def _restated(text: str, runs: Sequence[NumberRun], cues: tuple[str, ...], make: MakeCandidate) -> list[PhoneCandidate]:
    """A whole number said again at the end of a run after a correction (since the first run), the run beginning
    with the value put right ("ni ni to fem, nei ikke fem, fire, ni ni to fire sju sju en tre"; "… jo, trettito,
    nittifire trettito sekstien førtifem"): the run's last groups make eight digits that begin as the first number
    begun did."""
    if len(runs) < 2:
        return []
    first = runs[0].best.group_digits[0]
    out: list[PhoneCandidate] = []
    for run in runs[1:]:
        groups = run.best.groups
        if len(run.best.digits) <= _WHOLE or not _has(cues, text[runs[0].span[1] : run.span[0]]):
            continue
        size, k = 0, len(groups)
        while k > 0 and size < _WHOLE:
            k -= 1
            size += len(groups[k].digits)
        said = tuple(g.digits for g in groups[k:])
        if size == _WHOLE and k > 0 and "".join(said).startswith(first):
            made = make("".join(said), (groups[k].span[0], groups[-1].span[1]), said, 0.8)
            if made is not None:
                out.append(made)
    return out


_WHOLE: Final = 8
"""Digits of a whole number, for a correction said in the same breath after it."""


def _glued_correction(
    text: str, run: NumberRun, negations: tuple[str, ...], language: str, make: MakeCandidate
) -> PhoneCandidate | None:
    """A whole number whose correction runs on in the same breath ("ni sju tjuetre åtti femten, altså åttien, ikke
    åtti"): the first groups make a valid number, the value after them is set against another with a negation.
    The corrected number; or the number as said when the correction only confirms a group of it ("nitti …, altså
    nitti, ikke nitten")."""
    groups = run.best.groups
    size, k = 0, 0
    while k < len(groups) and size < _WHOLE:
        size += len(groups[k].digits)
        k += 1
    if size != _WHOLE or k == len(groups):
        return None
    said = tuple(g.digits for g in groups[:k])
    rest = text[groups[k].span[0] :]
    if not _has(negations, rest) or make("".join(said), (groups[0].span[0], groups[k - 1].span[1]), said, 0.8) is None:
        return None
    correction = parse_correction(rest, language=language)
    if correction is None:
        return None
    fixed = _correct_groups(said, rest, language)
    if fixed is None and correction.new in said:
        fixed = "".join(said)  # the value said again is the one already there
    if fixed is None:
        return None
    return make(fixed, (groups[0].span[0], len(text.rstrip())), _regroup(said, fixed), 0.8)


def _swapped(groups: tuple[str, ...], trail: str, words: IntentWords, language: str) -> str | None:
    """The digits of ``groups`` with the two groups ``trail`` says were said in the wrong order ("bytt om de to i
    midten", "… de to siste") put right: the values said after it take their places, else the two change places."""
    m = _pattern(words.swap).search(trail) if words.swap else None
    if m is None or len(groups) < 3:
        return None
    said = trail[m.end() :]
    middle = _pattern(words.middle).search(said) if words.middle and len(groups) == 4 else None
    if middle is not None:
        at, named = 1, middle
    else:
        positions = language_pack(language).corrections.positions
        ends = [(_pattern((w,)).search(said), i) for w, i in positions if i in (0, -1)]
        found = [(p, i) for p, i in ends if p is not None]
        if not found:
            return None
        named, index = found[0]
        at = 0 if index == 0 else len(groups) - 2
    pair = groups[at] + groups[at + 1]
    runs = parse_digit_readings(said[named.end() :], language=language)  # the values said after the two named
    values = "".join(r.best.digits for r in runs)
    if len(values) == len(pair):
        new = values
    elif not values:
        new = groups[at + 1] + groups[at]
    else:
        return None
    return "".join(groups[:at]) + new + "".join(groups[at + 2 :])


def _cue(text: str, words: IntentWords) -> int | None:
    """Where the correction's value starts in ``text`` (after its cue), or ``None`` when ``text`` has no cue."""
    m = _pattern(words.correction).search(text)
    if m is not None:
        return m.start()
    m = _pattern(words.correction_or).search(text) if words.correction_or else None
    if m is not None and _has(words.correction_postfix, text[m.end() :]):
        return m.end()
    return None


def _correct_groups(groups: tuple[str, ...], correction_text: str, language: str) -> str | None:
    """The digits of ``groups`` with the correction in ``correction_text`` applied, else ``None``."""
    correction = parse_correction(correction_text, language=language)
    if correction is None:
        return None
    if correction.old is None and correction.position is None:
        # a bare "nei, femtitre" right after the number: the caller corrects the group said last
        correction = Correction(new=correction.new, position=-1)
    applied = apply_correction(correction, groups)
    return applied[0] if applied is not None else None


def _regroup(groups: tuple[str, ...], digits: str) -> tuple[str, ...]:
    """``digits`` in the group sizes of ``groups`` where they still fit, else in pairs."""
    if sum(len(g) for g in groups) == len(digits):
        out, pos = [], 0
        for g in groups:
            out.append(digits[pos : pos + len(g)])
            pos += len(g)
        return tuple(out)
    return tuple(digits[k : k + 2] for k in range(0, len(digits), 2))


def _joined_corrections(
    text: str,
    runs: Sequence[NumberRun],
    words: IntentWords,
    *,
    make: MakeCandidate,
    negations: tuple[str, ...] = (),
) -> list[PhoneCandidate]:
    """Parts of a number where a cue between two parts replaces the last group(s) said before it."""
    out: list[PhoneCandidate] = []
    if len(runs) < 2:
        return out
    groups: list[str] = list(runs[0].best.group_digits)
    start = runs[0].span[0]
    corrected = False
    for k in range(1, len(runs)):
        prev, run = runs[k - 1], runs[k]
        between = text[prev.span[1] : run.span[0]]
        after = text[run.span[1] : runs[k + 1].span[0] if k + 1 < len(runs) else len(text)]
        nxt = list(run.best.group_digits)
        # "eller tjue mener jeg": the cue "or" is closed by "mener jeg" after the value
        cue = _cue(between, words) is not None or (
            _has(words.correction_or, between)
            and _pattern(words.correction_postfix).match(after.lstrip(" ,")) is not None
        )
        if cue and len(nxt) > 1 and groups[-1] == nxt[0] and _ends_with(negations, between):
            groups = [*groups[:-1], *nxt[1:]]  # "ni fire tre fem, nei, ikke fem, åtte, to to …": 5 becomes 8
        elif cue and len("".join((*groups, *nxt))) == _WHOLE and _only_apologies(between, words):
            # "nine eight, og så, sorry, seventy, fifteen, zero three": what goes on to make the whole number after
            # an apology for a pause adds to it, it replaces nothing
            groups = [*groups, *nxt]
        else:
            groups = _replace_tail(groups, nxt) if cue else [*groups, *nxt]
        corrected = corrected or cue
        digits = "".join(groups)
        if len(digits) == 8 and corrected:  # parts are joined only across a correction, never across other words
            made = make(digits, (start, run.span[1]), tuple(groups), 0.8)
            if made is not None:
                out.append(made)
        if len(digits) >= 8:
            groups, start, corrected = list(run.best.group_digits), run.span[0], False
    return out


def _only_apologies(between: str, words: IntentWords) -> bool:
    """Whether every correction word of ``between`` only excuses a pause ("…, og så, sorry, …"; not "nei")."""
    if not words.apologies:
        return False
    apologies = _pattern(words.apologies)
    said = [m.group(0) for m in _pattern(words.correction).finditer(between)]
    return bool(said) and all(apologies.fullmatch(w) for w in said) and not _has(words.correction_or, between)


def _ends_with(phrases: tuple[str, ...], text: str) -> bool:
    """Whether the last word(s) of ``text`` are one of ``phrases`` ("…, nei, ikke")."""
    return bool(phrases) and re.search(rf"{_pattern(phrases).pattern}[\s,]*$", text, re.IGNORECASE) is not None


def _replace_tail(groups: list[str], new: list[str]) -> list[str]:
    """``groups`` with its last group(s) replaced by ``new``: as many as make the whole 8 digits (one at least),
    else the last one."""
    for k in range(1, len(groups) + 1):
        if sum(len(g) for g in groups[:-k]) + sum(len(g) for g in new) == 8:
            return [*groups[:-k], *new]
        if sum(len(g) for g in groups[:-k]) + sum(len(g) for g in new) < 8:
            break
    return [*groups[:-1], *new]
