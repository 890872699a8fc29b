"""``CallView``: what the timeline page of one stored call shows, as plain data (no HTML).

:func:`build_call_view` reads a :class:`~sidecar_stt.calls.store.StoredCall` (its record and post-call runs) and
lays it out per caller turn: the realtime model's transcript next to each sidecar engine's n-best, the numbers
each source yields (right or wrong against the confirmed number), the agent's lines, the tool calls with their
arguments and returned text, and the capture and engine events as marks on the call's clock. Sidecar transcripts
that fall in no turn (speech the realtime model did not report) are kept apart.

With ``redact=True`` every transcript, number, tool argument, tool output and error text is replaced by a mask
while it is built, so nothing rendered from the view can leak them; times, confidences, verdicts and the shape of
each number (its read-back pairs, and which of them differ) stay.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, cast, get_args

from ..core.ledger import UserTurn
from ..core.phone import extract_phone_numbers
from ..core.readback import pair_groups
from ..core.segment import Segment
from ..recording.record import CallRecord, segment_from_json
from .reconciliation import Reconciliation, Verdict, differing_groups
from .store import ReprocessRun, StoredCall

__all__ = [
    "HIDDEN_NUMBER",
    "HIDDEN_TEXT",
    "CallView",
    "Mark",
    "NumberView",
    "PostCallView",
    "SegmentView",
    "SourceView",
    "ToolCallView",
    "TurnView",
    "build_call_view",
]

HIDDEN_TEXT: Final = "[hidden]"
HIDDEN_NUMBER: Final = "[number hidden]"
_HIDDEN_DIGIT: Final = "•"
_FREE_TEXT_FACTS: Final = frozenset({"error"})
"""Event fields that hold free text (an engine's or a run's error message can quote what was heard)."""

Correctness = Literal["right", "wrong", "unknown"]
MarkKind = Literal[
    "proposed", "rejected", "confirmed", "failed", "refused", "engine_failed", "frames_dropped", "tool", "tool_error"
]

_CAPTURE_MARKS: Final[Mapping[str, MarkKind]] = {
    "phone_number_proposed": "proposed",
    "phone_number_rejected": "rejected",
    "phone_number_confirmed": "confirmed",
    "phone_number_capture_failed": "failed",
    "capture_step_refused": "refused",
    "engine_failed": "engine_failed",
    "frames_dropped": "frames_dropped",
}


@dataclass(frozen=True, slots=True)
class NumberView:
    """A number a source yields: shown as its read-back pairs; ``differing`` are the pairs (0-based) that differ
    from the confirmed number when ``correct`` is ``wrong``."""

    text: str
    groups: tuple[str, ...]
    correct: Correctness
    differing: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SegmentView:
    """One final transcript: its n-best as ``(text, confidence, numbers)``."""

    source: str
    start_s: float
    end_s: float
    nbest: tuple[tuple[str, float | None, tuple[NumberView, ...]], ...]


@dataclass(frozen=True, slots=True)
class SourceView:
    """What one source heard in a turn: the realtime model's transcript or one engine's finals, and the numbers
    its best reading of the turn yields."""

    source: str
    kind: Literal["realtime", "engine"]
    segments: tuple[SegmentView, ...]
    numbers: tuple[NumberView, ...]

    @property
    def heard(self) -> bool:
        return bool(self.segments)


@dataclass(frozen=True, slots=True)
class ToolCallView:
    name: str
    arguments: str
    output: str
    at_s: float
    is_error: bool


@dataclass(frozen=True, slots=True)
class Mark:
    """An event on the call's clock: a proposal, rejection, confirmation, failure, refused step, engine failure,
    dropped frames or a tool call."""

    kind: MarkKind
    at_s: float
    label: str
    detail: str
    """The number, read-back or tool arguments it carries (masked on a redacted view)."""
    facts: str = ""
    """What else it says (attempt, rule, reason, sources): no personal data."""


@dataclass(frozen=True, slots=True)
class TurnView:
    index: int
    turn_id: str
    start_s: float
    end_s: float
    owned: tuple[float, float]
    """The audio the turn owns (from the end of the previous turn): what a click on it plays."""
    sources: tuple[SourceView, ...]
    """The realtime model first, then each engine of the call."""
    agent_lines: tuple[str, ...]
    tool_calls: tuple[ToolCallView, ...]
    marks: tuple[Mark, ...]


@dataclass(frozen=True, slots=True)
class PostCallView:
    """One post-call run and its reconciliation with the live capture."""

    engine_spec: str
    mode: str
    status: str
    verdict: str | None
    reason: str | None
    live: NumberView | None
    found: NumberView | None
    numbers: tuple[NumberView, ...]
    segments: tuple[SegmentView, ...]
    error: str | None
    audio_sent_s: float | None = None
    """Audio the run sent to its engine (what a cloud engine bills)."""
    transcript_s: float | None = None
    """Seconds of transcript the run stored."""


@dataclass(frozen=True, slots=True)
class CallView:
    call_id: str
    started_at: float
    audio_s: float
    engines: tuple[str, ...]
    complete: bool
    redacted: bool
    live_outcome: str
    confirmed: NumberView | None
    needs_review: bool
    review_reason: str | None
    greeting: tuple[str, ...]
    """What the agent said before the caller's first turn."""
    turns: tuple[TurnView, ...]
    unheard: tuple[SegmentView, ...]
    """Sidecar finals in no caller turn: speech the realtime model did not report."""
    marks: tuple[Mark, ...]
    """Every mark of the call, turns' and others', in time order."""
    post_call: tuple[PostCallView, ...]
    costs: dict[str, dict[str, float]] | None = None
    """Live engine → ``audio_sent_s`` and ``transcript_s`` (``None``: the call did not end normally)."""


