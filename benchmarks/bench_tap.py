"""Overhead of the sidecar tap on a live session.

Runs the same scripted offline call (real AgentSession + RealtimeModel against FakeRealtimeServer, caller audio
played at real time) without a sidecar, with one ScriptedEngine and with three, and prints the process CPU
seconds per second of caller audio for each. ScriptedEngine does almost no work of its own, so the difference is
the tap, the queues and the ledger. One warm-up call runs first (one-time imports and schema building), then each
configuration runs ``--repeats`` times, interleaved, and the median counts.

Last line: ``RESULT tap_overhead_ratio=<1 engine / none> tap_overhead_ratio_3=<3 engines / none> frames_dropped=<n>``
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import time
from typing import Any

from livekit.agents import Agent

from sidecar_stt import Sidecar
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

TEXTS = [
    "hei, jeg ringer om en bestilling jeg gjorde i forrige uke",
    "nummeret mitt er nittito trettifire femtiseks syttiåtte",
    "ja, det stemmer, tusen takk for hjelpen",
    "nei, det var alt for i dag, ha det bra",
]


async def one_call(n_engines: int, pcms: list[Any], speed: float) -> tuple[float, float, int]:
    spans = planned_spans(pcms)
    engines = {
        f"engine{i}": ScriptedEngine(
            [ScriptedUtterance(start_s=a, end_s=b, text=t) for (a, b), t in zip(spans, TEXTS, strict=True)],
            record_audio=False,
        )
        for i in range(n_engines)
    }
    script = [CallerTurn(transcript=t, reply="Mm.") for t in TEXTS]

    def agent(sidecar: Sidecar | None) -> Agent:
        return Agent(instructions="Du er en resepsjonist.")

    async with offline_call(script, agent=agent, engines=engines or None, speed=speed) as call:
        cpu0 = time.process_time()
        for i, pcm in enumerate(pcms, start=1):
            call.caller.say(pcm)
            await call.caller.wait_idle(timeout_s=60)
            await call.server.wait_for_turns(i, timeout_s=60)
        cpu = time.process_time() - cpu0
        audio_s = call.caller.audio_s
        dropped = sum(s.frames_dropped for s in call.sidecar.stats().values()) if call.sidecar else 0
    return cpu, audio_s, dropped


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--speed", type=float, default=1.0, help="caller audio pace (1.0 = real time)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    pcms = [synthesize_speech(t, voice="nb", rate_wpm=170) for t in TEXTS]
    await one_call(1, pcms, args.speed)  # warm-up, not counted
    runs: dict[int, list[float]] = {0: [], 1: [], 3: []}
    dropped_total = 0
    for _ in range(args.repeats):
        for n in (0, 1, 3):
            cpu, audio_s, dropped = await one_call(n, pcms, args.speed)
            per_s = cpu / audio_s
            runs[n].append(per_s)
            dropped_total += dropped
            print(f"engines={n} cpu_s={cpu:.3f} audio_s={audio_s:.2f} cpu_per_audio_s={per_s:.4f} dropped={dropped}")
    best = {n: statistics.median(values) for n, values in runs.items()}
    for n in (0, 1, 3):
        print(f"median engines={n}: {best[n]:.4f} CPU s per audio s")
    print(
        f"RESULT tap_overhead_ratio={best[1] / best[0]:.3f} tap_overhead_ratio_3={best[3] / best[0]:.3f} "
        f"frames_dropped={dropped_total}"
    )


if __name__ == "__main__":
    asyncio.run(main())
