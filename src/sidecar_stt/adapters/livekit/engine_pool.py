"""``EnginePool``: when the sidecar's engines run — the whole call (always-on) or only when wanted (on-demand).

Always-on: every engine streams the whole call from :meth:`EnginePool.start` on.

On-demand: no engine holds a vendor connection until transcription is wanted (:meth:`EnginePool.listen`: the
agent asks for a number, a capture opens, a transcript tool is called, ``CapturePhoneNumberTask`` starts, or the
app calls ``sidecar.listen()``; :class:`~.listen_policy.ListenPolicy` decides). Meanwhile the caller's audio waits
in an :class:`~.audio_ring.AudioRing`. When wanted, each engine gets a fresh :class:`~.engine_runner.EngineRunner`
whose queue is filled with the window — the buffered frames from the window's start (the caller's recent turn for
a transcript reader, just before now when the agent asked) — before it starts, so the engine hears the window as
fast as it takes audio, then the live frames follow. Audio an engine already heard in an earlier listening period
is not sent again. Each :meth:`listen` holds the engines for ``grace_s``; they are released when that has passed
and ``is_held()`` (an open capture, an answer still to come) is false: each is closed after delivering the final
it is working on.

The pool builds each engine's runner and wires it to the :class:`~.call_state.CallState`: segments go into the
call's ledger (and out as ``sidecar_transcript``), how far each engine has heard, whether it is recovering from a
failure and whether it failed for good go into the state's engine table (waking whoever waits on the engines),
failures, recoveries, drops and repairs out as events. A turn that
ends is checked, ``stall_timeout_s`` later, for engines that heard it whole and said nothing: a stream that stopped
taking audio is restarted, one that took it once per silence (a stuck connection answers its replay; an engine that
heard no words stays silent and is left alone). While a read waits or a capture is open, a failed engine is
restarted within ``restart_backoff_max_s`` (:meth:`EngineRunner.hurry`), not after the slow waits.
The grace and the answer wait run on the session clock.

Per-engine figures (:meth:`EnginePool.stats`) add up over every runner the engine had.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from livekit import rtc
from livekit.agents import stt, vad

from ...core.ledger import UserTurn
from ...core.segment import Segment
from ...log import logger
from .audio_ring import AudioRing
from .call_state import CallState
from .engine_runner import EngineRunner
from .engine_stats import EngineStats
from .events import EngineFailedEvent, EngineRecoveredEvent, FramesDroppedEvent, SidecarTranscriptEvent
from .listen_policy import ListenPolicy

__all__ = ["EnginePool"]


class EnginePool:
    """The engines of one call and when they run. Driven by :class:`~sidecar_stt.Sidecar` on the event loop."""

    def __init__(
        self,
        state: CallState,
        engines: Mapping[str, stt.STT[Any]],
        *,
        policy: ListenPolicy,
        vad_model: vad.VAD | None = None,
    ) -> None:
        options = state.options
        self._state = state
        self._engines = dict(engines)
        self._policy = policy
        self.vad_model = vad_model
        """The VAD a non-streaming engine is wrapped with (set before :meth:`start`)."""
        self.on_demand = options.on_demand
        self._ring = AudioRing(options.on_demand_buffer_s) if self.on_demand else None
        self._grace_s = options.on_demand_grace_s
        self.runners: dict[str, EngineRunner] = {}
        self._totals: dict[str, EngineStats] = {name: EngineStats() for name in self._engines}
        self._heard_until_s: dict[str, float] = {}
        self._audio_end_s = 0.0
        self._hold_until_s = 0.0  # session time
        self._readers = 0  # transcript reads waiting on the engines now
        self._release_timer: asyncio.TimerHandle | None = None
        self._releasing: set[asyncio.Task[None]] = set()
        self._retiring: list[EngineRunner] = []  # closing; their figures still count
        self._closed = False
        self.listen_count = 0
        """How many times listening began (0 in always-on mode)."""
        state.on_turn_ended(self._schedule_stall_check)

    # -- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Always-on: start every engine now. On-demand: nothing runs until :meth:`listen`."""
        if not self.on_demand:
            for name, engine in self._engines.items():
                self._run(name, self._new_runner(name, engine, 0.0), heard_from_s=0.0)

    async def aclose(self) -> None:
        self._closed = True
        if self._release_timer is not None:
            self._release_timer.cancel()
        runners = list(self.runners.values())
        self.runners = {}
        await asyncio.gather(*(self._retire(r) for r in runners), *self._releasing)

    def _new_runner(self, name: str, engine: stt.STT[Any], backlog_s: float) -> EngineRunner:
        """A runner for ``name`` wired to the call state; ``backlog_s`` of buffered audio will be queued before it
        starts."""
        options = self._state.options
        events = self._state.events
        return EngineRunner(
            name,
            engine,
            on_segment=self._store,
            on_failure=self._on_failure,
            on_drop=self._on_drop,
            clock=lambda: self._state.audio_s,
            vad_model=self.vad_model,
            queue_max_s=options.queue_max_s + backlog_s,
            replay_max_s=options.replay_max_s,
            backoff_s=(options.restart_backoff_min_s, options.restart_backoff_max_s),
            max_restarts=options.max_restarts,
            feed_interval_s=options.feed_interval_s,
            restart_window_s=options.restart_window_s,
            close_timeout_s=options.close_timeout_s,
            on_repair=lambda ev: events.emit("engine_output_repaired", ev),
            on_heard=lambda end_s: self._state.engine_heard(name, until_s=end_s),
            on_recovered=self._on_recovered,
            slow_backoff_max_s=options.restart_backoff_slow_s,
            wanted=self._transcription_wanted,
            # a new runner numbers its segments from 1 again: the listening period keeps the ids apart
            segment_id_suffix=f".{self.listen_count}" if self.listen_count > 1 else "",
        )

    def _run(self, name: str, runner: EngineRunner, *, heard_from_s: float) -> None:
        self.runners[name] = runner
        self._state.engine_started(name, heard_from_s=heard_from_s)
        runner.start()

    # -- what the runners report ----------------------------------------------------------------------

    def _store(self, segment: Segment) -> None:
        stored = self._state.ledger.add(segment)
        self._state.events.emit("sidecar_transcript", SidecarTranscriptEvent(segment=stored))

    def _on_failure(self, ev: EngineFailedEvent) -> None:
        if ev.will_restart:
            self._state.engine_recovering(ev.source)
        else:
            self._state.engine_failed(ev.source)
        self._state.events.emit("engine_failed", ev)

    def _on_recovered(self, ev: EngineRecoveredEvent) -> None:
        self._state.engine_recovered(ev.source)
        self._state.events.emit("engine_recovered", ev)

    def _on_drop(self, ev: FramesDroppedEvent) -> None:
        logger.warning(
            "sidecar engine fell behind; frames dropped",
            extra={"engine": ev.source, "count": ev.count, "total": ev.total},
        )
        self._state.events.emit("frames_dropped", ev)

    # -- audio ----------------------------------------------------------------------------------------

    def offer(self, frame: rtc.AudioFrame, start_s: float) -> None:
        """One tapped frame: into the ring (on-demand) and to every running engine."""
        self._audio_end_s = start_s + frame.samples_per_channel / frame.sample_rate
        if self._ring is not None:
            self._ring.append(frame, start_s)
        for runner in self.runners.values():
            try:
                runner.offer(frame, start_s)
            except Exception:  # one engine's trouble must not keep the frame from the others
                runner.stats.failed = True
                self._state.engine_failed(runner.name)
                logger.exception("sidecar engine runner failed; engine stopped", extra={"engine": runner.name})

    @property
    def buffered_s(self) -> float:
        """Seconds of audio in the ring (0 in always-on mode)."""
        return self._ring.duration_s if self._ring is not None else 0.0

    @property
    def buffered_bytes(self) -> int:
        return self._ring.nbytes if self._ring is not None else 0

    # -- on demand ------------------------------------------------------------------------------------

    @property
    def listening(self) -> bool:
        """Whether the engines are running."""
        return bool(self.runners)

    def listen(self, *, since_s: float | None = None) -> None:
        """Transcription is wanted: start the engines (if they are not running) with the buffered audio from
        ``since_s`` replayed (default: the policy's replay start), and hold them for ``grace_s`` of session time.
        Always-on: nothing to do."""
        if not self.on_demand or self._closed:
            return
        self._hold_until_s = max(self._hold_until_s, self._state.now_s() + self._grace_s)
        if not self.runners:
            self._start_listening(since_s)
        self._schedule_release_check(self._grace_s)

    @contextlib.contextmanager
    def wanted(self) -> Iterator[None]:
        """:meth:`listen`, and keep the engines for as long as the ``with`` block runs (a tool waiting for the
        engines to work through the window must not see them released under it)."""
        self.listen()
        self._readers += 1
        for runner in self.runners.values():
            runner.hurry()  # an engine waiting out a slow restart wait comes back while the read waits
        try:
            yield
        finally:
            self._readers -= 1
            if self.on_demand and not self._closed:
                self.listen()  # the grace counts from the end of the read

    def _transcription_wanted(self) -> bool:
        """Whether someone waits on the engines now (a read, an open capture): a failed engine is then restarted
        within ``restart_backoff_max_s``, not after the slow waits that spare a vendor that is down."""
        return self._readers > 0 or self._state.capture_open

    def _start_listening(self, since_s: float | None) -> None:
        assert self._ring is not None
        self.listen_count += 1
        ring_start = self._ring.start_s
        buffer_start_s = ring_start if ring_start is not None else self._audio_end_s
        window_s = self._policy.replay_start(buffer_start_s) if since_s is None else max(buffer_start_s, since_s)
        for name, engine in self._engines.items():
            # not what it heard before, but never from the middle of a caller turn
            since = self._policy.whole_turns(max(window_s, self._heard_until_s.get(name, 0.0)))
            window = self._ring.frames_from(since)
            backlog_s = sum(f.samples_per_channel / f.sample_rate for f, _ in window)
            runner = self._new_runner(name, engine, backlog_s)
            for frame, start_s in window:
                runner.offer(frame, start_s)
            self._run(name, runner, heard_from_s=window[0][1] if window else self._audio_end_s)
        logger.info("sidecar engines listening", extra={"engines": list(self.runners)})

    def _schedule_release_check(self, delay_s: float) -> None:
        if self._release_timer is not None:
            self._release_timer.cancel()
        self._release_timer = asyncio.get_running_loop().call_later(max(0.05, delay_s), self._check_release)

    def _check_release(self) -> None:
        self._release_timer = None
        if self._closed or not self.runners:
            return
        now_s = self._state.now_s()
        if self._readers or self._policy.is_held():
            self._hold_until_s = max(self._hold_until_s, now_s + self._grace_s)
        if now_s < self._hold_until_s:
            self._schedule_release_check(self._hold_until_s - now_s)
            return
        self.release()

    def release(self) -> None:
        """Stop the engines now (each delivers the final it is working on); the ring keeps buffering."""
        runners = list(self.runners.values())
        self.runners = {}
        for runner in runners:
            # every frame offered so far reaches the engine before its stream ends: it heard up to here
            self._heard_until_s[runner.name] = self._audio_end_s
            self._state.engine_stopped(runner.name)
            task = asyncio.get_running_loop().create_task(self._retire(runner))
            self._releasing.add(task)
            task.add_done_callback(self._releasing.discard)
        if runners:
            logger.info("sidecar engines released", extra={"engines": [r.name for r in runners]})

    async def _retire(self, runner: EngineRunner) -> None:
        self._retiring.append(runner)
        try:
            with contextlib.suppress(Exception):
                await runner.aclose()
        finally:
            self._retiring.remove(runner)
            _add(self._totals[runner.name], runner.stats)

    # -- stalls ---------------------------------------------------------------------------------------

    def _schedule_stall_check(self, ended: UserTurn) -> None:
        asyncio.get_running_loop().call_later(self._state.options.stall_timeout_s, self.check_stalls, ended)

    def check_stalls(self, turn: UserTurn) -> None:
        """Restart the engines that heard ``turn`` whole and said nothing since it began (run
        ``stall_timeout_s`` after each turn, and by a transcript read that waited for the turn in vain): a stream
        that stopped taking audio, or one that took it, once per silence (:meth:`EngineRunner.restart_stalled`)."""
        span = self._state.ledger.owned_span(turn.turn_id)
        if self._closed or span is None:
            return
        began_s, end_s = span
        if end_s is None:
            return
        for runner in self.runners.values():
            # a turn counts only if this engine heard it whole (on demand, it may have started after the turn)
            hearing = self._state.hearing[runner.name]
            heard_turn = hearing.heard_from_s <= began_s and hearing.heard_until_s >= end_s
            if not runner.stats.failed and heard_turn and runner.last_event_s <= began_s and runner.restart_stalled():
                logger.warning("sidecar engine stalled; restarting it", extra={"engine": runner.name})
                self._state.engine_recovering(runner.name)  # now: a read deciding whether to wait sees it

    # -- figures --------------------------------------------------------------------------------------

    def stats(self) -> dict[str, EngineStats]:
        """Per-engine counters over every runner the engine had (snapshots)."""
        out = {name: dataclasses.replace(total) for name, total in self._totals.items()}
        for runner in [*self._retiring, *self.runners.values()]:
            _add(out[runner.name], runner.stats)
        return out


def _add(total: EngineStats, part: EngineStats) -> None:
    """Add ``part``'s counters to ``total``; ``failed`` is the latest runner's."""
    for f in dataclasses.fields(EngineStats):
        value = getattr(part, f.name)
        if isinstance(value, bool):
            setattr(total, f.name, value)
        else:
            setattr(total, f.name, getattr(total, f.name) + value)
