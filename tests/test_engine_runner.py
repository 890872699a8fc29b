"""EngineRunner on its own: overflow is counted and reported, and silence keeps the engine's clock in step."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import numpy as np
import pytest
from livekit import rtc
from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, LanguageCode, stt

from sidecar_stt.adapters.livekit.engine_runner import EngineRunner
from sidecar_stt.core.segment import Segment
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance

pytestmark = pytest.mark.livekit

SR = 16000


def frame(value: int) -> rtc.AudioFrame:
    pcm = np.full(320, value, dtype=np.int16)
    return rtc.AudioFrame(pcm.tobytes(), SR, 1, 320)


async def test_overflow_is_counted_reported_and_filled_with_silence() -> None:
    engine = ScriptedEngine([ScriptedUtterance(start_s=1.0, end_s=1.4, text="ja", delay_s=0.0)])
    segments: list[Segment] = []
    drops: list[Any] = []
    runner = EngineRunner(
        "azure",
        engine,
        on_segment=segments.append,
        on_failure=lambda ev: None,
        on_drop=drops.append,
        clock=lambda: 0.0,
        vad_model=None,
        queue_max_s=0.2,  # ten 20 ms frames
        replay_max_s=60.0,
        backoff_s=(0.01, 0.1),
        max_restarts=1,
        feed_interval_s=0.01,
    )
    # the engine is not running yet: frames 10..29 overflow the queue
    for i in range(30):
        runner.offer(frame(1), i * 0.02)
    assert runner.stats.frames_in == 10 and runner.stats.frames_dropped == 20
    runner.start()
    await asyncio.sleep(0.05)
    # after the queue drained, the next frame is accepted and the overflow episode is reported once
    for i in range(30, 100):
        runner.offer(frame(1), i * 0.02)
        if i % 5 == 4:  # bursts of 5 frames (0.1 s), each handed over before the next: no second overflow
            while runner.pushed_end_s < (i + 1) * 0.02 - 1e-9:
                await asyncio.sleep(0.005)
    await asyncio.sleep(0.2)
    await runner.aclose()
    assert len(drops) == 1 and drops[0].count == 20 and drops[0].duration_s == pytest.approx(0.4)
    received = np.frombuffer(engine.received_audio(), dtype=np.int16)
    # 80 frames of audio plus 0.4 s of silence in place of the dropped ones: the engine heard 2.0 s, as the caller said
    assert len(received) == 100 * 320
    assert not received[10 * 320 : 30 * 320].any() and received[30 * 320 :].all()
    finals = [s for s in segments if s.is_final]
    assert [s.text for s in finals] == ["ja"] and finals[0].start_s == pytest.approx(1.0)


def make_runner(engine: Any, segments: list[Segment], **kwargs: Any) -> EngineRunner:
    options: dict[str, Any] = {
        "on_segment": segments.append,
        "on_failure": lambda ev: None,
        "on_drop": lambda ev: None,
        "clock": lambda: 0.0,
        "vad_model": None,
        "queue_max_s": 10.0,
        "replay_max_s": 60.0,
        "backoff_s": (0.01, 0.05),
        "max_restarts": 2,
        "feed_interval_s": 0.01,
    }
    options.update(kwargs)
    return EngineRunner("azure", engine, **options)


def tone(rate: int, ms: int = 20) -> rtc.AudioFrame:
    n = rate * ms // 1000
    pcm = (3000 * np.sin(np.arange(n) / rate * 2 * np.pi * 300)).astype(np.int16)
    return rtc.AudioFrame(pcm.tobytes(), rate, 1, n)


async def feed(runner: EngineRunner, frames: list[rtc.AudioFrame], start_s: float = 0.0) -> float:
    for f in frames:
        runner.offer(f, start_s)
        start_s += f.samples_per_channel / f.sample_rate
        await asyncio.sleep(0)
    return start_s


class _GarbageStream(stt.RecognizeStream):
    def __init__(self, engine: _GarbageEngine, events: list[stt.SpeechEvent]) -> None:
        super().__init__(stt=engine, conn_options=DEFAULT_API_CONNECT_OPTIONS)
        self._events = events

    async def _run(self) -> None:
        async for _ in self._input_ch:
            while self._events:
                self._event_ch.send_nowait(self._events.pop(0))


class _GarbageEngine(stt.STT[Any]):
    def __init__(self, events: list[stt.SpeechEvent]) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=True, interim_results=False))
        self._events = events

    async def _recognize_impl(self, buffer: Any, *, language: Any = None, conn_options: Any = None) -> Any:
        raise NotImplementedError

    def stream(self, *, language: Any = None, conn_options: Any = DEFAULT_API_CONNECT_OPTIONS) -> _GarbageStream:
        return _GarbageStream(self, self._events)


def final(text: Any, start: Any, end: Any) -> stt.SpeechEvent:
    data = stt.SpeechData(language=LanguageCode("nb"), text="x", start_time=0.0, end_time=0.0)
    object.__setattr__(data, "text", text)
    data.start_time, data.end_time = start, end
    return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT, alternatives=[data])


async def test_malformed_engine_events_are_dropped_or_clamped_and_counted_never_fatal() -> None:
    events = [
        final(None, 0.1, 0.5),
        final(42, 0.1, 0.5),
        final("ni", math.nan, 0.5),
        final("to", 0.4, 0.2),
        final("tre", 0.1, 1e12),
        final("fire", -3.0, 0.3),
        final("fem", 0.2, 0.6),
    ]
    segments: list[Segment] = []
    repairs: list[Any] = []
    runner = make_runner(_GarbageEngine(events), segments, on_repair=repairs.append)
    runner.start()
    await feed(runner, [tone(16000) for _ in range(60)])
    await asyncio.sleep(0.2)
    await runner.aclose()
    assert not runner.stats.failed
    assert [s.text for s in segments] == ["ni", "to", "tre", "fire", "fem"]
    assert all(0.0 <= s.start_s <= s.end_s <= 1.2 for s in segments)
    assert segments[-1].start_s == pytest.approx(0.2) and segments[-1].end_s == pytest.approx(0.6)
    assert [(r.action, r.total) for r in repairs] == [
        ("dropped", 1),
        ("dropped", 2),
        ("clamped", 3),
        ("clamped", 4),
        ("clamped", 5),
        ("clamped", 6),
    ]
    assert runner.stats.repaired == 6


async def test_a_sample_rate_change_reopens_the_stream_at_the_new_rate_without_losing_audio() -> None:
    engine = ScriptedEngine([ScriptedUtterance(start_s=0.5, end_s=1.5, text="ni to", delay_s=0.0)])
    segments: list[Segment] = []
    runner = make_runner(engine, segments)
    runner.start()
    at_s = await feed(runner, [tone(24000) for _ in range(50)])  # 1.0 s at 24 kHz
    await asyncio.sleep(0.05)
    await feed(runner, [tone(16000) for _ in range(50)], at_s)  # then 1.0 s at 16 kHz
    await asyncio.sleep(0.3)
    await runner.aclose()
    assert not runner.stats.failed and runner.stats.rate_changes == 1 and runner.stats.restarts == 0
    finals = [s for s in segments if s.is_final]
    assert [s.text for s in finals] == ["ni to"] and finals[0].start_s == pytest.approx(0.5)
    assert engine.streams_started == 2
    assert runner.pushed_end_s == pytest.approx(2.0, abs=0.02)


async def test_past_the_quick_restarts_the_engine_is_restarted_slower_never_given_up() -> None:
    engine = ScriptedEngine([], fail_at_s=0.2, failures=3)
    segments: list[Segment] = []
    failures: list[Any] = []
    runner = make_runner(engine, segments, on_failure=failures.append, max_restarts=2, slow_backoff_max_s=0.2)
    runner.start()
    await feed(runner, [tone(16000) for _ in range(25)])
    for _ in range(100):
        if len(failures) == 3:
            break
        await asyncio.sleep(0.02)
    await runner.aclose()
    assert [(f.attempt, f.will_restart, f.fault) for f in failures] == [(i, True, "transient") for i in (1, 2, 3)]
    assert not runner.stats.failed and runner.stats.restarts == 3
    # quick waits 0.01, 0.02 (backoff_s), then the slow one: 0.05 doubled (capped at 0.2)
    assert [f.backoff_s for f in failures] == pytest.approx([0.01, 0.02, 0.1])


class _HangingCloseEngine(ScriptedEngine):
    def stream(self, **kwargs: Any) -> Any:
        inner = super().stream(**kwargs)
        original = inner.aclose

        async def hang() -> None:
            await original()
            await asyncio.Event().wait()

        inner.aclose = hang  # type: ignore[method-assign]
        return inner


async def test_a_stream_whose_close_hangs_is_abandoned_and_the_runner_goes_on() -> None:
    engine = _HangingCloseEngine(
        [ScriptedUtterance(start_s=0.6, end_s=0.8, text="ja", delay_s=0.0)], fail_at_s=0.2, failures=1
    )
    segments: list[Segment] = []
    drops: list[Any] = []
    runner = make_runner(engine, segments, close_timeout_s=0.1, on_drop=drops.append, queue_max_s=5.0)
    runner.start()
    await feed(runner, [tone(16000) for _ in range(60)])
    await asyncio.sleep(0.5)
    assert runner.stats.abandoned_streams == 1 and not runner.stats.failed
    assert [s.text for s in segments if s.is_final] == ["ja"]
    await asyncio.wait_for(runner.aclose(), 3.0)
    assert drops == [] and runner.stats.frames_dropped == 0


async def test_an_overflow_is_reported_while_it_lasts_and_at_close() -> None:
    engine = ScriptedEngine([])
    drops: list[Any] = []
    runner = make_runner(engine, [], on_drop=drops.append, queue_max_s=0.1, drop_report_s=0.05)
    # never started: every frame past the queue overflows, as with a wedged engine
    for i in range(20):
        runner.offer(frame(1), i * 0.02)
    await asyncio.sleep(0.08)
    assert len(drops) == 1 and drops[0].ongoing and drops[0].count == 15
    for i in range(20, 25):
        runner.offer(frame(1), i * 0.02)
    await runner.aclose()
    assert drops[-1].ongoing and sum(d.count for d in drops) == 20 == runner.stats.frames_dropped
