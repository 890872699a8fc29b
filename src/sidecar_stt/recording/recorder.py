"""``CallRecorder``: writes the caller audio the tap saw and the call's record as the call goes.

Opt-in, one per call::

    recorder = CallRecorder("calls/")                     # calls/<call_id>/caller.wav + call.jsonl
    sidecar = Sidecar(engines, recorder=recorder)
    ...
    await sidecar.attach(session)                         # the recorder starts with the sidecar

The recorder subscribes to the sidecar's events (final transcripts with their n-best, phone-capture events,
engine errors) and the session's (caller turns, conversation items, tool calls), and gets every frame the tap
passes on. Nothing is written on the event loop: frames and entries go through a queue to one writer thread,
which appends each entry to ``call.jsonl`` at once and rewrites the WAV header every ``checkpoint_s`` of audio.
Frames are written back to back, so a sample's offset in ``caller.wav`` is its time on the session clock. The
call's end entry carries each engine's cost and data figures from ``sidecar.stats()``: the audio-seconds sent to
it (what a cloud engine bills) and the seconds of its transcript kept.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import queue
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from ..core.ledger import UserTurn
from ..log import logger
from .audio_file import AudioFileWriter
from .journal import JournalWriter
from .protocols import CallSink, RecordedCall
from .record import AUDIO_FILE, JOURNAL_FILE, segment_to_json

if TYPE_CHECKING:
    from livekit import rtc
    from livekit.agents import AgentSession
    from livekit.agents.voice.events import (
        ConversationItemAddedEvent,
        FunctionToolsExecutedEvent,
        UserStateChangedEvent,
    )

    from ..core.segment import Segment

__all__ = ["CallRecorder", "engine_costs", "new_call_id"]

_CAPTURE_EVENTS = (
    "phone_number_proposed",
    "phone_number_confirmed",
    "phone_number_rejected",
    "phone_number_capture_failed",
    "capture_step_refused",
)
_ENGINE_EVENTS = ("engine_failed", "frames_dropped")


def engine_costs(sidecar: RecordedCall) -> dict[str, dict[str, float]]:
    """Engine name → ``audio_sent_s`` (audio the engine was sent: what a cloud engine bills) and ``transcript_s``
    (seconds of its transcript kept), from :meth:`Sidecar.stats` so far."""
    return {
        name: {"audio_sent_s": stats.audio_sent_s, "transcript_s": stats.transcript_s}
        for name, stats in sidecar.stats().items()
    }


def new_call_id() -> str:
    """A sortable unique id: UTC start time and a random suffix (``20261129T221500Z-3f9a1c2e``)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:8]


class _TranscriptEvent(Protocol):
    """A ``sidecar_transcript`` event: the segment an engine delivered."""

    @property
    def segment(self) -> Segment: ...


@dataclass(frozen=True)
class _Frame:
    pcm: bytes
    sample_rate: int
    channels: int
    start_s: float


