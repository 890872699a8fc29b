"""Many sessions in one process: the realtime path's frame lateness and the process CPU with and without a
sidecar.

``--sessions`` offline calls (real AgentSession + RealtimeModel, each against its own FakeRealtimeServer on
loopback) start staggered in one event loop; each caller plays its utterances at real time from a paced input
that records how late every frame was handed to the session (the realtime path's lateness). Runs with a sidecar
(one ScriptedEngine per session) and without alternate in pairs; each run uses freshly drawn utterances. To quiet
the machine's own noise the process is pinned to fixed CPUs (``--cpus``, ``os.sched_setaffinity``), and the
figures are medians of the per-pair ratios over ``--repeats`` pairs. Printed per run: p50/p99/max frame
lateness, process CPU (every thread) while the callers play, the sidecars' own loop-thread CPU
(:attr:`Sidecar.cpu_s`) and the resident memory the run's sessions added (a lower bound after the first run:
memory an earlier run freed is used again).

Last line: ``RESULT lateness_p99_ratio=<with/without, median of pairs> min=<..> max=<..> p99_with_ms=<..>
p99_without_ms=<..> cpu_ratio=<process CPU with/without, median of pairs> cpu_ratio_min=<..> cpu_ratio_max=<..>
sidecar_own_share=<..> rss_mb_per_session_with=<..> rss_mb_per_session_without=<..>``
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import time
from typing import Any

import numpy as np
from livekit import rtc
from livekit.agents import Agent
from livekit.agents.voice import io
from livekit.plugins import openai

from sidecar_stt import Sidecar
from sidecar_stt.testing.audio import concat, pcm_to_frames, silence, synthesize_speech
from sidecar_stt.testing.io import CollectingAudioOutput
from sidecar_stt.testing.realtime_script import CallerTurn
from sidecar_stt.testing.realtime_server import FakeRealtimeServer
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import quiet_session

TEXTS = [
    "hei, jeg ringer om en bestilling",
    "nummeret mitt er nittito trettifire femtiseks syttiåtte",
    "ja, det stemmer",
    "jeg vil gjerne endre adressen min",
    "god dag, har dere ledige timer",
    "nei takk, det var alt",
]


class PacedInput(io.AudioInput):
    """Plays frames at real time and records how late each was handed over (seconds)."""

    def __init__(self, frames: list[rtc.AudioFrame], lateness: list[float]) -> None:
        super().__init__(label="PacedInput")
        self._frames = frames
        self._lateness = lateness
        self._index = 0
        self._played_s = 0.0
        self._t0: float | None = None

    async def __anext__(self) -> rtc.AudioFrame:
        if self._index >= len(self._frames):
            raise StopAsyncIteration
        loop = asyncio.get_running_loop()
        if self._t0 is None:
            self._t0 = loop.time()
        target = self._t0 + self._played_s
        await asyncio.sleep(max(0.0, target - loop.time()))
        self._lateness.append(max(0.0, loop.time() - target))
        frame = self._frames[self._index]
        self._index += 1
        self._played_s += frame.samples_per_channel / frame.sample_rate
        return frame


async def one_session(
    delay_s: float,
    texts: list[str],
    pcms: list[Any],
    with_sidecar: bool,
    lateness: list[float],
    phases: Phases,
) -> Sidecar | None:
    parts, spans, pos = [silence(0.3)], [], 0.3
    for pcm in pcms:
        spans.append((pos, pos + len(pcm) / 24000))
        parts.extend([pcm, silence(0.9)])
        pos += len(pcm) / 24000 + 0.9
    frames = pcm_to_frames(concat(parts), frame_ms=20)
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]
    async with FakeRealtimeServer(script) as server:
        model = openai.realtime.RealtimeModel(base_url=server.base_url, api_key="offline")
        session = quiet_session(model)
        session.output.audio = CollectingAudioOutput()
        sidecar = None
        if with_sidecar:
            engine = ScriptedEngine(
                [ScriptedUtterance(start_s=a, end_s=b, text=t) for (a, b), t in zip(spans, texts, strict=True)],
                record_audio=False,
            )
            sidecar = Sidecar({"engine": engine})
        try:
            await session.start(Agent(instructions="Du er en resepsjonist."))
            await phases.arrive_started()  # every session is up before any caller speaks (starting blocks the loop)
            await asyncio.sleep(delay_s)
            paced = PacedInput(frames, lateness)
            session.input.audio = paced
            if sidecar is not None:
                await sidecar.attach(session)
            await server.wait_for_turns(len(texts), timeout_s=120)
            await phases.arrive_done()  # nobody closes while others still play
        finally:
            if sidecar is not None:
                await sidecar.aclose()
            await session.aclose()
            await model.aclose()
    return sidecar


class Phases:
    """Two meeting points for the sessions of one run: all started, all done."""

    def __init__(self, n: int) -> None:
        self._n = n
        self._started = 0
        self._done = 0
        self.all_started = asyncio.Event()
        self.all_done = asyncio.Event()
        self.play_began = 0.0

    async def arrive_started(self) -> None:
        self._started += 1
        if self._started == self._n:
            self.play_began = time.process_time()
            self.all_started.set()
        await self.all_started.wait()

    async def arrive_done(self) -> None:
        self._done += 1
        if self._done == self._n:
            self.all_done.set()
        await self.all_done.wait()


def rss_mb() -> float:
    """The process's resident memory now, in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


