"""The tap benchmark measures the whole process: a thread that spins beside the sidecar (as BLAS worker threads
did, off the loop thread) moves its ``cpu_ratio``, though the sidecar's own loop-thread time does not see it; and
the optional parts a run switches (keypad tones, recording, on-demand) reach the sidecar."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from benchmark_module import load_benchmark

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]


bench = load_benchmark("bench_tap")


@contextlib.contextmanager
def spinning_thread() -> Iterator[None]:
    """A thread that burns CPU, sleeping a little now and then so the loop keeps its pace."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            end = time.thread_time() + 0.004
            while time.thread_time() < end:
                pass
            time.sleep(0.001)

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def short_texts(rng: random.Random) -> list[str]:
    return [rng.choice(["ja, det stemmer", "nei takk", "hei, jeg ringer om en bestilling"])]


async def test_a_thread_spinning_beside_the_sidecar_moves_the_cpu_ratio() -> None:
    rng = random.Random(3)
    plain = await bench.measure(1, 1.0, rng, texts=short_texts)
    spun = await bench.measure(1, 1.0, rng, texts=short_texts, warm_up=False, load=spinning_thread)
    assert plain.result_line().startswith("RESULT cpu_ratio=")
    assert spun.ratios[0] > plain.ratios[0] + 2.0  # the spinner's CPU is in the call's, per audio second
    assert spun.own_share[0] < 0.5  # the sidecar's own loop-thread time does not hold it
    # the engine's own work is timed and taken out of the call with a sidecar
    assert plain.engine_excluded_line().startswith("RESULT cpu_ratio_engine_excluded=")
    assert 0 < plain.engine[0] < plain.with_sidecar[0]
    assert plain.ratios_engine_excluded[0] < plain.ratios[0]
    # the engine's stream tasks hold its speech check and more (its scheduling, events, LiveKit's machinery)
    assert 0 < plain.speech_check[0] < plain.engine[0]


async def test_only_the_engine_streams_tasks_are_timed_as_the_engines() -> None:
    timer = bench.EngineTasks()

    async def burn() -> None:
        began = time.thread_time()
        while time.thread_time() - began < 0.05:
            pass

    with timer.installed():
        await asyncio.create_task(burn())  # not an engine's task
    assert timer.cpu_s == 0.0
    rng = random.Random(5)
    texts = short_texts(rng)
    pcms = [bench.synthesize_speech(t, voice="nb", rate_wpm=170) for t in texts]
    *_, engine = await bench.one_call(1, texts, pcms, 1.0, contextlib.nullcontext)
    assert engine.cpu_s > engine.speech_check_s > 0
    *_, none = await bench.one_call(0, texts, pcms, 1.0, contextlib.nullcontext)
    assert none.cpu_s == 0.0  # a call without a sidecar has no engine


async def test_the_optional_parts_reach_the_sidecar(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bool, bool, bool]] = []
    attach = bench.Sidecar.attach

    async def noting(self: Any, *args: Any, **kwargs: Any) -> None:
        seen.append((self.options.keypad_tones, self.options.on_demand, self._recorder is not None))
        await attach(self, *args, **kwargs)

    monkeypatch.setattr(bench.Sidecar, "attach", noting)
    rng = random.Random(4)
    for parts in (bench.Parts(), bench.Parts(keypad_tones=False, recording=True, on_demand=True)):
        texts = short_texts(rng)
        pcms = [bench.synthesize_speech(t, voice="nb", rate_wpm=170) for t in texts]
        await bench.one_call(1, texts, pcms, 1.0, contextlib.nullcontext, parts)
    assert seen == [(True, False, False), (False, True, True)]
