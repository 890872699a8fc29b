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

Recording is best-effort for the live call: :meth:`start`, :meth:`write_frame` and :meth:`aclose` never raise and
never wait on the disk. At most ``max_pending_s`` of audio waits for the writer; frames beyond it are dropped,
counted (``frames_dropped``), announced (``recording_frames_dropped``) and noted in the record as a gap. A folder
that cannot be created, or a journal or audio file that cannot be written (read-only or full disk), is logged and
announced (``recording_failed``); the audio failing does not stop the journal, so the call's outcome is still
recorded, and the journal is written again from memory at the end if it failed on the way.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import numpy as np
from livekit import rtc

from ..core.ledger import UserTurn
from ..log import logger
from .audio_file import AudioFileWriter
from .call_id import check_call_id, new_call_id
from .events import RecorderEventTypes, RecordingFailedEvent, RecordingFramesDroppedEvent, RecordingPart
from .journal import JournalWriter
from .protocols import CallSink, RecordedCall
from .record import AUDIO_FILE, JOURNAL_FILE, segment_to_json

if TYPE_CHECKING:
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
    "phone_number_read_back",
    "capture_escalated",
)
_ENGINE_EVENTS = ("engine_failed", "frames_dropped")
_END: Final = object()

_F = TypeVar("_F", bound=Callable[..., Any])


def _never_raises(method: _F) -> _F:
    """An event handler of the recorder: a failure in it is logged, never raised into the emitter (the call)."""

    @functools.wraps(method)
    def guarded(self: CallRecorder, *args: Any) -> Any:
        try:
            return method(self, *args)
        except Exception:
            logger.exception("call recording: an event could not be recorded", extra={"call_id": self.call_id})
            return None

    return guarded  # type: ignore[return-value]


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def engine_costs(sidecar: RecordedCall) -> dict[str, dict[str, float]]:
    """Engine name → ``audio_sent_s`` (audio the engine was sent: what a cloud engine bills) and ``transcript_s``
    (seconds of its transcript kept), from :meth:`Sidecar.stats` so far."""
    return {
        name: {"audio_sent_s": stats.audio_sent_s, "transcript_s": stats.transcript_s}
        for name, stats in sidecar.stats().items()
    }


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


@dataclass(frozen=True)
class _Batch:
    frames: list[_Frame]
    duration_s: float


@dataclass(frozen=True)
class _End:
    audio_s: float


