"""``CallRecord``: what one recorded call holds, read back from its journal (and its audio file).

A record is rebuilt from the journal entries in order, so a call cut short by a crash still gives a record of
everything written before it (``complete`` is ``False`` then). Turns and segments are the ledger's own types.
Everything here is personal data.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from ..core.ledger import TurnTiming, UserTurn
from ..core.segment import Alternative, Segment, Word
from ..errors import SidecarError
from .call_id import check_call_id
from .journal import JournalError, SkippedLine, read_journal_lines

__all__ = [
    "AUDIO_FILE",
    "JOURNAL_FILE",
    "CallRecord",
    "LiveOutcome",
    "RecordedMessage",
    "RecordedToolCall",
    "load_call_record",
    "record_from_entries",
    "segment_from_json",
    "segment_to_json",
]

AUDIO_FILE = "caller.wav"
JOURNAL_FILE = "call.jsonl"

LiveOutcome = Literal["confirmed", "failed", "none"]
"""What the live capture ended with: a confirmed number, a failure (or decline), or no capture at all."""


@dataclass(frozen=True, slots=True)
class RecordedMessage:
    """A conversation item: the caller's (as the realtime model transcribed it) or the agent's."""

    role: str
    text: str
    item_id: str
    at_s: float


@dataclass(frozen=True, slots=True)
class RecordedToolCall:
    """A function tool the realtime model called, with its arguments and the exact text returned."""

    name: str
    arguments: dict[str, Any]
    output: str
    call_id: str
    at_s: float
    is_error: bool = False


def segment_to_json(segment: Segment) -> dict[str, Any]:
    return {
        "source": segment.source,
        "segment_id": segment.segment_id,
        "start_s": segment.start_s,
        "end_s": segment.end_s,
        "turn_id": segment.turn_id,
        "received_s": segment.received_s,
        "alternatives": [
            {
                "text": a.text,
                "confidence": a.confidence,
                "words": [[w.text, w.start_s, w.end_s, w.confidence] for w in a.words],
            }
            for a in segment.alternatives
        ],
    }


def _time(value: Any, what: str) -> float:
    """A time or a count from JSON: a finite number (not a bool, not a string); else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{what} is not a number")
    return float(value)


def _optional_time(value: Any, what: str) -> float | None:
    return None if value is None else _time(value, what)


