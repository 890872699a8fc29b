"""EngineRunner on its own: overflow is counted and reported, and silence keeps the engine's clock in step."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from livekit import rtc

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