class CallRecorder(rtc.EventEmitter[RecorderEventTypes]):
    """Records one call into ``root/<call_id>/``. ``store``, if given, receives the call when it ends.

    ``call_id`` must be a valid call id (see :mod:`sidecar_stt.recording.call_id`; one ``ConfigurationError``
    line otherwise). ``meta`` is stored with the record (e.g. the app's own call reference); it must not hold
    secrets. Frames reach the writer thread every ``batch_s`` of audio and the WAV header is rewritten every
    ``checkpoint_s``: a crash loses at most about the sum of the two. At most ``max_pending_s`` of audio waits
    for the writer; more is dropped and counted in :attr:`frames_dropped`.

    Events: ``recording_failed`` (:class:`RecordingFailedEvent`), ``recording_frames_dropped``
    (:class:`RecordingFramesDroppedEvent`), emitted on the event loop the recording started on.
    """

    def __init__(
        self,
        root: str | Path,
        *,
        call_id: str | None = None,
        store: CallSink | None = None,
        checkpoint_s: float = 1.0,
        batch_s: float = 0.2,
        max_pending_s: float = 30.0,
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.call_id = check_call_id(call_id) if call_id is not None else new_call_id()
        self.folder = Path(root) / self.call_id
        self._store = store
        self._checkpoint_s = checkpoint_s
        self._meta = dict(meta or {})
        self._queue: queue.SimpleQueue[_Batch | dict[str, Any] | _End] = queue.SimpleQueue()
        self._pending: list[_Frame] = []
        self._batch_s = batch_s
        self._max_pending_s = max_pending_s
        self._queued_s = 0.0
        """Seconds of audio handed to the writer and not yet written (guarded by ``_queued_lock``)."""
        self._queued_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sidecar: RecordedCall | None = None
        self._session: AgentSession[Any] | None = None
        self._written_turns: dict[str, UserTurn] = {}
        self._entries: list[dict[str, Any]] = []
        """Every entry of the journal, kept to write it again at the end if the journal failed on the way."""
        self._journal_failed = False
        self._folder_taken = False
        self._dropping: tuple[float, int] | None = None  # (start_s, frames) of the drop in progress
        self._closed = False
        self.audio_s = 0.0
        """Seconds of audio handed to the writer so far (the session clock)."""
        self.frames_dropped = 0
        """Caller frames not recorded because the writer fell behind (the live call never waits for it)."""
        self.failed: set[RecordingPart] = set()
        """The parts of the recording that failed (``folder``, ``journal``, ``audio``, ``store``)."""

    # -- lifecycle (called by the Sidecar; never raise) ---------------------------------------------------

    def start(self, sidecar: RecordedCall, session: AgentSession[Any]) -> None:
        """Open the files and subscribe to the sidecar's and the session's events. A folder that cannot be
        created is logged and announced; the call goes on (its record is kept in memory and written at the end
        if the folder can be made by then)."""
        if self._thread is not None or self._closed:
            logger.error("this CallRecorder already recorded a call", extra={"call_id": self.call_id})
            return
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._sidecar = sidecar
        self._session = session
        try:
            self.folder.mkdir(parents=True, exist_ok=False)
        except FileExistsError as e:  # another call's folder: never written into, not even at the end
            self._folder_taken = True
            self._failed("folder", e)
        except OSError as e:
            self._failed("folder", e)
        self._thread = threading.Thread(target=self._write_loop, name=f"sidecar-recorder-{self.call_id}", daemon=True)
        self._thread.start()
        try:
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
        except Exception:
            logger.exception("call recording could not subscribe to the call", extra={"call_id": self.call_id})
        logger.info("call recording started", extra={"call_id": self.call_id})

    def write_frame(self, frame: rtc.AudioFrame, start_s: float) -> None:
        """A caller frame as the tap passed it on. Never blocks and never raises: it is queued for the writer
        thread, or dropped (and counted) when ``max_pending_s`` of audio already waits."""
        if self._closed or self._thread is None:
            return
        try:
            duration_s = frame.samples_per_channel / frame.sample_rate
            self._pending.append(_Frame(bytes(frame.data), frame.sample_rate, frame.num_channels, start_s))
            self.audio_s = start_s + duration_s
            if self.audio_s - self._pending[0].start_s >= self._batch_s:
                self._hand_over()
        except Exception:
            logger.exception("call recording: a frame could not be queued", extra={"call_id": self.call_id})

    def _hand_over(self) -> None:
        """Frames go to the writer in batches: one thread wake-up per batch, not per 10–20 ms frame."""
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        batch_s = self.audio_s - batch[0].start_s
        with self._queued_lock:
            full = self._queued_s + batch_s > self._max_pending_s
            if not full:
                self._queued_s += batch_s
        if full:
            self._drop(batch, batch_s)
            return
        self._end_drop(batch[0].start_s)
        self._queue.put(_Batch(batch, batch_s))

    def _drop(self, batch: list[_Frame], batch_s: float) -> None:
        self.frames_dropped += len(batch)
        if self._dropping is None:
            self._dropping = (batch[0].start_s, 0)
            logger.warning("call recording fell behind; caller frames dropped", extra={"call_id": self.call_id})
        self._dropping = (self._dropping[0], self._dropping[1] + len(batch))
        self._emit(
            "recording_frames_dropped",
            RecordingFramesDroppedEvent(len(batch), batch_s, self.frames_dropped, self.call_id),
        )

    def _end_drop(self, end_s: float) -> None:
        """After a drop (at the first batch queued again, or at the end): the record notes the gap, which the
        writer fills with silence so the audio stays on the session clock."""
        if self._dropping is not None:
            start_s, frames = self._dropping
            self._dropping = None
            self._entry("recording_gap", at_s=start_s, duration_s=end_s - start_s, frames=frames, reason="dropped")

    async def aclose(self) -> None:
        """End the record (final turn alignment, end entry), close the files and hand the call to the store.
        Never raises: what fails is logged and announced."""
        if self._closed or self._thread is None:
            return
        try:
            self._write_turns()
            sidecar = self._sidecar
            if sidecar is not None:
                assignments = [[s.source, s.segment_id, s.turn_id] for s in sidecar.ledger.segments()]
                self._entry("segment_turns", assignments=assignments)
            self._unsubscribe()
            self._hand_over()
            self._end_drop(self.audio_s)
            costs = {} if sidecar is None else engine_costs(sidecar)
            self._entry("call_ended", audio_s=self.audio_s, costs=costs, frames_dropped=self.frames_dropped)
        except Exception:
            logger.exception("call recording could not end the record", extra={"call_id": self.call_id})
        self._closed = True
        self._queue.put(_End(self.audio_s))
        try:
            await asyncio.to_thread(self._thread.join)
        except Exception:
            logger.exception("call recording could not finish writing", extra={"call_id": self.call_id})
        logger.info("call recording finished", extra={"call_id": self.call_id, "audio_s": round(self.audio_s, 2)})
        if self._store is not None and "journal" not in self.failed and "folder" not in self.failed:
            try:
                await asyncio.to_thread(self._store.add_call, self.folder)
            except Exception as e:
                self._failed("store", e)

    def _unsubscribe(self) -> None:
        sidecar = self._sidecar
        if sidecar is not None:
            sidecar.off("sidecar_transcript", self._on_transcript)
            for name in (*_CAPTURE_EVENTS, *_ENGINE_EVENTS):
                sidecar.off(name, self._on_sidecar_event)
        if self._session is not None:
            self._session.off("user_state_changed", self._on_user_state)
            self._session.off("conversation_item_added", self._on_item)
            self._session.off("function_tools_executed", self._on_tools)

    # -- failures ---------------------------------------------------------------------------------------

    def _failed(self, part: RecordingPart, error: BaseException) -> None:
        """Log and announce a failed part (from any thread)."""
        self.failed.add(part)
        logger.error(
            "call recording failed",
            extra={"call_id": self.call_id, "part": part, "error": type(error).__name__},
        )
        self._emit("recording_failed", RecordingFailedEvent(part, f"{type(error).__name__}: {error}", self.call_id))

    def _emit(self, name: RecorderEventTypes, event: Any) -> None:
        """Emit on the recording's event loop (the writer thread hands the event over); a handler's failure is
        logged, never raised."""
        loop = self._loop
        try:
            if loop is not None and not loop.is_closed() and not _on_loop(loop):
                loop.call_soon_threadsafe(self._emit_here, name, event)
            else:
                self._emit_here(name, event)
        except Exception:
            logger.exception("call recording: an event could not be emitted", extra={"call_id": self.call_id})

    def _emit_here(self, name: RecorderEventTypes, event: Any) -> None:
        try:
            self.emit(name, event)
        except Exception:
            logger.exception("call recording: an event handler failed", extra={"call_id": self.call_id})

    # -- event handlers (on the event loop; they only queue entries) -----------------------------------

    def _entry(self, kind: str, **data: Any) -> None:
        if not self._closed:
            entry = {"kind": kind, "created_at": time.time(), **data}
            self._entries.append(entry)
            self._queue.put(entry)

    def _at_s(self) -> float:
        return self._sidecar.audio_s if self._sidecar is not None else 0.0

    @_never_raises
    def _on_transcript(self, ev: _TranscriptEvent) -> None:
        if ev.segment.is_final:
            self._entry("segment", **segment_to_json(ev.segment))

    @_never_raises
    def _on_sidecar_event(self, ev: Any) -> None:
        data = {k: v for k, v in dataclasses.asdict(ev).items() if k != "created_at"}
        kind = "capture" if ev.type in _CAPTURE_EVENTS else "engine"
        self._entry(kind, at_s=self._at_s(), event=data)

    @_never_raises
    def _on_user_state(self, _: UserStateChangedEvent) -> None:
        self._write_turns()  # the Sidecar's own handler ran first and updated its ledger

    def _write_turns(self) -> None:
        if self._sidecar is None:
            return
        for turn in self._sidecar.ledger.turns:
            if self._written_turns.get(turn.turn_id) != turn:
                self._written_turns[turn.turn_id] = turn
                self._entry("turn", **dataclasses.asdict(turn))

    @_never_raises
    def _on_item(self, ev: ConversationItemAddedEvent) -> None:
        from livekit.agents import llm

        item = ev.item
        if isinstance(item, llm.ChatMessage) and item.role in ("user", "assistant"):
            self._entry("message", role=item.role, text=item.text_content or "", item_id=item.id, at_s=self._at_s())
            self._write_turns()  # a user message labels its turn with the realtime transcript

    @_never_raises
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
        writer = _Writer(self)
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, _End):
                    writer.finish(item.audio_s)
                    break
                if isinstance(item, dict):
                    writer.entry(item)
                    continue
                try:
                    writer.frames(item.frames)
                finally:
                    with self._queued_lock:
                        self._queued_s = max(0.0, self._queued_s - item.duration_s)
        except Exception as e:  # a bug of the writer itself: the live call goes on
            self._failed("journal", e)
        finally:
            writer.close()
            if self._journal_failed and not self._folder_taken:
                writer.rewrite_journal(self._entries)