class CallRecorder:
    """Records one call into ``root/<call_id>/``. ``store``, if given, receives the call when it ends.

    ``meta`` is stored with the record (e.g. the app's own call reference); it must not hold secrets. Frames
    reach the writer thread every ``batch_s`` of audio and the WAV header is rewritten every ``checkpoint_s``:
    a crash loses at most about the sum of the two.
    """

    def __init__(
        self,
        root: str | Path,
        *,
        call_id: str | None = None,
        store: CallSink | None = None,
        checkpoint_s: float = 1.0,
        batch_s: float = 0.2,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.call_id = call_id or new_call_id()
        self.folder = Path(root) / self.call_id
        self._store = store
        self._checkpoint_s = checkpoint_s
        self._meta = dict(meta or {})
        self._queue: queue.SimpleQueue[list[_Frame] | dict[str, Any] | None] = queue.SimpleQueue()
        self._pending: list[_Frame] = []
        self._batch_s = batch_s
        self._thread: threading.Thread | None = None
        self._sidecar: RecordedCall | None = None
        self._session: AgentSession[Any] | None = None
        self._written_turns: dict[str, UserTurn] = {}
        self._closed = False
        self.audio_s = 0.0
        """Seconds of audio handed to the writer so far (the session clock)."""

    # -- lifecycle (called by the Sidecar) ---------------------------------------------------------------

    def start(self, sidecar: RecordedCall, session: AgentSession[Any]) -> None:
        """Open the files and subscribe to the sidecar's and the session's events."""
        if self._thread is not None:
            raise RuntimeError("this CallRecorder is already recording a call")
        self.folder.mkdir(parents=True, exist_ok=False)
        self._sidecar = sidecar
        self._session = session
        self._thread = threading.Thread(target=self._write_loop, name=f"sidecar-recorder-{self.call_id}", daemon=True)
        self._thread.start()
        self._entry(
            "call_started",
            call_id=self.call_id,
            engines=list(sidecar.engines),
            language=sidecar.options.language,
            region=sidecar.options.region,
            meta=self._meta,
        )
        sidecar.on("sidecar_transcript", self._on_transcript)
        for name in (*_CAPTURE_EVENTS, *_ENGINE_EVENTS):
            sidecar.on(name, self._on_sidecar_event)
        session.on("user_state_changed", self._on_user_state)
        session.on("conversation_item_added", self._on_item)
        session.on("function_tools_executed", self._on_tools)
        logger.info("call recording started", extra={"call_id": self.call_id})

    def write_frame(self, frame: rtc.AudioFrame, start_s: float) -> None:
        """A caller frame as the tap passed it on (must not block: it is queued for the writer thread)."""
        if self._closed:
            return
        self._pending.append(_Frame(bytes(frame.data), frame.sample_rate, frame.num_channels, start_s))
        self.audio_s = start_s + frame.samples_per_channel / frame.sample_rate
        if self.audio_s - self._pending[0].start_s >= self._batch_s:
            self._hand_over()

    def _hand_over(self) -> None:
        """Frames go to the writer in batches: one thread wake-up per batch, not per 10–20 ms frame."""
        if self._pending:
            self._queue.put(self._pending)
            self._pending = []

    async def aclose(self) -> None:
        """End the record (final turn alignment, end entry), close the files and hand the call to the store."""
        if self._closed or self._thread is None:
            return
        self._write_turns()
        sidecar = self._sidecar
        if sidecar is not None:
            assignments = [[s.source, s.segment_id, s.turn_id] for s in sidecar.ledger.segments()]
            self._entry("segment_turns", assignments=assignments)
            sidecar.off("sidecar_transcript", self._on_transcript)
            for name in (*_CAPTURE_EVENTS, *_ENGINE_EVENTS):
                sidecar.off(name, self._on_sidecar_event)
        if self._session is not None:
            self._session.off("user_state_changed", self._on_user_state)
            self._session.off("conversation_item_added", self._on_item)
            self._session.off("function_tools_executed", self._on_tools)
        self._hand_over()
        costs = {} if sidecar is None else engine_costs(sidecar)
        self._entry("call_ended", audio_s=self.audio_s, costs=costs)
        self._closed = True
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)
        logger.info("call recording finished", extra={"call_id": self.call_id, "audio_s": round(self.audio_s, 2)})
        if self._store is not None:
            await asyncio.to_thread(self._store.add_call, self.folder)

    # -- event handlers (on the event loop; they only queue entries) -----------------------------------

    def _entry(self, kind: str, **data: Any) -> None:
        if not self._closed:
            self._queue.put({"kind": kind, "created_at": time.time(), **data})

    def _at_s(self) -> float:
        return self._sidecar.audio_s if self._sidecar is not None else 0.0

    def _on_transcript(self, ev: _TranscriptEvent) -> None:
        if ev.segment.is_final:
            self._entry("segment", **segment_to_json(ev.segment))

    def _on_sidecar_event(self, ev: Any) -> None:
        data = {k: v for k, v in dataclasses.asdict(ev).items() if k != "created_at"}
        kind = "capture" if ev.type in _CAPTURE_EVENTS else "engine"
        self._entry(kind, at_s=self._at_s(), event=data)

    def _on_user_state(self, _: UserStateChangedEvent) -> None:
        self._write_turns()  # the Sidecar's own handler ran first and updated its ledger

    def _write_turns(self) -> None:
        if self._sidecar is None:
            return
        for turn in self._sidecar.ledger.turns:
            if self._written_turns.get(turn.turn_id) != turn:
                self._written_turns[turn.turn_id] = turn
                self._entry("turn", **dataclasses.asdict(turn))

    def _on_item(self, ev: ConversationItemAddedEvent) -> None:
        from livekit.agents import llm

        item = ev.item
        if isinstance(item, llm.ChatMessage) and item.role in ("user", "assistant"):
            self._entry("message", role=item.role, text=item.text_content or "", item_id=item.id, at_s=self._at_s())
            self._write_turns()  # a user message labels its turn with the realtime transcript

    def _on_tools(self, ev: FunctionToolsExecutedEvent) -> None:
        for call, output in ev.zipped():
            try:
                arguments = json.loads(call.arguments or "{}")
            except ValueError:
                arguments = {"raw": call.arguments}
            self._entry(
                "tool_call",
                name=call.name,
                arguments=arguments if isinstance(arguments, dict) else {"value": arguments},
                output=output.output if output is not None else "",
                is_error=bool(output.is_error) if output is not None else False,
                call_id=call.call_id,
                at_s=self._at_s(),
            )

    # -- the writer thread ---------------------------------------------------------------------------------

    def _write_loop(self) -> None:
        journal = JournalWriter(self.folder / JOURNAL_FILE)
        audio: AudioFileWriter | None = None
        resampler: Any = None
        since_checkpoint = 0
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    break
                if isinstance(item, dict):
                    journal.write(item)
                    continue
                for frame in item:
                    before = audio.frames if audio is not None else 0
                    audio, resampler = self._write_frame(frame, audio, resampler, journal)
                    since_checkpoint += audio.frames - before
                if audio is not None and since_checkpoint >= self._checkpoint_s * audio.sample_rate:
                    audio.checkpoint()
                    since_checkpoint = 0
        except Exception:
            logger.exception("call recording failed", extra={"call_id": self.call_id})
        finally:
            if audio is not None:
                audio.close()
            journal.close()

    def _write_frame(
        self, item: _Frame, audio: AudioFileWriter | None, resampler: Any, journal: JournalWriter
    ) -> tuple[AudioFileWriter, Any]:
        if audio is None:
            audio = AudioFileWriter(self.folder / AUDIO_FILE, sample_rate=item.sample_rate)
            journal.write({"kind": "audio_started", "created_at": time.time(), "sample_rate": item.sample_rate})
        samples = np.frombuffer(item.pcm, dtype=np.int16)
        if item.channels > 1:
            samples = samples.reshape(-1, item.channels)[:, 0]
        if item.sample_rate != audio.sample_rate:
            samples, resampler = _resample(samples, item.sample_rate, audio.sample_rate, resampler)
        gap = round(item.start_s * audio.sample_rate) - audio.frames
        if gap > len(samples):  # keep the file on the session clock if frames ever went missing
            audio.write(np.zeros(gap, dtype=np.int16))
        audio.write(samples)
        return audio, resampler


def _resample(samples: Any, from_rate: int, to_rate: int, resampler: Any) -> tuple[Any, Any]:
    from livekit import rtc

    if resampler is None or resampler[0] != from_rate:
        resampler = (from_rate, rtc.AudioResampler(from_rate, to_rate, num_channels=1))
    frame = rtc.AudioFrame(samples.tobytes(), from_rate, 1, len(samples))
    out = [np.frombuffer(f.data, dtype=np.int16) for f in resampler[1].push(frame)]
    return (np.concatenate(out) if out else np.zeros(0, dtype=np.int16)), resampler
