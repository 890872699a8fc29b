"""``EngineRunner``: feeds one sidecar engine from the tap, turns its speech events into ledger segments, and
restarts it when it fails.

The tap hands every frame to :meth:`EngineRunner.offer`, which never blocks: frames wait in a bounded queue
and are dropped (and counted) when the engine falls behind. They reach the engine in batches every
``feed_interval_s``: one wake-up per batch keeps the tap's cost per frame tiny.

The runner keeps the audio since the engine's last final. When the engine's stream fails or closes, it is
reopened after a backoff and that audio is replayed into the new stream, so no speech is lost. Each stream's
``start_time_offset`` is set to its first frame's session time (LiveKit's convention), so engines that honour
it report session times directly.

A non-streaming STT (Whisper, ...) is wrapped in LiveKit's ``stt.StreamAdapter`` with a VAD. Such an engine
reports times relative to its VAD segment; the runner places its finals with the spans the VAD itself measured
(:class:`~.vad_spans.SpanRecordingVAD`).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from livekit import rtc
from livekit.agents import APIConnectOptions, APIError, stt, vad

from ...core.segment import Alternative, Segment, Word
from ...errors import EngineError
from ...log import logger
from .events import EngineFailedEvent, FramesDroppedEvent
from .vad_spans import SpanRecordingVAD

__all__ = ["EngineRunner", "EngineStats"]

# the runner owns retries (with replay); LiveKit's in-stream retry would lose the audio it had consumed
_NO_RETRY = APIConnectOptions(max_retry=0, timeout=10.0)
# a stream that ran this long before failing resets the restart count and backoff
_HEALTHY_AFTER_S = 30.0


@dataclass
class EngineStats:
    """Counters of one engine since the sidecar attached."""

    frames_in: int = 0
    frames_dropped: int = 0
    restarts: int = 0
    finals: int = 0
    failed: bool = False
    audio_sent_s: float = 0.0
    """Seconds of audio pushed to the engine, replays included: what a cloud engine bills."""
    transcript_s: float = 0.0
    """Seconds of caller audio covered by the engine's finals kept in the ledger: the transcript stored."""