class _Builder:
    def __init__(self, stored: StoredCall, *, redact: bool) -> None:
        self.record: CallRecord = stored.record
        self.stored = stored
        self.redact = redact
        self.confirmed_e164 = self.record.confirmed_e164

    # -- masking ------------------------------------------------------------------------------------------

    def text(self, value: str) -> str:
        return HIDDEN_TEXT if self.redact and value.strip() else value

    def number(self, e164: str) -> NumberView:
        digits = _national(e164)
        groups = pair_groups(digits)
        if self.confirmed_e164 is None:
            correct: Correctness = "unknown"
            differing: tuple[int, ...] = ()
        elif e164 == self.confirmed_e164:
            correct, differing = "right", ()
        else:
            correct = "wrong"
            # the pairs of this reading that differ from the confirmed number, in this reading's own pairs
            differing = differing_groups(digits, _national(self.confirmed_e164))
        if self.redact:
            return NumberView(HIDDEN_NUMBER, tuple(_HIDDEN_DIGIT * len(g) for g in groups), correct, differing)
        return NumberView(e164, groups, correct, differing)

    def numbers_in(self, text: str) -> tuple[NumberView, ...]:
        if not text.strip():
            return ()
        try:
            found = extract_phone_numbers(text, language=self.record.language, region=self.record.region)
        except ValueError:
            return ()
        return tuple(self.number(c.e164) for c in found)

    def segment(self, segment: Segment) -> SegmentView:
        nbest = tuple((self.text(a.text), a.confidence, self.numbers_in(a.text)) for a in segment.alternatives)
        return SegmentView(segment.source, segment.start_s, segment.end_s, nbest)

    # -- marks --------------------------------------------------------------------------------------------

    def event_mark(self, event: Mapping[str, Any]) -> Mark | None:
        kind = _CAPTURE_MARKS.get(str(event.get("type")))
        if kind is None:
            return None
        at_s = float(event.get("at_s") or 0.0)
        label = kind.replace("_", " ")
        details: list[str] = []
        if event.get("e164"):
            details.append(self.number(str(event["e164"])).text)
        if event.get("read_back"):
            details.append(f"read back: {self.text(str(event['read_back']))}")
        facts = [
            f"{key}: {self.text(str(event[key])) if key in _FREE_TEXT_FACTS else event[key]}"
            for key in ("attempt", "rule", "reason", "source", "error", "count", "duration_s")
            if event.get(key) not in (None, "", ())
        ]
        if event.get("sources"):
            facts.append("sources: " + ", ".join(str(s) for s in event["sources"]))
        return Mark(kind, at_s, label, "; ".join(details), "; ".join(facts))

    def tool_call(self, call: Any) -> ToolCallView:
        arguments = {key: self.text(str(value)) for key, value in call.arguments.items()} if self.redact else None
        return ToolCallView(
            name=call.name,
            arguments=json.dumps(arguments if arguments is not None else call.arguments, ensure_ascii=False),
            output=self.text(call.output),
            at_s=call.at_s,
            is_error=call.is_error,
        )

    # -- the call -----------------------------------------------------------------------------------------

    def build(self) -> CallView:
        record = self.record
        turns = record.turns
        events = [m for e in (*record.capture_events, *record.engine_events) if (m := self.event_mark(e)) is not None]
        tools = [self.tool_call(c) for c in record.tool_calls]
        tool_marks = [Mark("tool_error" if t.is_error else "tool", t.at_s, t.name, t.arguments) for t in tools]
        agent = [m for m in record.messages if m.role == "assistant"]
        turn_views = tuple(
            TurnView(
                index=i,
                turn_id=turn.turn_id,
                start_s=turn.start_s,
                end_s=turn.end_s if turn.end_s is not None else record.audio_s,
                owned=record.owned_span(turn),
                sources=self.sources(turn),
                agent_lines=tuple(self.text(m.text) for m in agent if _turn_index(turns, m.at_s) == i),
                tool_calls=tuple(t for t in tools if _turn_index(turns, t.at_s) == i),
                marks=tuple(sorted((m for m in (*events, *tool_marks) if _turn_index(turns, m.at_s) == i), key=_at)),
            )
            for i, turn in enumerate(turns)
        )
        return CallView(
            call_id=record.call_id,
            started_at=record.started_at,
            audio_s=record.audio_s,
            engines=record.engines,
            complete=record.complete,
            redacted=self.redact,
            live_outcome=record.live_outcome,
            confirmed=None if self.confirmed_e164 is None else self.number(self.confirmed_e164),
            needs_review=self.stored.summary.needs_review,
            review_reason=self.stored.summary.review_reason,
            greeting=tuple(self.text(m.text) for m in agent if _turn_index(turns, m.at_s) is None),
            turns=turn_views,
            unheard=tuple(self.segment(s) for s in record.segments if s.turn_id is None and s.text.strip()),
            marks=tuple(sorted((*events, *tool_marks), key=_at)),
            post_call=tuple(self.post_call(run) for run in self.stored.runs),
            costs=record.costs,
        )

    def sources(self, turn: UserTurn) -> tuple[SourceView, ...]:
        """The realtime model's transcript (it spans the audio the turn owns), then each engine's finals."""
        text = turn.realtime_transcript or ""
        numbers = self.numbers_in(text)
        begin, end = self.record.owned_span(turn)
        heard = (SegmentView("realtime model", begin, end, ((self.text(text), None, numbers),)),)
        realtime = SourceView("realtime model", "realtime", heard if text.strip() else (), numbers)
        out = [realtime]
        for engine in self.record.engines:
            finals = [s for s in self.record.finals(source=engine) if s.turn_id == turn.turn_id and s.text.strip()]
            best = " ".join(s.text for s in finals)
            out.append(
                SourceView(
                    source=engine,
                    kind="engine",
                    segments=tuple(self.segment(s) for s in finals),
                    numbers=self.numbers_in(best),
                )
            )
        return tuple(out)

    def post_call(self, run: ReprocessRun) -> PostCallView:
        segments = tuple(self.segment(segment_from_json(s | {"source": run.engine_spec})) for s in run.segments)
        live = None
        if run.status == "done" and self.confirmed_e164 is not None:
            confirmed = self.number(self.confirmed_e164)
            # the pairs of the confirmed number that the post-call transcript disagrees with
            live = NumberView(confirmed.text, confirmed.groups, confirmed.correct, tuple(run.differing_groups))
        found = None if run.found_e164 is None else self.number(run.found_e164)
        return PostCallView(
            engine_spec=run.engine_spec,
            mode=run.mode,
            status=run.status,
            verdict=run.verdict,
            reason=_reason(run),
            live=live,
            found=found,
            numbers=tuple(self.number(n) for n in run.numbers),
            segments=segments,
            error=None if run.error is None else self.text(run.error),
            audio_sent_s=run.audio_sent_s,
            transcript_s=run.transcript_s,
        )


def _reason(run: ReprocessRun) -> str | None:
    """The reconciliation's static reason for a human look, rebuilt from the stored verdict and groups."""
    if run.verdict not in get_args(Verdict):
        return None
    return Reconciliation(cast(Verdict, run.verdict), None, None, tuple(run.differing_groups)).reason


def _national(e164: str) -> str:
    import phonenumbers

    try:
        return phonenumbers.national_significant_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in e164 if ch.isdigit())


def _turn_index(turns: Sequence[UserTurn], at_s: float) -> int | None:
    """The turn an event at ``at_s`` follows: the last one that started at or before it (``None``: before any)."""
    index = None
    for i, turn in enumerate(turns):
        if turn.start_s <= at_s:
            index = i
    return index


def _at(mark: Mark) -> float:
    return mark.at_s


def build_call_view(stored: StoredCall, *, redact: bool = False) -> CallView:
    """The page's content for ``stored``; ``redact`` masks transcripts, numbers and tool data as it is built."""
    return _Builder(stored, redact=redact).build()
