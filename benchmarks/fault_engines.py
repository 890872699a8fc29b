"""Fault-injecting STT engines for ``bench_faults.py``: a scripted engine behind a LiveKit ``stt.STT`` that breaks
the way a vendor's engine does on a bad day.

:class:`FaultyEngine` wraps a :class:`~sidecar_stt.testing.ScriptedEngine` (what the engine hears) and a
:class:`Fault` (how it breaks). Each of its streams opens a stream of the scripted engine and passes frames in and
speech events out, so a working stream hears exactly what the script says. Faults are keyed to the audio a stream
was given (``at_s`` on the session clock, as the scripted engine's own times) and, once fired, last for a wall
duration (a vendor outage is measured in seconds of wall time, not of audio).

The engine records what it saw, from the engine's side only: when the fault fired and ended, when a stream
opened after the fault first took audio (the engine is back), how many streams were opened, how much audio sat
pushed but unread in its streams' own input, and how many of its closes are still hanging.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from livekit import rtc
from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, APIConnectionError, APIConnectOptions, stt
from livekit.agents.types import NOT_GIVEN, NotGivenOr, TimedString

from sidecar_stt.testing import ScriptedEngine

FaultKind = Literal["none", "raise", "push_raises", "outage", "hang", "malformed", "close_hangs", "permanent"]

Mutator = Callable[[stt.SpeechEvent], stt.SpeechEvent]


@dataclass(frozen=True)
class Fault:
    """How and when an engine breaks.

    ``kind``:
      * ``raise``: the stream that reaches ``at_s`` raises ``error()`` from its iteration, once.
      * ``push_raises``: from ``at_s`` on, for ``duration_s`` of wall time, ``push_frame`` raises ``error()`` on every
        call, in that stream and in every stream opened meanwhile.
      * ``outage``: the stream that reaches ``at_s`` raises ``error()``; for ``duration_s`` of wall time every new
        stream raises it as it connects (``duration_s=inf``: the vendor never comes back).
      * ``hang``: the stream that reaches ``at_s`` stops reading audio and never speaks or fails again.
      * ``malformed``: the first final at or after ``at_s`` is replaced by ``mutate(final)``, once.
      * ``close_hangs``: as ``raise``, and every close of the engine's streams hangs until the case ends.
      * ``permanent``: every stream raises ``error()`` as it connects (a revoked key).
    """

    kind: FaultKind = "none"
    at_s: float = 0.0
    error: Callable[[], BaseException] = lambda: APIConnectionError("vendor connection lost")
    duration_s: float = 0.0
    mutate: Mutator | None = None


@dataclass
class FaultRecord:
    """What the engine saw (wall times from ``time.monotonic()``)."""

    fired_t: float | None = None
    fault_end_t: float | None = None
    back_t: float | None = None
    """First audio taken by a working stream opened after the fault fired."""
    streams_opened: int = 0
    connects_refused: int = 0
    pushes_refused: int = 0
    backlog_max_s: float = 0.0
    """Most audio pushed into the engine's open streams and not yet read by them (the streams' own input)."""
    closes_hanging: int = 0
    closes_hanging_max: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def fired(self) -> bool:
        return self.fired_t is not None

    @property
    def recover_s(self) -> float | None:
        if self.back_t is None or self.fault_end_t is None:
            return None
        return max(0.0, self.back_t - self.fault_end_t)


class FaultyEngine(stt.STT[Any]):
    """A streaming engine that hears what ``inner`` hears and breaks as ``fault`` says."""

    def __init__(self, inner: ScriptedEngine, fault: Fault) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=True))
        self.inner = inner
        self.fault = fault
        self.record = FaultRecord()
        self._open: list[FaultyStream] = []

    @property
    def model(self) -> str:
        return "faulty"

    @property
    def provider(self) -> str:
        return "bench-faults"

    async def _recognize_impl(
        self,
        buffer: Any,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> stt.SpeechEvent:
        raise NotImplementedError("a streaming engine")

    def stream(
        self,
        *,
        language: NotGivenOr[str] = NOT_GIVEN,
        conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    ) -> FaultyStream:
        self.record.streams_opened += 1
        stream = FaultyStream(engine=self, conn_options=conn_options)
        self._open.append(stream)
        return stream

    # -- the fault's clock -----------------------------------------------------------------------------------

    def fire(self) -> None:
        rec = self.record
        if rec.fired_t is None:
            rec.fired_t = time.monotonic()
            if self.fault.kind in ("outage", "push_raises"):
                end = rec.fired_t + self.fault.duration_s
                rec.fault_end_t = end if math.isfinite(end) else None
            else:
                rec.fault_end_t = rec.fired_t

    def in_window(self) -> bool:
        """The outage or push failure window is open now."""
        rec = self.record
        if rec.fired_t is None:
            return False
        return rec.fault_end_t is None or time.monotonic() < rec.fault_end_t

    def note_backlog(self) -> None:
        backlog = sum(s.backlog_s for s in self._open if not s.closed)
        self.record.backlog_max_s = max(self.record.backlog_max_s, backlog)


class FaultyStream(stt.RecognizeStream):
    """One stream of a :class:`FaultyEngine`."""

    def __init__(self, *, engine: FaultyEngine, conn_options: APIConnectOptions) -> None:
        super().__init__(stt=engine, conn_options=conn_options)
        self._engine = engine
        self._opened_t = time.monotonic()
        self._pushed_s = 0.0
        self._read_s = 0.0
        self.closed = False

    @property
    def backlog_s(self) -> float:
        return self._pushed_s - self._read_s

    def _audio_s(self) -> float:
        return self.start_time_offset + self._pushed_s

    def push_frame(self, frame: rtc.AudioFrame) -> None:
        engine = self._engine
        fault = engine.fault
        if fault.kind == "push_raises":
            if not engine.record.fired and self._audio_s() >= fault.at_s:
                engine.fire()
            if engine.in_window():
                engine.record.pushes_refused += 1
                raise fault.error()
        super().push_frame(frame)
        self._pushed_s += frame.samples_per_channel / frame.sample_rate
        engine.note_backlog()

    async def aclose(self) -> None:
        engine = self._engine
        if engine.fault.kind == "close_hangs":
            engine.record.closes_hanging += 1
            engine.record.closes_hanging_max = max(engine.record.closes_hanging_max, engine.record.closes_hanging)
            try:
                await engine.record.release.wait()  # a vendor close that never completes (until the case ends)
            finally:
                engine.record.closes_hanging -= 1
        self.closed = True
        await super().aclose()

    async def _run(self) -> None:
        engine = self._engine
        fault = engine.fault
        rec = engine.record
        if fault.kind == "permanent" or (fault.kind == "outage" and engine.in_window()):
            engine.fire()
            rec.connects_refused += 1
            raise fault.error()
        hung = False
        inner = engine.inner.stream()
        inner.start_time_offset = self.start_time_offset
        audio_s = self.start_time_offset

        async def forward_audio() -> None:
            nonlocal audio_s, hung
            async for item in self._input_ch:
                if isinstance(item, rtc.AudioFrame):
                    duration_s = item.samples_per_channel / item.sample_rate
                    self._read_s += duration_s
                    if rec.back_t is None and rec.fired and not engine.in_window() and not hung:
                        fresh = rec.fired_t is not None and self._opened_t > rec.fired_t
                        if fresh or fault.kind == "push_raises":
                            rec.back_t = time.monotonic()
                    if audio_s + duration_s > fault.at_s and not rec.fired:
                        if fault.kind in ("raise", "outage", "close_hangs"):
                            engine.fire()
                            raise fault.error()
                        if fault.kind == "hang":
                            engine.fire()
                            hung = True
                            await asyncio.Event().wait()  # silent for good: reads nothing, says nothing
                    audio_s += duration_s
                    inner.push_frame(item)
                else:
                    inner.flush()
            inner.end_input()

        async def forward_speech() -> None:
            async for ev in inner:
                if hung:
                    continue
                if (
                    fault.kind == "malformed"
                    and fault.mutate is not None
                    and not rec.fired
                    and ev.type == stt.SpeechEventType.FINAL_TRANSCRIPT
                    and ev.alternatives
                    and ev.alternatives[0].end_time >= fault.at_s
                ):
                    engine.fire()
                    ev = fault.mutate(ev)
                self._event_ch.send_nowait(ev)

        tasks = [asyncio.create_task(forward_audio()), asyncio.create_task(forward_speech())]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await inner.aclose()


# -- malformed finals ---------------------------------------------------------------------------------------


def _first(ev: stt.SpeechEvent) -> stt.SpeechData:
    return ev.alternatives[0]


def alternatives_none(ev: stt.SpeechEvent) -> stt.SpeechEvent:
    ev.alternatives = [None]  # type: ignore[list-item]  # what a vendor's broken payload decodes to
    return ev


def metadata_list(ev: stt.SpeechEvent) -> stt.SpeechEvent:
    _first(ev).metadata = ["nbest", 3]  # type: ignore[assignment]
    return ev


def nan_confidence(ev: stt.SpeechEvent) -> stt.SpeechEvent:
    for alt in ev.alternatives:
        alt.confidence = float("nan")
    return ev


def absurd_times(ev: stt.SpeechEvent) -> stt.SpeechEvent:
    alt = _first(ev)
    alt.start_time, alt.end_time = -30.0, 1e9
    return ev


def huge_word_list(n: int) -> Mutator:
    """A final whose word list holds ``n`` timed words (the text stays the heard one)."""

    def mutate(ev: stt.SpeechEvent) -> stt.SpeechEvent:
        alt = _first(ev)
        step = max(1e-4, (alt.end_time - alt.start_time) / n)
        spoken = alt.text.split() or ["ja"]
        alt.words = [
            TimedString(
                spoken[i % len(spoken)], start_time=alt.start_time + i * step, end_time=alt.start_time + (i + 1) * step
            )
            for i in range(n)
        ]
        return ev

    return mutate