def _optional_text(value: Any, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{what} is not text")
    return value


def segment_from_json(data: Mapping[str, Any]) -> Segment:
    """A segment as :func:`segment_to_json` wrote it; ``ValueError`` (or ``KeyError``) if a field has the wrong
    type, so a damaged entry is refused on reading instead of breaking what shows it later."""
    alternatives = tuple(
        Alternative(
            text=str(a.get("text", "")),
            confidence=_optional_time(a.get("confidence"), "confidence"),
            words=tuple(
                Word(str(w[0]), _time(w[1], "word start"), _time(w[2], "word end"), _optional_time(w[3], "confidence"))
                for w in a.get("words", ())
            ),
        )
        for a in data.get("alternatives", ())
    )
    return Segment(
        source=str(data["source"]),
        segment_id=str(data["segment_id"]),
        start_s=_time(data["start_s"], "start_s"),
        end_s=_time(data["end_s"], "end_s"),
        is_final=True,
        alternatives=alternatives,
        received_s=_time(data.get("received_s", 0.0), "received_s"),
        turn_id=_optional_text(data.get("turn_id"), "turn_id"),
    )


def turn_from_json(data: Mapping[str, Any]) -> UserTurn:
    timing = data.get("timing", "wall_clock")
    if timing not in get_args(TurnTiming):
        raise ValueError("timing is not one of " + ", ".join(get_args(TurnTiming)))
    return UserTurn(
        turn_id=str(data["turn_id"]),
        start_s=_time(data["start_s"], "start_s"),
        end_s=_optional_time(data.get("end_s"), "end_s"),
        item_id=_optional_text(data.get("item_id"), "item_id"),
        realtime_transcript=_optional_text(data.get("realtime_transcript"), "realtime_transcript"),
        timing=timing,
    )


@dataclass
class CallRecord:
    """One call: its engines, caller turns, transcripts (sidecar n-best and realtime), tool calls and capture
    events, all on the session clock (seconds of caller audio since the tap was installed)."""

    call_id: str
    started_at: float
    ended_at: float | None = None
    audio_s: float = 0.0
    sample_rate: int | None = None
    engines: tuple[str, ...] = ()
    language: str = "nb"
    region: str = "NO"
    turns: list[UserTurn] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    messages: list[RecordedMessage] = field(default_factory=list)
    tool_calls: list[RecordedToolCall] = field(default_factory=list)
    capture_events: list[dict[str, Any]] = field(default_factory=list)
    """Phone-capture events as dicts with their ``type`` (``phone_number_confirmed`` …) and ``at_s``."""
    engine_events: list[dict[str, Any]] = field(default_factory=list)
    """``engine_failed`` and ``frames_dropped`` events."""
    meta: dict[str, Any] = field(default_factory=dict)
    complete: bool = False
    """``True`` when the call ended normally; ``False`` for a call cut short (the process died)."""
    gaps: list[dict[str, Any]] = field(default_factory=list)
    """Stretches of caller audio the recording lacks (``at_s``, ``duration_s``, ``reason``): frames dropped
    because the writer fell behind, or audio after the recording failed. The rest of the record is whole."""
    audio_failed: bool = False
    """``True`` when the audio file could not be written (or stopped being written) during the call."""
    skipped: list[SkippedLine] = field(default_factory=list)
    """Journal lines left out of the record (cut short, damaged, or an entry with a wrong field), by number."""
    costs: dict[str, dict[str, float]] | None = None
    """Engine name → ``audio_sent_s`` (audio the live engine was sent: what a cloud engine bills) and
    ``transcript_s`` (seconds of its transcript kept), as ``Sidecar.stats()`` had them when the call ended;
    ``None`` for a call cut short (or recorded before these were counted)."""

    @property
    def audio_sent_s(self) -> float | None:
        """Audio-seconds sent to the live engines, all together (``None``: not known, see :attr:`costs`)."""
        return None if self.costs is None else sum(c["audio_sent_s"] for c in self.costs.values())

    @property
    def transcript_s(self) -> float | None:
        """Seconds of transcript the live engines kept, all together (``None``: not known)."""
        return None if self.costs is None else sum(c["transcript_s"] for c in self.costs.values())

    @property
    def confirmed_e164(self) -> str | None:
        """The number the caller confirmed last, if any."""
        confirmed = [e for e in self.capture_events if e.get("type") == "phone_number_confirmed"]
        return str(confirmed[-1]["e164"]) if confirmed else None

    @property
    def live_outcome(self) -> LiveOutcome:
        if self.confirmed_e164 is not None:
            return "confirmed"
        ended = ("phone_number_capture_failed", "phone_number_proposed")  # failed, or never confirmed
        if any(e.get("type") in ended for e in self.capture_events):
            return "failed"
        return "none"

    def confirmed_span(self) -> tuple[float, float] | None:
        """The caller audio of the turn in which the caller said the confirmed number whole.

        That is the turn of the confirmed proposal, unless that proposal only corrected some pairs of an earlier
        read-back ("no, it is fifty-six"): then the turn of the latest earlier proposal of the same capture that
        read a whole number the caller said (the caller's own words of the number, which the correction fixed).
        """
        events = self.capture_events
        confirmed = [i for i, e in enumerate(events) if e.get("type") == "phone_number_confirmed"]
        if not confirmed:
            return None
        last = confirmed[-1]
        proposal_id = events[last].get("proposal_id")
        proposals: list[dict[str, Any]] = []
        for event in reversed(events[:last]):
            if event.get("type") in ("phone_number_confirmed", "phone_number_capture_failed"):
                break  # an earlier capture
            if event.get("type") == "phone_number_proposed":
                proposals.append(event)
        chosen = next(
            (p for p in proposals if p.get("proposal_id") == proposal_id), proposals[0] if proposals else None
        )
        if chosen is not None and chosen.get("corrected_groups"):
            chosen = next((p for p in proposals if p is not chosen and not p.get("corrected_groups")), chosen)
        turn = {t.turn_id: t for t in self.turns}.get(str(chosen.get("utterance_id"))) if chosen else None
        return self.owned_span(turn) if turn is not None else None

    def owned_span(self, turn: UserTurn) -> tuple[float, float]:
        """The audio a turn owns: from the end of the previous turn (0 for the first) to its end."""
        index = self.turns.index(turn)
        begin = self.turns[index - 1].end_s or 0.0 if index else 0.0
        end = turn.end_s if turn.end_s is not None else self.audio_s
        return (min(begin, turn.start_s), end)

    def finals(self, *, source: str | None = None) -> list[Segment]:
        return [s for s in self.segments if source is None or s.source == source]

    # -- JSON ---------------------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "call_id": self.call_id,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "audio_s": self.audio_s,
            "sample_rate": self.sample_rate,
            "engines": list(self.engines),
            "language": self.language,
            "region": self.region,
            "turns": [dataclasses.asdict(t) for t in self.turns],
            "segments": [segment_to_json(s) for s in self.segments],
            "messages": [dataclasses.asdict(m) for m in self.messages],
            "tool_calls": [dataclasses.asdict(c) for c in self.tool_calls],
            "capture_events": self.capture_events,
            "engine_events": self.engine_events,
            "meta": self.meta,
            "complete": self.complete,
            "costs": self.costs,
            "skipped": [{"line": k.line, "reason": k.reason} for k in self.skipped],
            "gaps": self.gaps,
            "audio_failed": self.audio_failed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CallRecord:
        return cls(
            call_id=str(data["call_id"]),
            started_at=float(data["started_at"]),
            ended_at=data.get("ended_at"),
            audio_s=float(data.get("audio_s", 0.0)),
            sample_rate=data.get("sample_rate"),
            engines=tuple(data.get("engines", ())),
            language=str(data.get("language", "nb")),
            region=str(data.get("region", "NO")),
            turns=[turn_from_json(t) for t in data.get("turns", ())],
            segments=[segment_from_json(s) for s in data.get("segments", ())],
            messages=[RecordedMessage(**m) for m in data.get("messages", ())],
            tool_calls=[RecordedToolCall(**c) for c in data.get("tool_calls", ())],
            capture_events=list(data.get("capture_events", ())),
            engine_events=list(data.get("engine_events", ())),
            meta=dict(data.get("meta", {})),
            complete=bool(data.get("complete", False)),
            costs=_costs(data.get("costs")),
            skipped=[SkippedLine(int(k["line"]), str(k["reason"])) for k in data.get("skipped", ())],
            gaps=list(data.get("gaps", ())),
            audio_failed=bool(data.get("audio_failed", False)),
        )


def _costs(data: Any) -> dict[str, dict[str, float]] | None:
    if not isinstance(data, Mapping):
        return None
    return {
        str(name): {
            "audio_sent_s": float(c.get("audio_sent_s", 0.0)),
            "transcript_s": float(c.get("transcript_s", 0.0)),
        }
        for name, c in data.items()
        if isinstance(c, Mapping)
    }


def record_from_entries(
    entries: Iterable[Mapping[str, Any] | tuple[int, Mapping[str, Any] | SkippedLine]], *, audio_s: float | None = None
) -> CallRecord:
    """Fold journal entries into a record (later entries of the same turn or segment replace earlier ones).

    ``entries`` are the journal's entries, or ``(line number, entry)`` pairs as :func:`read_journal_lines` gives
    them. An entry with a missing or wrongly typed field is left out and noted in :attr:`CallRecord.skipped`
    with its line; the rest of the call is kept. :class:`JournalError` when there is no (valid) start entry."""
    record: CallRecord | None = None
    skipped: list[SkippedLine] = []
    folded = _Fold()
    for index, item in enumerate(entries, start=1):
        number, entry = item if isinstance(item, tuple) else (index, item)
        if isinstance(entry, SkippedLine):
            skipped.append(entry)
            continue
        kind = entry["kind"]
        try:
            if kind == "call_started":
                record = _started(entry)
            elif record is not None:  # entries before the start (none are written) are ignored
                folded.entry(record, kind, entry)
        except SidecarError as e:
            raise JournalError(f"line {number}: {e}") from e
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            skipped.append(SkippedLine(number, f"a {str(kind)[:32]!r} entry with a missing or wrong field"))
    if record is None:
        raise JournalError("the journal has no call_started entry")
    record.turns = sorted(folded.turns.values(), key=lambda t: t.start_s)
    record.segments = sorted(folded.segments.values(), key=lambda s: (s.start_s, s.source))
    record.skipped = skipped
    if not record.complete and audio_s is not None:
        record.audio_s = audio_s
    return record


def _started(entry: Mapping[str, Any]) -> CallRecord:
    engines = entry.get("engines", ())
    if not isinstance(engines, list | tuple) or not all(isinstance(e, str) for e in engines):
        raise ValueError("engines is not a list of names")
    meta = entry.get("meta", {})
    return CallRecord(
        call_id=check_call_id(entry["call_id"]),
        started_at=_time(entry["created_at"], "created_at"),
        engines=tuple(engines),
        language=str(entry.get("language", "nb")),
        region=str(entry.get("region", "NO")),
        meta=dict(meta) if isinstance(meta, Mapping) else {},
    )


@dataclass
class _Fold:
    turns: dict[str, UserTurn] = field(default_factory=dict)
    segments: dict[tuple[str, str], Segment] = field(default_factory=dict)

    def entry(self, record: CallRecord, kind: str, entry: Mapping[str, Any]) -> None:
        """Fold one entry into ``record``; raises (and changes nothing) if a field is missing or wrong."""
        if kind == "audio_started":
            record.sample_rate = int(_time(entry["sample_rate"], "sample_rate"))
        elif kind == "turn":
            turn = turn_from_json(entry)
            self.turns[turn.turn_id] = turn
        elif kind == "segment":
            segment = segment_from_json(entry)
            self.segments[(segment.source, segment.segment_id)] = segment
        elif kind == "message":
            record.messages.append(
                RecordedMessage(
                    role=str(entry["role"]),
                    text=str(entry["text"]),
                    item_id=str(entry["item_id"]),
                    at_s=_time(entry["at_s"], "at_s"),
                )
            )
        elif kind == "tool_call":
            arguments = entry.get("arguments", {})
            record.tool_calls.append(
                RecordedToolCall(
                    name=str(entry["name"]),
                    arguments=dict(arguments) if isinstance(arguments, Mapping) else {"value": arguments},
                    output=str(entry.get("output", "")),
                    call_id=str(entry.get("call_id", "")),
                    at_s=_time(entry["at_s"], "at_s"),
                    is_error=bool(entry.get("is_error", False)),
                )
            )
        elif kind in ("capture", "engine"):
            event = dict(entry["event"])
            if not isinstance(event.get("type"), str):
                raise ValueError("an event without a type")
            at = {"at_s": _optional_time(entry.get("at_s"), "at_s")}
            (record.capture_events if kind == "capture" else record.engine_events).append(event | at)
        elif kind == "recording_gap":
            record.gaps.append(
                {
                    "at_s": _time(entry["at_s"], "at_s"),
                    "duration_s": _time(entry["duration_s"], "duration_s"),
                    "reason": str(entry.get("reason", "")),
                }
            )
        elif kind == "audio_failed":
            record.audio_failed = True
        elif kind == "segment_turns":
            assignments = [
                (str(source), str(segment_id), turn_id) for source, segment_id, turn_id in entry["assignments"]
            ]
            for source, segment_id, turn_id in assignments:
                key = (source, segment_id)
                if key in self.segments:
                    self.segments[key] = dataclasses.replace(
                        self.segments[key], turn_id=_optional_text(turn_id, "turn_id")
                    )
        elif kind == "call_ended":
            ended_at = _time(entry["created_at"], "created_at")
            audio_s = _time(entry.get("audio_s", record.audio_s), "audio_s")
            costs = _costs(entry.get("costs"))
            record.ended_at, record.audio_s, record.costs, record.complete = ended_at, audio_s, costs, True


def load_call_record(folder: str | Path) -> CallRecord:
    """Read the record of the call recorded in ``folder`` (its ``call.jsonl``; the audio length from
    ``caller.wav`` when the call was cut short). :class:`JournalError` if there is no readable call."""
    path = Path(folder)
    journal = path / JOURNAL_FILE
    if not journal.is_file():
        raise JournalError(f"{path} holds no {JOURNAL_FILE}")
    audio_s: float | None = None
    audio = path / AUDIO_FILE
    if audio.is_file():
        import soundfile

        try:
            info = soundfile.info(str(audio))
        except (RuntimeError, OSError):  # soundfile.LibsndfileError: an audio file that was never written whole
            audio_s = None
        else:
            audio_s = float(info.frames) / float(info.samplerate) if info.samplerate else 0.0
    return record_from_entries(read_journal_lines(journal), audio_s=audio_s)