class _Writer:
    """The writer thread's files: the journal goes on when the audio fails, and each fails on its own."""

    def __init__(self, recorder: CallRecorder) -> None:
        self.recorder = recorder
        self.folder = recorder.folder
        self.journal: JournalWriter | None = None
        self.audio: AudioFileWriter | None = None
        self.resampler: Any = None
        self.since_checkpoint = 0
        self.audio_failed_at_s: float | None = None
        if "folder" not in recorder.failed:
            try:
                self.journal = JournalWriter(self.folder / JOURNAL_FILE)
            except OSError as e:
                self._journal_failed(e)

    def _journal_failed(self, error: BaseException) -> None:
        self.recorder._journal_failed = True
        if "journal" not in self.recorder.failed:
            self.recorder._failed("journal", error)
        if self.journal is not None:
            with contextlib.suppress(OSError):
                self.journal.close()
            self.journal = None

    def entry(self, entry: Mapping[str, Any]) -> None:
        if self.journal is None:
            self.recorder._journal_failed = True  # kept in memory: written again at the end
            return
        try:
            self.journal.write(entry)
        except (OSError, ValueError) as e:
            self._journal_failed(e)

    def frames(self, batch: list[_Frame]) -> None:
        if self.audio_failed_at_s is not None or "folder" in self.recorder.failed:
            return
        try:
            for frame in batch:
                before = self.audio.frames if self.audio is not None else 0
                self._frame(frame)
                assert self.audio is not None
                self.since_checkpoint += self.audio.frames - before
            if self.audio is not None and self.since_checkpoint >= self.recorder._checkpoint_s * self.audio.sample_rate:
                self.audio.checkpoint()
                self.since_checkpoint = 0
        except Exception as e:  # OSError, soundfile.LibsndfileError (a RuntimeError): full or read-only disk
            self.audio_failed_at_s = batch[0].start_s if self.audio is None else self.audio.duration_s
            self.recorder._failed("audio", e)
            self._close_audio()

    def _frame(self, item: _Frame) -> None:
        if self.audio is None:
            self.audio = AudioFileWriter(self.folder / AUDIO_FILE, sample_rate=item.sample_rate)
            self.entry({"kind": "audio_started", "created_at": time.time(), "sample_rate": item.sample_rate})
        audio = self.audio
        samples = np.frombuffer(item.pcm, dtype=np.int16)
        if item.channels > 1:
            samples = samples.reshape(-1, item.channels)[:, 0]
        if item.sample_rate != audio.sample_rate:
            samples, self.resampler = _resample(samples, item.sample_rate, audio.sample_rate, self.resampler)
        gap = round(item.start_s * audio.sample_rate) - audio.frames
        if gap > len(samples):  # keep the file on the session clock if frames ever went missing
            audio.write(np.zeros(gap, dtype=np.int16))
        audio.write(samples)

    def finish(self, audio_s: float) -> None:
        """The end: note the audio the recording lacks after a failure, before the journal closes."""
        if self.audio_failed_at_s is not None:
            at_s = self.audio_failed_at_s
            entry = {
                "kind": "recording_gap",
                "created_at": time.time(),
                "at_s": at_s,
                "duration_s": max(0.0, audio_s - at_s),
                "reason": "audio_failed",
            }
            self.recorder._entries.append(entry)
            self.entry(entry)
            ended = {"kind": "audio_failed", "created_at": time.time(), "at_s": at_s}
            self.recorder._entries.append(ended)
            self.entry(ended)

    def _close_audio(self) -> None:
        audio, self.audio = self.audio, None
        if audio is not None:
            try:
                audio.close()
            except Exception:
                logger.warning("call audio could not be closed", extra={"call_id": self.recorder.call_id})

    def close(self) -> None:
        self._close_audio()
        if self.journal is not None:
            try:
                self.journal.close()
            except OSError as e:
                self._journal_failed(e)

    def rewrite_journal(self, entries: list[dict[str, Any]]) -> None:
        """Write the whole journal again from memory (the disk may have room again at the end of the call)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            journal = JournalWriter(self.folder / (JOURNAL_FILE + ".tmp"))
            try:
                for entry in entries:
                    journal.write(entry)
            finally:
                journal.close()
            (self.folder / (JOURNAL_FILE + ".tmp")).replace(self.folder / JOURNAL_FILE)
        except OSError:
            logger.error("call record could not be written", extra={"call_id": self.recorder.call_id})
            return
        self.recorder.failed.discard("journal")
        self.recorder.failed.discard("folder")
        self.recorder._journal_failed = False
        logger.info("call record written at the end of the call", extra={"call_id": self.recorder.call_id})


def _resample(samples: Any, from_rate: int, to_rate: int, resampler: Any) -> tuple[Any, Any]:
    from livekit import rtc

    if resampler is None or resampler[0] != from_rate:
        resampler = (from_rate, rtc.AudioResampler(from_rate, to_rate, num_channels=1))
    frame = rtc.AudioFrame(samples.tobytes(), from_rate, 1, len(samples))
    out = [np.frombuffer(f.data, dtype=np.int16) for f in resampler[1].push(frame)]
    return (np.concatenate(out) if out else np.zeros(0, dtype=np.int16)), resampler