class EngineRunner:
    """Runs one engine beside the realtime model. Created and driven by :class:`~sidecar_stt.Sidecar`."""

    def __init__(
        self,
        name: str,
        engine: stt.STT[Any],
        *,
        on_segment: Callable[[Segment], None],
        on_failure: Callable[[EngineFailedEvent], None],
        on_drop: Callable[[FramesDroppedEvent], None],
        clock: Callable[[], float],
        vad_model: vad.VAD | None,
        queue_max_s: float,
        replay_max_s: float,
        backoff_s: tuple[float, float],
        max_restarts: int,
        feed_interval_s: float = 0.1,
    ) -> None:
        self.name = name
        self.wrapped = not engine.capabilities.streaming
        if self.wrapped:
            if vad_model is None:
                raise ValueError("a non-streaming engine needs a VAD")
            self._vad_spans: SpanRecordingVAD | None = SpanRecordingVAD(vad_model)
            engine = stt.StreamAdapter(stt=engine, vad=self._vad_spans)
        else:
            self._vad_spans = None
        self.engine = engine
        self.stats = EngineStats()
        self._on_segment = on_segment
        self._on_failure = on_failure
        self._on_drop = on_drop
        self._clock = clock
        self._queue: deque[tuple[rtc.AudioFrame, float]] = deque()
        self._queue_max_s = queue_max_s
        self._queued_s = 0.0
        self._feed_interval_s = feed_interval_s
        self._frames_waiting = asyncio.Event()
        self._wake_scheduled = False
        self._replay: deque[tuple[rtc.AudioFrame, float]] = deque()
        self._replay_max_s = replay_max_s
        self._backoff_s = backoff_s
        self._max_restarts = max_restarts
        self._origin_s = 0.0  # session time of the current stream's first frame
        self._last_event_s = 0.0
        self._stalled: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pushed_end_s = 0.0  # session time of the end of the last frame pushed to the stream
        self._dropping = 0  # frames dropped in the current overflow episode
        self._dropped_s = 0.0
        self._segment_no = 0
        self._speech_start_s: float | None = None
        self._speech_end_s: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    # -- called by the tap (must never block) -------------------------------------------------------

    def offer(self, frame: rtc.AudioFrame, start_s: float) -> None:
        if self.stats.failed or self._closing:
            return
        duration_s = frame.samples_per_channel / frame.sample_rate
        if self._queued_s + duration_s > self._queue_max_s:
            self.stats.frames_dropped += 1
            self._dropping += 1
            self._dropped_s += duration_s
            return
        self._queue.append((frame, start_s))
        self._queued_s += duration_s
        self.stats.frames_in += 1
        if not self._wake_scheduled:
            # frames are handed to the engine in batches: one wake-up per interval instead of one per frame
            self._wake_scheduled = True
            asyncio.get_running_loop().call_later(self._feed_interval_s, self._wake_feeder)
        if self._dropping:
            self._on_drop(
                FramesDroppedEvent(
                    source=self.name,
                    count=self._dropping,
                    duration_s=self._dropped_s,
                    total=self.stats.frames_dropped,
                )
            )
            self._dropping, self._dropped_s = 0, 0.0

    def _wake_feeder(self) -> None:
        self._wake_scheduled = False
        self._frames_waiting.set()

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"sidecar-engine-{self.name}")

    async def aclose(self, *, drain_s: float = 1.0) -> None:
        """Stop feeding, give the engine up to ``drain_s`` to deliver the final it is working on, then stop."""
        self._closing = True
        if self._task is None:
            return
        self._frames_waiting.set()  # the feeder hands over what is queued, then ends the stream's input
        if not self.stats.failed:
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(asyncio.shield(self._task), drain_s)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    @property
    def pushed_end_s(self) -> float:
        """Session time up to which the engine has been given audio."""
        return self._pushed_end_s

    # -- the run loop ---------------------------------------------------------------------------------

    async def _run(self) -> None:
        attempt = 0
        while True:
            stream = self.engine.stream(conn_options=_NO_RETRY)
            opened_at = time.monotonic()
            try:
                # the stream begins at its first frame: the replay, else what is queued (audio buffered before the
                # engine was wanted), else where the last stream stopped
                origin_s = (
                    self._replay[0][1] if self._replay else self._queue[0][1] if self._queue else self._pushed_end_s
                )
                stream.start_time_offset = self._origin_s = origin_s
                for frame, start_s in list(self._replay):
                    stream.push_frame(frame)
                    self._pushed_end_s = start_s + frame.samples_per_channel / frame.sample_rate
                    self.stats.audio_sent_s += frame.samples_per_channel / frame.sample_rate
                self._frames_waiting.set()  # hand over whatever queued up meanwhile
                await self._pump(stream)
                return
            except asyncio.CancelledError:
                raise
            except Exception as e:  # an engine failure must never reach the session
                if self._closing:
                    return
                if time.monotonic() - opened_at > _HEALTHY_AFTER_S:
                    attempt = 0  # it ran well for a while: this is a new failure, not the same one again
                attempt += 1
                retryable = bool(getattr(e, "retryable", isinstance(e, APIError | OSError | TimeoutError)))
                will_restart = retryable and attempt <= self._max_restarts
                low, high = self._backoff_s
                backoff = min(high, low * 2 ** (attempt - 1))
                logger.warning(
                    "sidecar engine failed",
                    extra={"engine": self.name, "error": type(e).__name__, "will_restart": will_restart},
                )
                self._on_failure(
                    EngineFailedEvent(
                        source=self.name,
                        error=f"{type(e).__name__}: {e}",
                        retryable=retryable,
                        will_restart=will_restart,
                        attempt=attempt,
                        backoff_s=backoff,
                    )
                )
                if not will_restart:
                    self.stats.failed = True
                    return
                self.stats.restarts += 1
                self._speech_start_s = self._speech_end_s = None
                await asyncio.sleep(backoff)
            finally:
                await stream.aclose()

    def restart_stalled(self) -> None:
        """Treat the engine as failed (it heard a caller turn and said nothing): restart it with replay."""
        if not self._stalled.done():
            self._stalled.set_result(None)

    @property
    def last_event_s(self) -> float:
        """Session time (of the audio pushed so far) when the engine last produced any event."""
        return self._last_event_s

    async def _pump(self, stream: stt.RecognizeStream) -> None:
        reader = asyncio.create_task(self._read(stream))
        feeder = asyncio.create_task(self._feed(stream))
        self._stalled = asyncio.get_running_loop().create_future()
        try:
            done, _ = await asyncio.wait({reader, feeder, self._stalled}, return_when=asyncio.FIRST_COMPLETED)
            if self._stalled in done:
                raise EngineError("engine stalled: no transcript for a whole caller turn", retryable=True)
            for task in done:
                task.result()  # re-raise the engine's failure
            if self._closing:
                await reader  # the finals of the last audio
                return
            # the engine closed its stream while audio keeps coming: a disconnect
            raise EngineError("engine stream ended unexpectedly", retryable=True)
        finally:
            for task in (reader, feeder):
                task.cancel()
            await asyncio.gather(reader, feeder, return_exceptions=True)

    async def _feed(self, stream: stt.RecognizeStream) -> None:
        while True:
            await self._frames_waiting.wait()
            self._frames_waiting.clear()
            while self._queue:
                frame, start_s = self._queue.popleft()
                duration_s = frame.samples_per_channel / frame.sample_rate
                self._queued_s = max(0.0, self._queued_s - duration_s)
                gap_s = start_s - self._pushed_end_s
                if gap_s > duration_s / 2 and self._pushed_end_s > 0:
                    # frames were dropped: silence in their place keeps the engine's clock on the session's
                    self._push(stream, _silence_like(frame, gap_s), self._pushed_end_s)
                self._push(stream, frame, start_s)
            self._trim_replay()
            if self._closing:
                stream.end_input()
                return

    def _push(self, stream: stt.RecognizeStream, frame: rtc.AudioFrame, start_s: float) -> None:
        self._replay.append((frame, start_s))
        try:
            stream.push_frame(frame)
        except RuntimeError as e:  # LiveKit raises this once the stream's task has ended
            raise EngineError("engine stream closed unexpectedly", retryable=True) from e
        self._pushed_end_s = start_s + frame.samples_per_channel / frame.sample_rate
        self.stats.audio_sent_s += frame.samples_per_channel / frame.sample_rate

    async def _read(self, stream: stt.RecognizeStream) -> None:
        async for ev in stream:
            self._last_event_s = self._pushed_end_s
            if ev.type == stt.SpeechEventType.START_OF_SPEECH:
                self._speech_start_s = self._pushed_end_s
                self._speech_end_s = None
            elif ev.type == stt.SpeechEventType.END_OF_SPEECH:
                self._speech_end_s = self._pushed_end_s
                if self._vad_spans is not None and self._vad_spans.spans:
                    # the adapter's VAD segment, exactly, on the session clock
                    start, end = self._vad_spans.spans.popleft()
                    self._speech_start_s, self._speech_end_s = self._origin_s + start, self._origin_s + end
            elif ev.type in (stt.SpeechEventType.INTERIM_TRANSCRIPT, stt.SpeechEventType.FINAL_TRANSCRIPT):
                final = ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT
                segment = self._segment(ev, final=final)
                if segment is not None:
                    self._on_segment(segment)
                if final:
                    self.stats.finals += 1
                    self._segment_no += 1
                    self._forget_replay_before(segment.end_s if segment else self._pushed_end_s)

    # -- helpers --------------------------------------------------------------------------------------

    def _segment(self, ev: stt.SpeechEvent, *, final: bool) -> Segment | None:
        if not ev.alternatives or not any(a.text.strip() for a in ev.alternatives):
            return None
        first = ev.alternatives[0]
        if self.wrapped or first.end_time <= 0.0:
            # times relative to a VAD segment (or none at all): use the span seen through the adapter
            start_s = self._speech_start_s if self._speech_start_s is not None else self._pushed_end_s
            end_s = self._speech_end_s if self._speech_end_s is not None else self._pushed_end_s
            shift = start_s
        else:
            start_s, end_s, shift = first.start_time, first.end_time, 0.0
        alternatives = tuple(_alternative(a, shift=shift) for a in ev.alternatives if a.text.strip())
        return Segment(
            source=self.name,
            segment_id=f"{self.name}-{self._segment_no + 1}",
            start_s=start_s,
            end_s=max(end_s, start_s),
            is_final=final,
            alternatives=alternatives,
            received_s=self._clock(),
        )

    def _trim_replay(self) -> None:
        while self._replay and self._replay[-1][1] - self._replay[0][1] > self._replay_max_s:
            self._replay.popleft()

    def _forget_replay_before(self, end_s: float) -> None:
        # a frame that straddles the final's end belongs to the final: replay starts after it
        while self._replay and self._replay[0][1] < end_s:
            self._replay.popleft()


def _silence_like(frame: rtc.AudioFrame, duration_s: float) -> rtc.AudioFrame:
    samples = max(1, round(duration_s * frame.sample_rate))
    return rtc.AudioFrame(bytes(samples * frame.num_channels * 2), frame.sample_rate, frame.num_channels, samples)


def _alternative(data: stt.SpeechData, *, shift: float) -> Alternative:
    words: list[Word] = []
    for w in data.words or ():
        start = getattr(w, "start_time", None)
        end = getattr(w, "end_time", None)
        if isinstance(start, float | int) and isinstance(end, float | int):
            conf = getattr(w, "confidence", None)
            words.append(
                Word(
                    text=str(w),
                    start_s=float(start) + shift,
                    end_s=float(end) + shift,
                    confidence=float(conf) if isinstance(conf, float | int) else None,
                )
            )
    confidence = data.confidence if data.confidence > 0 else None
    return Alternative(
        text=data.text.strip(), confidence=confidence, words=tuple(words), metadata=dict(data.metadata or {})
    )
