"""``EngineRunner``: feeds one sidecar engine from the tap, turns its speech events into ledger segments, and
restarts it when it fails.

The tap hands every frame to :meth:`EngineRunner.offer`, which never blocks: frames wait in a bounded queue
and are dropped (and counted) when the engine falls behind. They reach the engine in batches every
``feed_interval_s``: the timer set by the batch's first frame hands the batch to the stream itself (no task
to wake), which keeps the cost per frame tiny.

The runner keeps the audio since the engine's last final. When the engine's stream fails or closes, it is
reopened after a backoff and that audio is replayed into the new stream, so no speech is lost. Each stream's
``start_time_offset`` is set to its first frame's session time (LiveKit's convention), so engines that honour
it report session times directly.

Every failure is classified (:func:`~sidecar_stt.core.engine_faults.classify_fault`). A transient one (network,
protocol, decode, anything unexpected from the stream, in the live feed or in the replay at reopen) restarts the
stream after the :class:`~sidecar_stt.core.restart_budget.RestartBudget`'s wait, for as long as the call lasts:
quick restarts first (``max_restarts`` in a row, or within ``restart_window_s``), then ever slower ones up to
``slow_backoff_max_s`` apart — but no wait lasts longer than the quick ones' longest while transcription is
``wanted`` (a capture is open, a read waits: :meth:`EngineRunner.hurry`). While it is down the engine keeps the
newest ``queue_max_s`` of audio (the oldest gives way), and once an outage outlasts that only this newest audio is
replayed at each attempt. The engine is *back* (``on_recovered``) once a restarted stream delivers an event or
has read most of the audio pushed to it for :data:`RECOVERED_AFTER_S` without failing. A permanent fault
(authentication, quota, configuration, an error that says it is not retryable) gives the engine up at once, with
its reason.

A change of the caller's sample rate is not a failure: the stream is reopened at the new rate and the audio since
the last final is replayed into it, resampled. Memory stays bounded under any engine: the runner's queue holds at
most ``queue_max_s``; a stream that stops taking audio (its own input channel holding more than ``queue_max_s``
beyond the replay it was given) is taken for hung and restarted, caller turn or not (the pool's stall watchdog
asks :meth:`EngineRunner.restart_stalled` sooner, after a caller turn it said nothing of); a stream whose ``aclose()``
does not return within ``close_timeout_s`` is abandoned, and no new stream opens while
:data:`MAX_ABANDONED_STREAMS` are still closing. Malformed engine output is repaired or dropped and counted
(``on_repair``), never fatal (:mod:`~sidecar_stt.core.engine_output` reads it, bounded). Frames dropped by an
overflow are reported when the overflow ends, every ``drop_report_s`` while it lasts, and at close.

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
from typing import Any, Literal

from livekit import rtc
from livekit.agents import APIConnectOptions, stt, vad

from ...core.engine_faults import classify_fault
from ...core.engine_output import number, read_alternatives, time_problem
from ...core.restart_budget import RestartBudget
from ...core.segment import Segment
from ...errors import EngineError
from ...log import logger
from .audio_format import resampled, silence_like
from .engine_stats import EngineStats
from .events import EngineFailedEvent, EngineOutputRepairedEvent, EngineRecoveredEvent, FramesDroppedEvent
from .frame_queue import FrameQueue
from .vad_spans import SpanRecordingVAD

__all__ = ["MAX_ABANDONED_STREAMS", "RECOVERED_AFTER_S", "STALLED_INPUT_S", "EngineRunner"]

# the runner owns retries (with replay); LiveKit's in-stream retry would lose the audio it had consumed
_NO_RETRY = APIConnectOptions(max_retry=0, timeout=10.0)
RECOVERED_AFTER_S = 3.0
"""A restarted stream that took audio this long (wall clock) without failing counts as back."""
MAX_ABANDONED_STREAMS = 3
"""Streams whose close hung that may be pending at once; the engine waits for one to end before opening another."""
STALLED_INPUT_S = 1.0
"""Audio a stream holds unread (in its own input) when it counts as no longer taking audio: a stream that takes
audio hands each batch on within milliseconds."""


class _RateChanged(Exception):
    """The caller's frames changed sample rate: reopen the stream at the new rate (not a failure)."""


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
        restart_window_s: float = 60.0,
        close_timeout_s: float = 2.0,
        drop_report_s: float = 1.0,
        on_repair: Callable[[EngineOutputRepairedEvent], None] | None = None,
        on_heard: Callable[[float], None] | None = None,
        on_recovered: Callable[[EngineRecoveredEvent], None] | None = None,
        slow_backoff_max_s: float = 30.0,
        wanted: Callable[[], bool] | None = None,
        segment_id_suffix: str = "",
    ) -> None:
        """``on_heard(end_s)`` is told, after each batch handed to the stream, up to where the engine has now been
        given audio. ``wanted()`` says whether transcription is wanted now (a capture is open, a read waits): a
        failed engine then waits at most ``backoff_s[1]`` before its restart (:meth:`hurry` makes it look again).
        ``segment_id_suffix`` is appended to every segment id (a later runner of the same engine numbers its
        segments from 1 again: the suffix keeps their ids apart)."""
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
        self._clock = clock
        self._queue = FrameQueue(
            queue_max_s, source=name, stats=self.stats, on_drop=on_drop, report_every_s=drop_report_s
        )
        self._feed_interval_s = feed_interval_s
        self._wake_scheduled = False
        self._stream: stt.RecognizeStream | None = None  # the stream being fed, while its pump runs
        self._input_done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        """Of the current stream: done when its input ended (closing), or with the failure of a hand-over."""
        self._replay: deque[tuple[rtc.AudioFrame, float]] = deque()
        self._replay_max_s = replay_max_s
        self._budget = RestartBudget(
            backoff_min_s=backoff_s[0],
            backoff_max_s=backoff_s[1],
            slow_max_s=slow_backoff_max_s,
            quick_restarts=max_restarts,
            window_s=restart_window_s,
        )
        self._down_since: float | None = None  # monotonic time of the first failure of the current outage
        self._down_from_s = 0.0  # session time up to which the engine had been given audio when it went down
        self._wanted = wanted
        self._wake = asyncio.Event()  # set when the wait before a restart is to be looked at again
        self._silence_restarted = False  # a stall restart of a stream that took its audio, since the engine spoke
        self._opened_at = 0.0  # monotonic time the current stream opened
        self._replay_pushed = 0  # frames of replay the current stream was given at open
        self._frames_to_stream = 0  # frames pushed into the current stream, replay included
        self._close_timeout_s = close_timeout_s
        self._on_repair = on_repair
        self._on_heard = on_heard
        self._on_recovered = on_recovered
        self._segment_id_suffix = segment_id_suffix
        self._abandoned: set[asyncio.Task[None]] = set()
        self._stream_rate = 0  # sample rate of the frames the current stream was given
        self._frame_s = 0.0  # duration of the last frame pushed
        self.cpu_s = 0.0
        """CPU seconds spent feeding the engine and handling its events (ledger writes included)."""
        self._origin_s = 0.0  # session time of the current stream's first frame
        self._last_event_s = 0.0
        self._stalled: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pushed_end_s = 0.0  # session time of the end of the last frame pushed to the stream
        self._segment_no = 0
        self._speech_start_s: float | None = None
        self._speech_end_s: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    # -- called by the tap (must never block) -------------------------------------------------------

    def offer(self, frame: rtc.AudioFrame, start_s: float) -> None:
        if self.stats.failed or self._closing:
            return
        # an engine that is down keeps the newest audio (the caller's latest words, what a capture reads)
        keep_newest = self._down_since is not None and self._stream is None
        if self._queue.offer(frame, start_s, keep_newest=keep_newest) and not self._wake_scheduled:
            # frames are handed to the engine in batches: one wake-up per interval instead of one per frame
            self._wake_scheduled = True
            asyncio.get_running_loop().call_later(self._feed_interval_s, self._deliver_due)

    def _deliver_due(self) -> None:
        self._wake_scheduled = False
        self._deliver()

    def _deliver(self) -> None:
        """Hand what is queued to the current stream (if one is open), and end its input when closing; a failure
        ends the stream's pump, which restarts it."""
        stream = self._stream
        if stream is None or self._input_done.done():
            return  # between streams: the next one is given the queue when it opens
        began = time.thread_time()
        try:
            heard_s = self._pushed_end_s
            self._hand_over(stream)
            if self._on_heard is not None and self._pushed_end_s > heard_s:
                self._on_heard(self._pushed_end_s)
            if self._down_since is not None and self._keeps_up(stream):
                self._back()
            if self._closing:
                stream.end_input()
                self._input_done.set_result(None)
        except Exception as e:  # the pump re-raises it: the stream is restarted or the engine given up
            self._input_done.set_exception(e)
        finally:
            self.cpu_s += time.thread_time() - began

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"sidecar-engine-{self.name}")

    async def aclose(self, *, drain_s: float = 1.0) -> None:
        """Stop feeding, give the engine up to ``drain_s`` to deliver the final it is working on, then stop."""
        self._closing = True
        self._queue.report_ongoing()  # an overflow still running at close
        if self._task is None:
            return
        self._deliver()  # hand over what is queued, then end the stream's input
        if not self.stats.failed:
            done, _ = await asyncio.wait({self._task}, timeout=drain_s)
            if not done:
                logger.info("sidecar engine did not finish its last final in time", extra={"engine": self.name})
            elif not self._task.cancelled() and self._task.exception() is not None:
                error = self._task.exception()
                logger.warning(
                    "sidecar engine failed while closing", extra={"engine": self.name, "error": type(error).__name__}
                )
        self._task.cancel()
        done, _ = await asyncio.wait({self._task}, timeout=self._close_timeout_s + 0.5)
        if not done:
            logger.warning("sidecar engine runner did not stop; abandoned", extra={"engine": self.name})
        for task in self._abandoned:
            task.cancel()

    @property
    def pushed_end_s(self) -> float:
        """Session time up to which the engine has been given audio."""
        return self._pushed_end_s

    # -- the run loop ---------------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._wait_for_abandoned_closes()
            try:
                stream = self.engine.stream(conn_options=_NO_RETRY)
            except Exception as e:  # opening is part of the engine: its failure is classified like any other
                if self._closing or not await self._recover(e):
                    return
                continue
            try:
                self._open(stream)
                await self._pump(stream)
                return
            except asyncio.CancelledError:
                raise
            except _RateChanged:
                self.stats.rate_changes += 1
                logger.info("caller audio changed sample rate; engine stream reopened", extra={"engine": self.name})
                self._speech_start_s = self._speech_end_s = None
            except Exception as e:  # an engine failure must never reach the session
                if self._closing:
                    return
                if not await self._recover(e):
                    return
            finally:
                await self._close_stream(stream)

    def _open(self, stream: stt.RecognizeStream) -> None:
        """Start a stream where the engine's last final ended: replay the audio since then (at the rate of the
        frames waiting now, so a rate change loses nothing); after an outage longer than ``queue_max_s``, only the
        newest ``queue_max_s`` of it."""
        if self._down_since is not None:
            self._forget_stale_audio()
        rate = self._queue[0][0].sample_rate if self._queue else self._stream_rate
        if rate and self._replay and any(f.sample_rate != rate for f, _ in self._replay):
            self._replay = deque(resampled(self._replay, rate))
        self._stream_rate = rate or (self._replay[0][0].sample_rate if self._replay else 0)
        # the stream begins at its first frame: the replay, else what is queued (audio buffered before the engine
        # was wanted, on demand), else where the last stream stopped
        origin_s = self._replay[0][1] if self._replay else self._queue[0][1] if self._queue else self._pushed_end_s
        stream.start_time_offset = self._origin_s = origin_s
        if not self._replay:
            self._pushed_end_s = origin_s  # the stream's clock starts at its first frame: no silence before it
        self._opened_at = time.monotonic()
        self._replay_pushed = self._frames_to_stream = len(self._replay)
        for frame, start_s in list(self._replay):
            _push_frame(stream, frame)
            self._frame_s = frame.samples_per_channel / frame.sample_rate
            self._pushed_end_s = start_s + self._frame_s
            self.stats.audio_sent_s += self._frame_s
        if self._on_heard is not None and self._replay:
            self._on_heard(self._pushed_end_s)

    def _forget_stale_audio(self) -> None:
        """An engine down for longer than ``queue_max_s`` of audio is not given the whole outage again at each
        attempt: of its replay and its queue, only the newest ``queue_max_s`` stays (the caller's latest words,
        what a capture can still use). A shorter outage keeps all of it, the speech cut by the failure included."""
        if self._queue:
            frame, start_s = self._queue[-1]
            newest_s = start_s + frame.samples_per_channel / frame.sample_rate
        else:
            newest_s = self._pushed_end_s
        horizon_s = newest_s - self._queue.max_s
        if horizon_s > self._down_from_s:
            self._forget_replay_before(horizon_s)

    async def _recover(self, error: Exception) -> bool:
        """Report a failed stream; wait and return ``True`` to restart it, or ``False`` when it is given up."""
        fault = classify_fault(error)
        now = time.monotonic()
        wait_s = self._budget.next_wait(now) if fault == "transient" else None
        will_restart = wait_s is not None
        if self._down_since is None:
            self._down_since, self._down_from_s = now, self._pushed_end_s
        logger.warning(
            "sidecar engine failed",
            extra={"engine": self.name, "error": type(error).__name__, "fault": fault, "will_restart": will_restart},
        )
        self._on_failure(
            EngineFailedEvent(
                source=self.name,
                error=_describe(error),
                retryable=fault == "transient",
                will_restart=will_restart,
                attempt=max(1, self._budget.failures_in_a_row),
                backoff_s=wait_s or 0.0,
                fault=fault,
            )
        )
        if wait_s is None:
            self.stats.failed = True
            return False
        self.stats.restarts += 1
        self._speech_start_s = self._speech_end_s = None
        await self._wait_before_restart(wait_s)
        return True

    async def _wait_before_restart(self, wait_s: float) -> None:
        """Wait ``wait_s``, or less once transcription is wanted (:meth:`RestartBudget.wait_left`)."""
        began = time.monotonic()
        while True:
            wanted = self._wanted is not None and self._wanted()
            left_s = self._budget.wait_left(wait_s, time.monotonic() - began, wanted=wanted)
            if left_s <= 0:
                return
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), left_s)

    def hurry(self) -> None:
        """Transcription is wanted now: an engine waiting to be restarted looks at its wait again (it is restarted
        within ``backoff_s[1]`` of its failure, at once if that has passed)."""
        self._wake.set()

    def _back(self) -> None:
        """A restarted stream works: the engine is back."""
        if self._down_since is None:
            return
        attempts, down_s = self._budget.failures_in_a_row, time.monotonic() - self._down_since
        self._down_since = None
        self._budget.recovered()
        self.stats.recoveries += 1
        logger.info("sidecar engine recovered", extra={"engine": self.name, "attempts": attempts})
        if self._on_recovered is not None:
            self._on_recovered(EngineRecoveredEvent(source=self.name, attempts=attempts, down_s=down_s))

    async def _wait_for_abandoned_closes(self) -> None:
        """Hold the next stream back while :data:`MAX_ABANDONED_STREAMS` hung closes are pending: each holds its
        stream's memory until it ends."""
        while len(self._abandoned) >= MAX_ABANDONED_STREAMS:
            logger.warning(
                "sidecar engine streams do not close; waiting before opening another", extra={"engine": self.name}
            )
            await asyncio.wait(set(self._abandoned), return_when=asyncio.FIRST_COMPLETED)

    async def _close_stream(self, stream: stt.RecognizeStream) -> None:
        """Close a stream; one whose close hangs is left behind (and cancelled at the runner's close)."""
        closing = asyncio.ensure_future(stream.aclose())
        try:
            done, _ = await asyncio.wait({closing}, timeout=self._close_timeout_s)
        except asyncio.CancelledError:
            closing.cancel()
            raise
        if not done:
            closing.cancel()  # asked to stop; it stays counted until it does
            self.stats.abandoned_streams += 1
            self._abandoned.add(closing)
            closing.add_done_callback(self._abandoned.discard)
            logger.warning("sidecar engine stream did not close in time; abandoned", extra={"engine": self.name})
        elif not closing.cancelled() and closing.exception() is not None:
            error = closing.exception()
            logger.info(
                "sidecar engine stream failed to close", extra={"engine": self.name, "error": type(error).__name__}
            )

    def restart_stalled(self) -> bool:
        """The engine heard a caller turn whole and said nothing: restart its stream with replay if it stopped
        taking audio (it holds more than :data:`STALLED_INPUT_S` unread), or if it took the audio and this is the
        first such silence since the engine last spoke. Returns whether the stream is restarted.

        A stream that takes audio and says nothing is either a connection that stopped answering (a vendor whose
        socket still accepts what is sent) or an engine that heard no words in the turn; nothing the runner sees
        tells them apart but a restart: a stream that was stuck answers its replay, one that heard nothing stays
        silent and is left alone until it speaks again (restarting it after every turn would only resend audio)."""
        stream = self._stream
        if stream is None or self._stalled.done():
            return False  # between streams: already being restarted
        if self._unread_s(stream) <= STALLED_INPUT_S:
            if self._silence_restarted:
                logger.debug("sidecar engine silent again after a restart; not restarted", extra={"engine": self.name})
                return False
            self._silence_restarted = True
        self._stalled.set_result(None)
        return True

    def _unread_s(self, stream: stt.RecognizeStream) -> float:
        """Seconds of audio pushed into ``stream`` that it has not taken yet."""
        return _input_backlog(stream) * self._frame_s

    @property
    def last_event_s(self) -> float:
        """Session time (of the audio pushed so far) when the engine last produced any event."""
        return self._last_event_s

    async def _pump(self, stream: stt.RecognizeStream) -> None:
        """Feed ``stream`` (from the timer that :meth:`offer` sets) and read its events until it ends or fails."""
        loop = asyncio.get_running_loop()
        self._stalled = loop.create_future()
        self._input_done = input_done = loop.create_future()
        self._stream = stream
        reader = asyncio.create_task(self._read(stream))
        try:
            self._deliver()  # what queued up while the stream opened
            done, _ = await asyncio.wait({reader, input_done, self._stalled}, return_when=asyncio.FIRST_COMPLETED)
            if self._stalled in done:
                raise EngineError("engine stalled: no transcript for a whole caller turn", retryable=True)
            for finished in done:
                finished.result()  # re-raise the engine's failure
            if self._closing:
                await reader  # the finals of the last audio
                return
            # the engine closed its stream while audio keeps coming: a disconnect
            raise EngineError("engine stream ended unexpectedly", retryable=True)
        finally:
            self._stream = None
            if input_done.done():
                input_done.exception()  # a hand-over's failure is this stream's, reported or superseded
            else:
                input_done.cancel()
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)

    def _hand_over(self, stream: stt.RecognizeStream) -> None:
        """Push every queued frame (silence in place of dropped ones) into the stream."""
        while self._queue:
            rate = self._queue[0][0].sample_rate
            if self._stream_rate == 0:
                self._stream_rate = rate  # a fresh stream takes the rate of its first frame
            elif rate != self._stream_rate:
                raise _RateChanged()
            frame, start_s = self._queue.popleft()
            duration_s = frame.samples_per_channel / frame.sample_rate
            gap_s = start_s - self._pushed_end_s
            if gap_s > duration_s / 2 and self._pushed_end_s > 0:
                # frames were dropped: silence in their place keeps the engine's clock on the session's
                self._push(stream, silence_like(frame, gap_s), self._pushed_end_s)
            self._push(stream, frame, start_s)
        self._trim_replay()
        self._check_stream_takes_audio(stream)

    def _keeps_up(self, stream: stt.RecognizeStream) -> bool:
        """Whether a restarted stream has worked for :data:`RECOVERED_AFTER_S`: it took most of the audio it was
        given (a stream that accepts pushes but never reads them is not back)."""
        if time.monotonic() - self._opened_at < RECOVERED_AFTER_S:
            return False
        return _input_backlog(stream) * 2 <= self._frames_to_stream

    def _check_stream_takes_audio(self, stream: stt.RecognizeStream) -> None:
        """Raise when the stream's own input holds more than ``queue_max_s`` beyond its replay: it stopped taking
        audio (hung), and would otherwise hold every frame of the call."""
        backlog = _input_backlog(stream)
        self._replay_pushed = min(self._replay_pushed, backlog)  # the replay it took no longer excuses a backlog
        waiting = backlog - self._replay_pushed
        if waiting <= 0 or not self._replay:
            return
        frame = self._replay[-1][0]
        if waiting * frame.samples_per_channel / frame.sample_rate > self._queue.max_s:
            self.stats.hung_streams += 1
            raise EngineError("engine stream stopped taking audio", retryable=True)

    def _push(self, stream: stt.RecognizeStream, frame: rtc.AudioFrame, start_s: float) -> None:
        self._replay.append((frame, start_s))
        _push_frame(stream, frame)
        self._frames_to_stream += 1
        self._frame_s = frame.samples_per_channel / frame.sample_rate
        self._pushed_end_s = start_s + self._frame_s
        self.stats.audio_sent_s += self._frame_s

    async def _read(self, stream: stt.RecognizeStream) -> None:
        async for ev in stream:
            began = time.thread_time()
            try:
                self._back()
                self._take_event(ev)
            finally:
                self.cpu_s += time.thread_time() - began

    def _take_event(self, ev: stt.SpeechEvent) -> None:
        self._last_event_s = self._pushed_end_s
        self._silence_restarted = False
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
            try:
                segment = self._segment(ev, final=final)
            except Exception as e:  # whatever else is wrong with the event: drop it, never fail the engine
                self._repair(f"unreadable event ({type(e).__name__})", "dropped")
                segment = None
            if segment is not None:
                self._on_segment(segment)
            if final:
                self.stats.finals += 1
                self._segment_no += 1
                self._forget_replay_before(segment.end_s if segment else self._pushed_end_s)

    # -- helpers --------------------------------------------------------------------------------------

    def _segment(self, ev: stt.SpeechEvent, *, final: bool) -> Segment | None:
        fallback_start = self._speech_start_s if self._speech_start_s is not None else self._pushed_end_s
        fallback_end = self._speech_end_s if self._speech_end_s is not None else self._pushed_end_s
        raw = ev.alternatives
        first = raw[0] if isinstance(raw, list | tuple) and raw else None
        start_s, end_s = number(getattr(first, "start_time", None)), number(getattr(first, "end_time", None))
        if self.wrapped or first is None or end_s == 0.0:
            # times relative to a VAD segment (or none at all): use the span seen through the adapter
            start_s, end_s, shift = fallback_start, fallback_end, fallback_start
        else:
            shift = 0.0
            problem = time_problem(start_s, end_s, latest_s=self._pushed_end_s)
            if problem is not None:
                self._repair(problem, "clamped")
                start_s, end_s = min(fallback_start, fallback_end), fallback_end
        read = read_alternatives(raw, shift_s=shift, latest_s=self._pushed_end_s)
        if read.problems:
            self._repair("; ".join(read.problems), "dropped")
        if not read.alternatives:
            return None
        return Segment(
            source=self.name,
            segment_id=f"{self.name}-{self._segment_no + 1}{self._segment_id_suffix}",
            start_s=start_s,
            end_s=max(end_s, start_s),
            is_final=final,
            alternatives=read.alternatives,
            received_s=self._clock(),
        )

    def _repair(self, reason: str, action: Literal["dropped", "clamped"]) -> None:
        self.stats.repaired += 1
        logger.warning("sidecar engine sent a malformed event", extra={"engine": self.name, "reason": reason})
        if self._on_repair is not None:
            self._on_repair(
                EngineOutputRepairedEvent(source=self.name, reason=reason, action=action, total=self.stats.repaired)
            )

    def _trim_replay(self) -> None:
        while self._replay and self._replay[-1][1] - self._replay[0][1] > self._replay_max_s:
            self._replay.popleft()

    def _forget_replay_before(self, end_s: float) -> None:
        # a frame that straddles the final's end belongs to the final: replay starts after it
        while self._replay and self._replay[0][1] < end_s:
            self._replay.popleft()


def _describe(error: BaseException) -> str:
    """``Type: message``; an exception whose ``str()`` itself fails is named by its type."""
    try:
        return f"{type(error).__name__}: {error}"
    except Exception:
        return type(error).__name__


def _push_frame(stream: stt.RecognizeStream, frame: rtc.AudioFrame) -> None:
    try:
        stream.push_frame(frame)
    except RuntimeError as e:  # LiveKit raises this once the stream's task has ended
        raise EngineError("engine stream closed unexpectedly", retryable=True) from e


def _input_backlog(stream: stt.RecognizeStream) -> int:
    """Frames pushed into ``stream`` that its task has not taken yet (LiveKit 1.8's ``_input_ch``; 0 when the
    stream keeps its input elsewhere)."""
    qsize = getattr(getattr(stream, "_input_ch", None), "qsize", None)
    size = qsize() if callable(qsize) else 0
    return size if isinstance(size, int) else 0
