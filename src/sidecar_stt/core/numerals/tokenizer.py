"""Transcript text → number runs: maximal stretches of number words and printed digits.

A run ends at any word that is neither a number word, a filler nor a conjunction, and at hard punctuation
(``: / ? ! ;``). Commas, periods, brackets, dashes between digits and fillers stay inside a run as pauses.
A ``+`` or a plus word ("pluss", "landskode") starts a new run that carries a country code. Compound number
words ("nittito", "femogførti", "etthundratjugotre") are split into morphemes when, and only when, the
morphemes form exactly one group — so "Tito" or "tien" stay ordinary words. Text is NFC-normalised and
lower-cased; the lexicons carry "aa" spellings of "å" ("aatte").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from .grammar import JOINED, PAUSE, SPACE, Item, is_single_group, readings
from .lexicon import (
    KIND_AND,
    KIND_DIGITS,
    KIND_HUNDRED,
    KIND_MULTIPLIER,
    KIND_TEEN,
    KIND_TEN,
    KIND_THOUSAND,
    KIND_UNIT,
    Lexicon,
)

__all__ = [
    "MAX_RUN_ITEMS",
    "MAX_TEXT_CHARS",
    "RawRun",
    "forget_words",
    "may_hold_digits",
    "read_from",
    "tokenize",
]

_TOKEN: Final = re.compile(r"(\d+)|((?:[^\W\d_]|[\u0300-\u036f])+)|(\+)|([^\s\w])")
_PAUSE_PUNCT: Final = frozenset(",.()[]\"'«»“”‘’…*")
_HYPHENS: Final = frozenset("-‐‑‒–—")
_SEARCH_PAUSE_PUNCT: Final = frozenset(";?/")
"""Hard punctuation a lenient reading takes for a pause ("fire, fem, en, en; en, null, ni, sju"; a caller
checking each group: "Nittito? Tolv? …"; groups printed with slashes: "41/73/38/47")."""
_CONTEXT_WORDS: Final = 4
"""Words (and marks) before a run its context rules see: a label with what it is of and its verb ("Serienummeret
på ruteren er …"). A window of six lost numbers of the fourth and sixth corpora to labels said before them."""

MAX_TEXT_CHARS: Final = 2000
"""Characters of a transcript that are read: the last ones (a caller corrects themselves at the end). About two
minutes of continuous speech, far more than one caller turn; a longer text is a fault or an attack, and reading
it must not stall the call."""
MAX_WORD_CHARS: Final = 40
"""A longer written word is no number word (the longest compounds, "nittisjuhundreogtrettiåtte", are ~30)."""
MAX_RUN_ITEMS: Final = 24
"""Number items in one run; a longer run is cut (a phone number said digit by digit, with a country code and
repeats, is about 20)."""
MAX_BRIDGE_WORDS: Final = 5
"""Ordinary words in a row a lenient reading reads through inside a number."""
MAX_BRIDGE_WORD_CHARS: Final = 5
"""Longer words are never read through ("telefon", "mobilnummer" begin something else)."""
MAX_PRINTED_DIGITS: Final = 20
"""A longer printed digit string is no phone number (E.164 allows 15 digits)."""


@dataclass(slots=True)
class RawRun:
    """A run before segmentation."""

    items: list[Item]
    plus: bool
    start: int
    prev_words: tuple[str, ...]
    next_word: str | None = None


def _normalize_word(word: str) -> str:
    word = word.lower()
    if not word.isascii():
        word = unicodedata.normalize("NFC", word)
    return word


@lru_cache(maxsize=16384)
def _analyze(lexicon: Lexicon, word: str) -> tuple[tuple[int, int], ...] | None:
    """Morphemes of one written word, or ``None`` when it is no number word."""
    hit = lexicon.morphemes.get(word)
    if hit is not None:
        return (hit,)
    if not lexicon.compounds or len(word) < 4:
        return None
    parts = _split(lexicon, word)
    if parts is None:
        return None
    items = [Item(kind, value, 0, 0, JOINED if k else SPACE) for k, (kind, value) in enumerate(parts)]
    return parts if is_single_group(items) else None


GROUP_BREAK: Final = -1
"""A morpheme kind that marks where one group of a glued compound ends and the next begins."""
MIN_GLUED_CHARS: Final = 6
"""Shorter words are never read as several glued groups ("tien" is a word, not "10 1")."""


@lru_cache(maxsize=16384)
def _analyze_glued(lexicon: Lexicon, word: str) -> tuple[tuple[int, int], ...] | None:
    """Morphemes of a word an engine glued from several groups ("nittifireelleve" → 94 | 11), with
    :data:`GROUP_BREAK` between the groups; ``None`` unless the lexicon's morphemes cover the word (of
    :data:`MIN_GLUED_CHARS` letters at least: "tito" stays a name) and make two groups or more."""
    if len(word) < MIN_GLUED_CHARS:
        return None
    parts = _split(lexicon, word)
    if parts is None or len(parts) < 2:
        return None
    items = [Item(kind, value, 0, 0, SPACE) for kind, value in parts]
    best = readings(items, beam=1)
    if not best or len(best[0].groups) < 2 or best[0].cost:
        return None
    out: list[tuple[int, int]] = []
    for _, first, last, _ in best[0].groups:
        if out:
            out.append((GROUP_BREAK, 0))
        out.extend(parts[first:last])
    return tuple(out)


def _split(lexicon: Lexicon, word: str) -> tuple[tuple[int, int], ...] | None:
    """Fewest-morpheme segmentation of ``word`` covering it entirely."""
    n = len(word)
    best: list[tuple[tuple[int, int], ...] | None] = [None] * (n + 1)
    best[n] = ()
    table = lexicon.morphemes
    longest = lexicon.max_morpheme_len
    for i in range(n - 1, -1, -1):
        choice: tuple[tuple[int, int], ...] | None = None
        for j in range(i + 1, min(n, i + longest) + 1):
            rest = best[j]
            if rest is None:
                continue
            hit = table.get(word[i:j])
            if hit is not None and (choice is None or len(rest) + 1 < len(choice)):
                choice = (hit, *rest)
        best[i] = choice
    return best[0]


_NUMBER: Final = 0
_FILLER: Final = 1
_PLUS: Final = 2
_OTHER: Final = 3
_WordClass = tuple[int, str, tuple[tuple[int, int], ...], bool]


_CACHE_LIMIT: Final = 100_000
_class_cache: dict[str, dict[str, _WordClass]] = {}
"""What each written word is, per lexicon (bounded: emptied past :data:`_CACHE_LIMIT` words)."""
_bound_cache: dict[str, dict[str, int]] = {}
"""The digits each written word can add at most, per lexicon (:func:`may_hold_digits`; bounded the same way)."""


def forget_words() -> None:
    """Forget every word the reader has analysed (its caches are bounded, so this is for benchmarks that must start
    cold, never needed for correctness)."""
    _analyze.cache_clear()
    _analyze_glued.cache_clear()
    _class_cache.clear()
    _bound_cache.clear()


def _classify(lexicon: Lexicon, raw: str) -> _WordClass:
    """What a written word is for ``lexicon``: ``(class, normalised word, morphemes, weak)``."""
    w = _normalize_word(raw)
    if len(w) > MAX_WORD_CHARS:
        return _OTHER, w[:MAX_WORD_CHARS], (), False
    parts = lexicon.morphemes.get(w)
    analysis = (parts,) if parts is not None else _analyze(lexicon, w)
    if analysis is None and lexicon.bridge_stops:
        analysis = _analyze_glued(lexicon, w)
    if analysis is not None:
        return _NUMBER, w, analysis, w in lexicon.weak
    if w in lexicon.fillers or (lexicon.bridge_stops and _REPEATS.sub(r"\1", w) in lexicon.fillers):
        return _FILLER, w, (), False  # a lenient reading hears "ehh", "hmmm" as "eh", "hm"
    if w in lexicon.plus_words:
        return _PLUS, w, (), False
    return _OTHER, w, (), False


class _RunBuilder:
    """Walks the tokens of one text and cuts them into runs; one method per kind of token."""

    def __init__(self, lexicon: Lexicon, *, search: bool = False) -> None:
        self.lexicon = lexicon
        self.search = search
        self.runs: list[RawRun] = []
        self.words: list[str] = []  # recent non-number words, for context rules
        self.bridge: list[str] = []  # ordinary words read through inside the open run (lenient reading)
        self.last_morphemes: tuple[tuple[int, int], ...] = ()  # the last number word of the run, where it starts
        self.last_word_at = 0
        self.items: list[Item] = []
        self.plus = False
        self.run_start = 0
        self.pause = False  # a filler or a comma since the last number item
        self.hyphen_join = False  # "nitti-" directly before the next word
        self.prev_was_word_number = False
        cache = _class_cache.get(lexicon.code)
        if cache is None or len(cache) > _CACHE_LIMIT:
            cache = _class_cache[lexicon.code] = {}
        self.cache = cache

    def flush(self, next_word: str | None) -> None:
        """End the current run (``next_word`` is the word that ended it, for context rules)."""
        items = self.items
        while items and items[-1].kind in (KIND_AND, KIND_MULTIPLIER):
            items.pop()
        while items and items[0].kind == KIND_AND:
            items.pop(0)
        if self.bridge:
            next_word = self.bridge[0]  # the run ends where the words read through begin
        if items:
            self.runs.append(RawRun(items, self.plus, self.run_start, tuple(self.words[-_CONTEXT_WORDS:]), next_word))
            if self.search:
                self.words.clear()  # a lenient reading judges a run by the words since the run before it
        self.words.extend(self.bridge)
        self.bridge.clear()
        self.items = []
        self.plus = False
        self.last_morphemes = ()

    def _open(self, start: int) -> None:
        if len(self.items) >= MAX_RUN_ITEMS:
            self.flush(None)  # no phone number is this long: cut, so that a run's work stays bounded
        if not self.items and not self.plus:
            self.run_start = start

    def _reset(self) -> None:
        self.pause = self.hyphen_join = self.prev_was_word_number = False

    def word(self, raw: str, start: int, end: int, spaced: bool) -> None:
        info = self.cache.get(raw)
        if info is None:
            info = self.cache[raw] = _classify(self.lexicon, raw)
        cls, normalized, morphemes, weak = info
        if cls == _FILLER and self.search and self.items and normalized in self.lexicon.foreign_fillers:
            cls, morphemes = _NUMBER, (self.lexicon.foreign_fillers[normalized],)  # "ninety-three oh five"
        elif cls == _OTHER and self.search and normalized in self.lexicon.plural_digits and self._times():
            cls, morphemes = _NUMBER, ((KIND_UNIT, self.lexicon.plural_digits[normalized]),)  # "tre nuller": 000
        if cls == _NUMBER:
            if morphemes[0][0] == KIND_HUNDRED and self.items:
                self._digit_before_hundred()  # "9 hundre og 31": the printed digit counts the hundreds
            self._open(start)
            if self.search:
                self._restart(morphemes)
            if self.hyphen_join and not spaced:
                # "ninety-two", "nitti-to" are one word; "ni-to-tre" are digits in a row
                joins = self.items and self.items[-1].kind == KIND_TEN and morphemes[0][0] == KIND_UNIT
                gap = JOINED if joins else PAUSE
            else:
                gap = PAUSE if self.pause else SPACE
            self.last_morphemes, self.last_word_at = morphemes, len(self.items)
            for kind, value in morphemes:
                if kind == GROUP_BREAK:
                    gap = SPACE  # a compound of several groups glued by the engine ("nittifireelleve")
                    continue
                self.items.append(Item(kind, value, start, end, gap, "", weak))
                gap = JOINED
            self._reset()
            self.prev_was_word_number = True
            self.bridge.clear()
        elif cls == _FILLER:
            self._reset()
            self.pause = True
        elif cls == _PLUS:
            self.plus_sign(start)
        elif self.search and normalized in self.lexicon.times_words and self._times():
            pass
        elif self.search and self.items and self._bridge_ok(normalized):
            self.bridge.append(normalized)  # an ordinary word inside a number ("ja", "sånn"): read through
            self._reset()
            self.pause = True
        else:
            if self.items or self.plus:
                self.flush(normalized)
            self.words.append(normalized)
            self._reset()

    def _digit_before_hundred(self) -> None:
        """A single printed digit right before a hundred word becomes the unit that counts it."""
        last = self.items[-1]
        if last.kind == KIND_DIGITS and len(last.text) == 1:
            self.items[-1] = Item(KIND_UNIT, int(last.text), last.start, last.end, last.gap)

    def _times(self) -> bool:
        """ "tre ganger null": the count said last becomes a multiplier of the digit that follows ("000")."""
        items = self.items
        if not items or items[-1].kind != KIND_UNIT or self.last_word_at != len(items) - 1 or items[-1].value < 2:
            return False
        last = items[-1]
        items[-1] = Item(KIND_MULTIPLIER, last.value, last.start, last.end, last.gap)
        self._reset()
        return True

    def _restart(self, morphemes: tuple[tuple[int, int], ...]) -> None:
        """A number word whose morphemes begin with all those of the number word before it ("sytti … syttisju",
        "nitti nittitre") is a stutter: the cut-off first attempt is dropped. "seven seventy" and "fem femti" are
        two numbers (a unit, then a ten)."""
        last = self.last_morphemes
        if last and len(morphemes) > len(last) and morphemes[: len(last)] == last and not self.bridge:
            del self.items[self.last_word_at :]

    def _bridge_ok(self, word: str) -> bool:
        """Whether a lenient reading reads through ``word`` inside a number: a short word that is no cue, after two
        number words at least ("tjueto grader" is no number), while fewer than :data:`MAX_BRIDGE_WORDS` words have
        been read through in a row."""
        return (
            len(self.bridge) < MAX_BRIDGE_WORDS
            and len(word) <= MAX_BRIDGE_WORD_CHARS
            and word not in self.lexicon.bridge_stops
        )

    def digits(self, text: str, start: int, end: int) -> None:
        if len(text) > MAX_PRINTED_DIGITS:
            # no phone number is printed as one string this long: an ordinary word that ends the run
            if self.items or self.plus:
                self.flush(None)
            self._reset()
            return
        self._open(start)
        self.items.append(Item(KIND_DIGITS, 0, start, end, PAUSE if self.pause else SPACE, text))
        self._reset()

    def plus_sign(self, start: int) -> None:
        self.flush(None)
        self.plus, self.run_start = True, start
        self._reset()

    def punctuation(self, punct: str, spaced: bool) -> None:
        if punct in _HYPHENS:
            if self.prev_was_word_number and not spaced:
                self.hyphen_join = True
            else:
                self.pause = True
            self.prev_was_word_number = False
            return
        category = unicodedata.category(punct)
        if category[0] in "CM":
            return  # control, format and combining characters are invisible: they neither break nor pause
        if punct in _PAUSE_PUNCT or category[0] == "S" or (self.search and punct in _SEARCH_PAUSE_PUNCT):
            self.pause = True  # a comma, a bracket, an emoji or another symbol: a pause inside a run
            self.hyphen_join = self.prev_was_word_number = False
            return
        self.flush(punct)
        self.words.append(punct)
        self._reset()


_WORD_OR_DIGITS: Final = re.compile(r"\d+|[^\W\d_]+")
_DIGIT_BOUND: Final = {
    KIND_UNIT: 1, KIND_TEEN: 2, KIND_TEN: 2, KIND_HUNDRED: 2, KIND_THOUSAND: 3, KIND_AND: 0, GROUP_BREAK: 0,
}  # fmt: skip
"""Digits a morpheme can add at most (a multiplier adds its value: "trippel ni")."""
_TIMES_BOUND: Final = 9
"""Digits "ganger" can add at most ("ni ganger null")."""


def may_hold_digits(text: str, lexicon: Lexicon, at_least: int) -> bool:
    """Whether ``text`` can hold ``at_least`` digits: a quick upper bound (what the morphemes of every number word
    and the printed digits can make, each word looked up once) that spares tokenizing ordinary talk."""
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        return True  # decomposed letters: the words cannot be looked up one by one, so do not judge
    text = _join_elisions(text, lexicon)  # "nitt'n" is one number word
    bounds = _bound_cache.get(lexicon.code)
    if bounds is None or len(bounds) > _CACHE_LIMIT:
        bounds = _bound_cache[lexicon.code] = {}
    total = 0
    for word in _WORD_OR_DIGITS.findall(text, read_from(text)):
        bound = bounds.get(word)
        if bound is None:
            if word[0].isdigit():
                bound = len(word)
            else:
                cls, normalized, morphemes, _ = _classify(lexicon, word)
                if cls == _NUMBER:
                    bound = sum(_DIGIT_BOUND.get(kind, value) for kind, value in morphemes)
                elif normalized in lexicon.foreign_fillers:
                    bound = 1
                else:
                    counted = normalized in lexicon.times_words or normalized in lexicon.plural_digits
                    bound = _TIMES_BOUND if counted else 0
            bounds[word] = bound
        total += bound
        if total >= at_least:
            return True
    return False


def tokenize(text: str, lexicon: Lexicon, *, search: bool = False) -> list[RawRun]:
    """Split ``text`` into number runs (runs without a number are dropped).

    ``search`` reads leniently, with a search lexicon (:func:`~.language.get_search_lexicon`): ordinary short words
    inside a number are read through, a stutter's cut-off attempt is dropped, compounds glued from several groups
    are split, and ";" is a pause.

    Only the last :data:`MAX_TEXT_CHARS` characters are read (from a word boundary), and runs are cut at
    :data:`MAX_RUN_ITEMS` items, so the work is linear in the text and bounded for any input.
    """
    builder = _RunBuilder(lexicon, search=search)
    prev_end = -1
    text = _rewrite_hesitations_and_old_counting(text, lexicon)
    if "-" in text:
        text = _HYPHEN_RESTART.sub(lambda m: " " * len(m.group(0)), text)  # "Ni- nittifem": the cut-off start
    if search:
        text = _rewrite_cut_offs(text)
        text = _join_split_words(text, lexicon)
        text = _join_split_tens(text, lexicon)
        text = _PRINTED_SPLIT_TENS.sub(lambda m: f"{m.group(1)}{m.group(2)}  ", text)
        text = _join_elisions(text, lexicon)
    for m in _TOKEN.finditer(text, read_from(text)):
        group = m.lastindex
        start, end = m.span()
        spaced = start != prev_end
        prev_end = end
        if group == 2:
            builder.word(m.group(2), start, end, spaced)
        elif group == 1:
            builder.digits(m.group(1), start, end)
        elif group == 3:
            builder.plus_sign(start)
        else:
            builder.punctuation(m.group(4), spaced)
    builder.flush(None)
    return builder.runs


_HYPHENATED_OLD_COUNTING: Final = re.compile(r"(?<![\w-])([^\W\d_]+)-(og|å|and)-([^\W\d_]+)(?![\w-])", re.I)


_REPEATS: Final = re.compile(r"(.)\1+")
_CUT_OFF: Final = re.compile(r"(?<![\w-])\w{1,8}-(?=[\s,.…;]|$)")
"""A word broken off with a hyphen before a pause: "fj- fjorten", "fire-, førtiseks", "4-, 48"."""
_RESTARTED: Final = re.compile(r"(?<![\w-])(?:(\w{1,8})(?:\.{2,}|…|-)\s*(?=\1\w)|(\w{3})\w{0,6}(?:\.{2,}|…)\s*(?=\2))")
"""A start said again in full after a pause or a hyphen ("ni... nittisju", "6... 66", "n-ni"), or a word given up
after a pause for another of the same first letters ("åtte... åttisju", "tretten... trettifem")."""
_HYPHEN_RESTART: Final = re.compile(r"(?<![\w-])(\w{1,8})-(?=\s+\1\w)", re.IGNORECASE)
"""A start broken off with a hyphen and said again in full as the next word begins ("Ni- nittifem", "fj- fjorten"):
no reading takes the broken-off start for a number."""
_WORD_PAIR: Final = re.compile(r"(?<![\w-])([^\W\d_]{2,8}) (?=([^\W\d_]{2,8})(?![\w-]))")


def _rewrite_cut_offs(text: str) -> str:
    """A lenient reading blanks cut-off starts (keeping every offset): a word broken off with a hyphen before a
    pause, and a start said again in full right after a pause or hyphen."""
    text = _RESTARTED.sub(lambda m: " " * len(m.group(0)), text)
    return _CUT_OFF.sub(lambda m: " " * len(m.group(0)), text)


def _join_split_words(text: str, lexicon: Lexicon) -> str:
    """A lenient reading joins two words an engine split inside one number word ("før ti", "fjor ten", "sek sten")
    when the first is no number word and the two together are one; the space moves behind the joined word."""
    table = lexicon.morphemes
    if " " not in text:
        return text
    out: list[str] = []
    done = 0
    for m in _WORD_PAIR.finditer(text):
        first, second = m.group(1), m.group(2)
        if m.start() < done or first.lower() in table or (first + second).lower() not in table:
            continue
        out.append(text[done : m.start()])
        out.append(f"{first}{second} ")
        done = m.end() + len(second)
    out.append(text[done:])
    return "".join(out)


_TENS_FROM_UNIT: Final = range(3, 10)
"""Units an engine splits from their tens word ("fem ti" for femti); "en ti", "to ti" are left as said."""


@lru_cache(maxsize=16)
def _split_tens(lexicon: Lexicon) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """A pattern of a unit of the call's language followed by its word for ten, and for each unit the shortest tens
    word of its value times ten; ``None`` when the language has no such words."""
    own = {w: m for w, m in lexicon.morphemes.items() if w not in lexicon.foreign}
    tens = sorted((w for w, m in own.items() if m == (KIND_TEEN, 10)), key=len)
    joined: dict[str, str] = {}
    for unit, (kind, value) in own.items():
        if kind == KIND_UNIT and value in _TENS_FROM_UNIT and unit not in lexicon.weak:
            words = [w for w, m in own.items() if m == (KIND_TEN, value * 10)]
            if words:
                joined[unit] = min(words, key=len)
    if not tens or not joined:
        return None
    units = "|".join(re.escape(u) for u in sorted(joined, key=len, reverse=True))
    ten = "|".join(re.escape(t) for t in tens)
    return re.compile(rf"(?<![\w-])({units}) (?:{ten})(?![\w-])", re.IGNORECASE), joined


_PRINTED_SPLIT_TENS: Final = re.compile(r"(?<![\w.,:])([2-9])0 ([1-9])(?![\w.:])")
"""A tens word and its unit an engine printed apart ("90 3" for nittitre, "40 8, 20 2"): a lenient reading joins
them, keeping every offset ("93  ")."""


_ELIDED: Final = re.compile(r"([^\W\d_]+)['’]([^\W\d_]+)")


def _join_elisions(text: str, lexicon: Lexicon) -> str:
    """A number word an engine printed with an apostrophe for a dropped vowel ("nitt'n", "sytt'n") is read as the
    word without it, keeping every offset ("nittn "); other words with an apostrophe ("don't") stay as written."""
    if "'" not in text and "’" not in text:
        return text

    def join(m: re.Match[str]) -> str:
        word = m.group(1) + m.group(2)
        return word + " " if word.lower() in lexicon.morphemes else m.group(0)

    return _ELIDED.sub(join, text)


_LAST_WORD: Final = re.compile(r"([^\W\d_]+)\s*$")


def _join_split_tens(text: str, lexicon: Lexicon) -> str:
    """A lenient reading joins a unit and the word for ten an engine split from one tens word ("fem ti" → femti,
    "ni ti tre" → nitti tre, "åtte ti" → åtti), keeping every offset (the tens word is padded with spaces) — unless
    the unit ends a pair with the tens word before it ("tjue ni ti" is 29 10)."""
    found = _split_tens(lexicon)
    if found is None:
        return text
    pattern, joined = found

    def join(m: re.Match[str]) -> str:
        before = _LAST_WORD.search(text, max(0, m.start() - MAX_WORD_CHARS), m.start())
        if before is not None and lexicon.morphemes.get(before.group(1).lower(), (None,))[0] == KIND_TEN:
            return m.group(0)
        word = joined[m.group(1).lower()]
        return word + " " * (len(m.group(0)) - len(word)) if len(word) <= len(m.group(0)) else m.group(0)

    return pattern.sub(join, text)


def _rewrite_hesitations_and_old_counting(text: str, lexicon: Lexicon) -> str:
    """Two rewrites that keep every offset: a hesitation of several words ("la meg se") becomes a comma and
    spaces (a pause), and hyphenated old counting ("tre-og-nitti") the one word it stands for ("treognitti")
    followed by the two spaces the hyphens took."""
    if lexicon.filler_phrase is not None:
        text = lexicon.filler_phrase.sub(lambda m: "," + " " * (len(m.group(0)) - 1), text)
    if lexicon.compounds and "-" in text:
        text = _HYPHENATED_OLD_COUNTING.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}  ", text)
    return text


def read_from(text: str) -> int:
    """Where reading starts: the first word boundary within the last :data:`MAX_TEXT_CHARS` characters."""
    if len(text) <= MAX_TEXT_CHARS:
        return 0
    start = len(text) - MAX_TEXT_CHARS
    space = text.find(" ", start, start + MAX_WORD_CHARS)
    return space + 1 if space >= 0 else start