async def one_run(
    n: int, stagger_s: float, with_sidecar: bool, rng: random.Random, cache: dict[str, Any]
) -> dict[str, float]:
    lateness: list[float] = []
    calls = []
    phases = Phases(n)
    rss0 = rss_mb()
    for i in range(n):
        texts = rng.sample(TEXTS, 2)
        pcms = [cache.setdefault(t, synthesize_speech(t, voice="nb", rate_wpm=170)) for t in texts]
        calls.append(one_session(i * stagger_s, texts, pcms, with_sidecar, lateness, phases))
    cpu_done = 0.0
    rss_started = 0.0

    async def note_phases() -> None:
        nonlocal cpu_done, rss_started
        await phases.all_started.wait()
        rss_started = rss_mb()
        await phases.all_done.wait()
        cpu_done = time.process_time()

    sidecars, _ = await asyncio.gather(asyncio.gather(*calls), note_phases())
    ms = np.array(lateness) * 1000.0
    return {
        "p50": float(np.percentile(ms, 50)),
        "p99": float(np.percentile(ms, 99)),
        "max": float(ms.max()),
        "cpu": cpu_done - phases.play_began,
        "sidecar": sum(s.cpu_s for s in sidecars if s is not None),
        "rss_mb": (rss_started - rss0) / n,
        "frames": float(len(ms)),
    }


def spread(values: list[float]) -> str:
    return f"median={statistics.median(values):.3f} min={min(values):.3f} max={max(values):.3f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--stagger-s", type=float, default=0.2)
    parser.add_argument("--repeats", type=int, default=5, help="pairs of runs (without, with a sidecar)")
    parser.add_argument(
        "--cpus", default=None, help="CPUs to pin the process to, e.g. 1 or 0,1 (default: those allowed at start)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    cpus = {int(c) for c in args.cpus.split(",")} if args.cpus else os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    print(f"pinned to CPUs {sorted(os.sched_getaffinity(0))}; {args.sessions} sessions; {args.repeats} pairs")
    rng = random.Random(11)
    cache: dict[str, Any] = {}
    await one_run(2, 0.0, True, rng, cache)  # warm-up
    runs: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    for _ in range(args.repeats):
        for with_sidecar in (False, True):
            r = await one_run(args.sessions, args.stagger_s, with_sidecar, rng, cache)
            runs[with_sidecar].append(r)
            label = "with" if with_sidecar else "without"
            line = (
                f"{label:7s} sidecar: frames={int(r['frames'])} lateness p50={r['p50']:.2f} ms p99={r['p99']:.2f} ms "
                f"max={r['max']:.1f} ms process_cpu_s={r['cpu']:.2f} rss_mb_per_session={r['rss_mb']:.2f}"
            )
            if with_sidecar:
                line += f" sidecar_own_cpu_s={r['sidecar']:.3f}"
            print(line, flush=True)
    pairs = list(zip(runs[True], runs[False], strict=True))
    lateness = [w["p99"] / max(wo["p99"], 1e-3) for w, wo in pairs]
    cpu = [w["cpu"] / wo["cpu"] for w, wo in pairs]
    print(f"p99 lateness with/without, per pair: {spread(lateness)}")
    print(f"process CPU with/without, per pair: {spread(cpu)}")

    def med(with_sidecar: bool, key: str) -> float:
        return statistics.median(r[key] for r in runs[with_sidecar])

    own = statistics.median(r["sidecar"] / r["cpu"] for r in runs[True])
    print(
        f"RESULT lateness_p99_ratio={statistics.median(lateness):.3f} min={min(lateness):.3f} max={max(lateness):.3f} "
        f"p99_with_ms={med(True, 'p99'):.2f} p99_without_ms={med(False, 'p99'):.2f} "
        f"cpu_ratio={statistics.median(cpu):.3f} cpu_ratio_min={min(cpu):.3f} cpu_ratio_max={max(cpu):.3f} "
        f"sidecar_own_share={own:.4f} rss_mb_per_session_with={med(True, 'rss_mb'):.2f} "
        f"rss_mb_per_session_without={med(False, 'rss_mb'):.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
