"""Fusion of phone-number evidence: every source of one caller utterance votes for the number it heard.

A source is a sidecar engine's n-best list (``"azure"``, ``"whisper"``), the realtime model's own transcript,
the number the realtime model passed as a tool argument, or the digits the caller typed on the keypad. Each
alternative of a source is parsed with :func:`~sidecar_stt.core.phone.extract_phone_numbers`; the source's vote
is spread over the numbers its alternatives contain, and the votes of all sources are summed per number.

Vote of one source ``e`` with alternatives ``a_0, a_1, …`` (best first)
    - ``w_i = rank_decay ** i * conf(a_i)``: the rank-discounted confidence of alternative ``i``
      (``conf`` is the engine's confidence clipped to ``[min_confidence, 1]``, ``unknown_confidence`` when the
      engine gives none);
    - ``p_e(n) = Σ_i w_i · s_i(n) / Σ_i w_i``: the share of the source's n-best mass on number ``n``
      (``s_i(n)`` is the parser's score of ``n`` in ``a_i``);
    - ``support_e(n) = weight(e) · conf(a_0) · p_e(n)``: the source's kind weight (times
      :attr:`Evidence.weight`) times how sure it was.

Score of a number ``n``: ``S(n) / (Σ_m S(m) + doubt)`` with ``S(n) = Σ_e support_e(n)``. It approaches 1 only
when several confident sources agree; rival numbers split it. Per-digit confidence is a ROVER-like vote: every
number heard is aligned to the candidate (edit-distance alignment) and its support goes to the positions where
it agrees; a group's confidence is its weakest digit, which singles out the pair to stress in the read-back.
Candidates are ranked by their *consensus*, the mean digit confidence (minimum expected digit errors, as in
ROVER/MBR decoding): an engine whose n-best hypotheses differ in one digit each still backs the digits they
share, instead of splitting its vote across near-identical numbers.

Readings the caller rejected (E.164 or national digits) are never candidates and get no score, but they still
vote on digits: a rejected "92 34 56 79" is evidence for every digit it shares with the truth, so the
candidate one digit away from it ranks up.

Keypad digits weigh 20 times a sidecar engine: typed digits are not a hearing, so they outvote every ear.
The tool argument is a weak prior: its weight (0.25) is below the support of any sidecar engine that is at
least 25 % sure, so it can break a tie but never outvote a confident engine. Results are deterministic: ties
break on the score, the number of sources, then the E.164 string.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from .alignment import align
from .readback import pair_groups
from .reader import TextReader
from .segment import Alternative

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAX_NUMBERS_PER_TEXT",
    "Evidence",
    "EvidenceKind",
    "FusedCandidate",
    "FusionWeights",
    "SourceSupport",
    "fuse_phone_evidence",
    "join_evidence",
    "rank_readings",
]

EvidenceKind = Literal["sidecar", "realtime_transcript", "tool_argument", "keypad"]


MAX_NUMBERS_PER_TEXT: Final = 4
"""Numbers of one hypothesis that vote (the parser's best, the intended number first): a caller says one or two,
and a hostile text with dozens must not make the digit vote quadratic."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one source heard in one caller utterance, best hypothesis first.

    ``source`` names the source (``"azure"``, ``"whisper"``, ``"realtime"``, ``"tool_argument"``); pass one
    :class:`Evidence` per source and utterance. For ``kind="tool_argument"`` the alternative's text is the
    number the model passed (``"92345678"``, ``"+47 92 34 56 78"``).
    """

    source: str
    kind: EvidenceKind
    alternatives: tuple[Alternative, ...]
    weight: float = 1.0
    """Multiplies the source's support, e.g. to discount an earlier utterance of the same number."""


@dataclass(frozen=True)
class FusionWeights:
    """How much each kind of evidence counts. Defaults are :data:`DEFAULT_WEIGHTS`."""

    sidecar: float = 1.0
    """Weight of a sidecar engine (the accurate ear, tuned for the caller's language)."""
    realtime_transcript: float = 0.5
    """Weight of the realtime model's own input transcription: an independent ASR, weaker on Norwegian numbers."""
    tool_argument: float = 0.25
    """Weight of the number the model passed as a tool argument: the biased source, a weak prior. Must stay
    below ``sidecar`` so that one sidecar engine at least ``tool_argument / sidecar`` sure outvotes it."""
    keypad: float = 20.0
    """Weight of digits the caller typed on the keypad: what the caller typed is not a hearing, it outweighs
    every ear together. Must stay above ``sidecar``."""
    source_weights: Mapping[str, float] = field(default_factory=dict, hash=False)
    """Per-source overrides of the kind weight (``{"whisper": 0.8}``), e.g. from a bake-off."""
    rank_decay: float = 0.5
    """Discount per n-best rank: alternative ``i`` counts ``rank_decay ** i`` times its confidence."""
    unknown_confidence: float = 0.7
    """Confidence assumed when a source gives none (realtime transcripts, tool arguments, some engines)."""
    min_confidence: float = 0.05
    """Floor of any confidence, so that a zero never erases a source's n-best."""
    doubt: float = 0.5
    """Mass added to the score's denominator: a lone source never scores near 1 (about one half-sure engine)."""
    max_alternatives: int = 5
    """N-best entries read per source."""

    def __post_init__(self) -> None:
        if not 0.0 < self.rank_decay <= 1.0:
            raise ValueError("rank_decay must be in (0, 1]")
        if self.tool_argument >= self.sidecar:
            raise ValueError("the tool argument must weigh less than a sidecar engine")
        if self.keypad <= self.sidecar:
            raise ValueError("the keypad must weigh more than a sidecar engine")
        if self.doubt < 0 or self.max_alternatives < 1:
            raise ValueError("doubt must be >= 0 and max_alternatives >= 1")

    def kind_weight(self, source: str, kind: EvidenceKind) -> float:
        """The weight of ``source``: its override if any, else the weight of its kind."""
        if source in self.source_weights:
            return float(self.source_weights[source])
        if kind == "sidecar":
            return self.sidecar
        if kind == "realtime_transcript":
            return self.realtime_transcript
        if kind == "keypad":
            return self.keypad
        return self.tool_argument

    def confidence(self, value: float | None) -> float:
        """``value`` clipped to ``[min_confidence, 1]``; ``unknown_confidence`` when ``None``."""
        if value is None:
            return self.unknown_confidence
        return min(1.0, max(self.min_confidence, float(value)))


DEFAULT_WEIGHTS: Final = FusionWeights()


@dataclass(frozen=True, slots=True)
class SourceSupport:
    """How one source supports a fused number."""

    source: str
    kind: EvidenceKind
    support: float
    """``support_e(n)``, see the module docstring."""
    rank: int
    """The best n-best rank (0 = top) of an alternative of the source that holds the number."""


@dataclass(frozen=True, slots=True)
class FusedCandidate:
    """A phone number with the combined support of every source of an utterance."""

    e164: str
    digits: str
    """National significant number, ``"92345678"``."""
    region: str
    score: float
    """0..1, see the module docstring."""
    sources: tuple[str, ...]
    """Sources that support this reading, strongest first."""
    groups: tuple[str, ...]
    """The digits in read-back pairs (:func:`~sidecar_stt.core.readback.pair_groups`): ``("92", "34", "56", "78")``."""
    group_confidence: tuple[float, ...]
    """One per entry of :attr:`groups`: its weakest digit's confidence."""
    digit_confidence: tuple[float, ...]
    """One per digit of :attr:`digits`: the share of all support that agrees on that digit."""
    said_groups: tuple[str, ...]
    """The groups as the best-supporting source said them (``("9", "2", …)`` when read digit by digit)."""
    support: tuple[SourceSupport, ...]

    @property
    def consensus(self) -> float:
        """The mean of :attr:`digit_confidence`: the expected share of digits right (the ranking key)."""
        return sum(self.digit_confidence) / len(self.digit_confidence) if self.digit_confidence else 0.0

    @property
    def typed(self) -> bool:
        """Whether the caller typed this reading on the keypad."""
        return any(s.kind == "keypad" for s in self.support)

    @property
    def heard_by_sidecar(self) -> bool:
        """Whether a sidecar engine heard this reading in the caller's words."""
        return any(s.kind == "sidecar" for s in self.support)

    @property
    def weakest_group(self) -> int:
        """Index of the group with the lowest confidence (the first one on ties)."""
        return min(range(len(self.group_confidence)), key=lambda i: (self.group_confidence[i], i))


@dataclass(slots=True)
class _SourceVote:
    """One source's vote for one number."""

    support: float
    rank: int
    """The best n-best rank of an alternative that holds the number."""
    digits: str
    region: str
    said_groups: tuple[str, ...]
    """The groups as said in the alternative that counts most for the number."""
    said_weight: float
    """How much that alternative counts (rank weight × parser score)."""


@dataclass(slots=True)
class _Tally:
    e164: str
    digits: str
    region: str
    total: float = 0.0
    said_groups: tuple[str, ...] = ()
    said_weight: float = -1.0
    by_source: dict[tuple[int, str], tuple[float, int]] = field(default_factory=dict)


def _source_vote(ev: Evidence, *, reader: TextReader, weights: FusionWeights) -> dict[str, _SourceVote]:
    """``e164 → vote`` of one source: its n-best mass spread over the numbers its alternatives hold."""
    alts = ev.alternatives[: weights.max_alternatives]
    if not alts:
        return {}
    mass = ev.weight * weights.kind_weight(ev.source, ev.kind) * weights.confidence(alts[0].confidence)
    if mass <= 0:
        return {}
    rank_weights = [weights.rank_decay**i * weights.confidence(a.confidence) for i, a in enumerate(alts)]
    denominator = sum(rank_weights)
    found: dict[str, _SourceVote] = {}
    for rank, (alt, w) in enumerate(zip(alts, rank_weights, strict=True)):
        if not alt.text.strip():
            continue
        candidates = reader.phones(alt.text)[:MAX_NUMBERS_PER_TEXT]
        norm = max(1.0, sum(c.score for c in candidates))
        for c in candidates:
            share = mass * w * c.score / norm / denominator
            vote = found.get(c.e164)
            if vote is None:
                found[c.e164] = _SourceVote(share, rank, c.digits, c.region, c.groups, w * c.score)
                continue
            vote.support += share
            if w * c.score > vote.said_weight:
                vote.said_groups, vote.said_weight = c.groups, w * c.score
    return found


def _tally_votes(evidence: Sequence[Evidence], *, reader: TextReader, weights: FusionWeights) -> dict[str, _Tally]:
    """Every number any source heard, with the support of each source."""
    tallies: dict[str, _Tally] = {}
    for index, ev in enumerate(evidence):
        for e164, vote in _source_vote(ev, reader=reader, weights=weights).items():
            tally = tallies.get(e164)
            if tally is None:
                tally = tallies[e164] = _Tally(e164, vote.digits, vote.region)
            tally.total += vote.support
            tally.by_source[(index, ev.source)] = (vote.support, vote.rank)
            weighted_said = vote.said_weight * vote.support
            if weighted_said > tally.said_weight:
                tally.said_groups, tally.said_weight = vote.said_groups, weighted_said
    return tallies


def _source_support(tally: _Tally, kinds: Mapping[tuple[int, str], EvidenceKind]) -> tuple[SourceSupport, ...]:
    """The support of each source for ``tally``'s number, strongest first (a source's utterances summed)."""
    per_source: dict[str, tuple[float, int, EvidenceKind]] = {}
    for key, (support, rank) in tally.by_source.items():
        name = key[1]
        old = per_source.get(name)
        if old is None:
            per_source[name] = (support, rank, kinds[key])
        else:
            per_source[name] = (old[0] + support, min(old[1], rank), old[2])
    ordered = sorted(per_source.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return tuple(
        SourceSupport(source=name, kind=kind, support=round(s, 6), rank=rank) for name, (s, rank, kind) in ordered
    )


def fuse_phone_evidence(
    evidence: Sequence[Evidence],
    *,
    language: str = "nb",
    region: str = "NO",
    rejected: Collection[str] = (),
    weights: FusionWeights = DEFAULT_WEIGHTS,
    reader: TextReader | None = None,
) -> list[FusedCandidate]:
    """Every phone number the sources of one utterance heard, best first (empty when none is usable).

    ``rejected`` holds readings the caller refused (E.164 or national digits); they are never returned.
    ``language`` and ``region`` are passed to :func:`~sidecar_stt.core.phone.extract_phone_numbers`; a
    ``reader`` (a :class:`~sidecar_stt.core.reader.TextReader` in that language and region) parses each text
    once across several calls of one step.
    """
    reader = reader or TextReader(language=language, region=region)
    voters = _tally_votes(evidence, reader=reader, weights=weights)
    rejected_set = frozenset(rejected)
    tallies = [t for k, t in voters.items() if k not in rejected_set and t.digits not in rejected_set]
    if not tallies:
        return []
    denominator = sum(t.total for t in tallies) + weights.doubt
    vote_denominator = sum(t.total for t in voters.values()) + weights.doubt
    kinds = {(i, ev.source): ev.kind for i, ev in enumerate(evidence)}
    out: list[FusedCandidate] = []
    for tally in tallies:
        digit_conf = _digit_confidence(tally, voters, vote_denominator)
        groups = pair_groups(tally.digits)
        starts = [sum(len(g) for g in groups[:i]) for i in range(len(groups))]
        out.append(
            FusedCandidate(
                e164=tally.e164,
                digits=tally.digits,
                region=tally.region,
                score=round(tally.total / denominator, 6),
                sources=tuple(s.source for s in _source_support(tally, kinds)),
                groups=groups,
                group_confidence=tuple(
                    round(min(digit_conf[start : start + len(g)]), 6) for start, g in zip(starts, groups, strict=True)
                ),
                digit_confidence=tuple(round(c, 6) for c in digit_conf),
                said_groups=tally.said_groups,
                support=_source_support(tally, kinds),
            )
        )
    out.sort(key=lambda c: (-c.consensus, -c.score, -len(c.sources), c.e164))
    return out


def _digit_confidence(winner: _Tally, tallies: Mapping[str, _Tally], denominator: float) -> list[float]:
    """ROVER-like vote: the support of every number whose aligned digit equals the winner's, per position."""
    reference = winner.e164.lstrip("+")
    offset = len(reference) - len(winner.digits)
    agree = [0.0] * len(reference)
    for tally in tallies.values():
        if tally is winner:
            aligned: tuple[str | None, ...] = tuple(reference)
        else:
            aligned = align(reference, tally.e164.lstrip("+"))
        for k, digit in enumerate(aligned):
            if digit == reference[k]:
                agree[k] += tally.total
    return [a / denominator for a in agree[offset:]]


def _combine(a: float | None, b: float | None) -> float | None:
    """Product of two confidences; ``None`` only when neither is known."""
    if a is None:
        return b
    return a if b is None else a * b


def join_evidence(
    pieces: Sequence[Sequence[Evidence]], *, weights: FusionWeights = DEFAULT_WEIGHTS, per_piece: int = 3
) -> list[Evidence]:
    """Evidence of a number said over several utterances ("nittito trettifire" … "femtiseks syttiåtte").

    One evidence per source heard in every piece: its top ``per_piece`` n-best texts of each piece joined in
    order, ranked by summed rank, with the product of the confidences (``None`` when no piece had one); a
    beam keeps the best joins, so a turn of many segments costs linear time.
    Tool arguments of the last piece are kept as they are; sources missing from a piece are left out.
    """
    if not pieces:
        return []
    names = [{e.source for e in piece if e.kind != "tool_argument"} for piece in pieces]
    common = set.intersection(*names)
    out: list[Evidence] = []
    for e in pieces[-1]:
        if e.kind == "tool_argument":
            out.append(e)
            continue
        if e.source not in common:
            continue
        lists = [next(x for x in piece if x.source == e.source).alternatives[:per_piece] for piece in pieces]
        if any(not alts for alts in lists):
            continue
        # a beam over the pieces, in order: the best joins so far, each extended by every alternative of the
        # next piece (linear in the number of pieces, however long the turn)
        beam: list[tuple[int, float | None, str]] = [(0, None, "")]
        for alts in lists:
            grown = [
                (
                    rank + i,
                    _combine(conf, weights.confidence(a.confidence) if a.confidence is not None else None),
                    f"{text} {a.text}".strip(),
                )
                for rank, conf, text in beam
                for i, a in enumerate(alts)
            ]
            grown.sort(key=lambda x: (x[0], -(x[1] or 0.0)))
            beam = grown[: max(weights.max_alternatives, per_piece)]
        combos = [(rank, conf, Alternative(text, conf)) for rank, conf, text in beam]
        out.append(Evidence(e.source, e.kind, tuple(c[2] for c in combos[: weights.max_alternatives])))
    return out


def rank_readings(
    latest: Sequence[Evidence],
    earlier: Sequence[Sequence[Evidence]],
    *,
    fuse: Callable[[Sequence[Evidence]], list[FusedCandidate]],
    history_decay: float,
) -> list[FusedCandidate]:
    """The readings of the ``latest`` utterance, ranked with the help of the ``earlier`` ones.

    An utterance ``age`` steps back weighs ``history_decay ** age``. Only readings of the latest utterance are
    returned: earlier utterances vote, they never propose.
    """
    current = fuse(latest)
    if not current or not earlier or history_decay <= 0:
        return current
    older = [
        replace(e, weight=e.weight * history_decay**age)
        for age, piece in enumerate(reversed(earlier), start=1)
        for e in piece
    ]
    allowed = {c.e164 for c in current}
    return [c for c in fuse([*latest, *older]) if c.e164 in allowed] or current
