"""The sidecar's own CPU on a live session, beside the session's total, measured in the same calls.

Each call is a real AgentSession + RealtimeModel against FakeRealtimeServer, the caller's audio played at real
time, with ScriptedEngine sidecar engines (which do almost no work of their own). In each call the Sidecar counts
the CPU its own code used on the loop (:attr:`Sidecar.cpu_s`: tap callback, runner feed and event handling with the
ledger writes, turn bookkeeping), and the process CPU of the whole call is measured around it; both are divided by
the seconds of caller audio. Configurations (no sidecar, one engine, three engines) run interleaved, every call
on freshly synthesised utterances (different words and numbers each pass), after one warm-up call; the spread of
the repeats is printed.

Last line: ``RESULT sidecar_cpu_share=<median> share_min=<..> share_max=<..> frames_dropped=<n>`` for one engine
(the share of the call's CPU that is the sidecar's own), with ``sidecar_cpu_share_3=`` for three engines and the
session CPU per audio second with and without a sidecar.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
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

OPENINGS = [
    "hei, jeg ringer om en bestilling jeg gjorde i forrige uke",
    "god dag, jeg lurte på om dere har ledige timer på torsdag",
    "hallo, jeg vil gjerne endre adressen på abonnementet mitt",
    "hei, jeg har et spørsmål om fakturaen som kom i går",
]
CLOSINGS = [
    "ja, det stemmer, tusen takk for hjelpen",
    "nei, det var alt for i dag, ha det bra",
    "flott, takk skal du ha",
]
TENS = ["tjue", "tretti", "førti", "femti", "seksti", "sytti", "åtti", "nitti"]
ONES = ["en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]


def fresh_texts(rng: random.Random) -> list[str]:
    pairs = " ".join(rng.choice(TENS) + rng.choice(ONES) for _ in range(4))
    return [rng.choice(OPENINGS), f"nummeret mitt er {pairs}", rng.choice(CLOSINGS)]


async def one_call(n_engines: int, texts: list[str], pcms: list[Any], speed: float) -> tuple[float, float, float, int]:
    """Returns (process CPU s, sidecar CPU s, caller audio s, frames dropped)."""
    spans = planned_spans(pcms)
    engines = {
        f"engine{i}": ScriptedEngine(
            [ScriptedUtterance(start_s=a, end_s=b, text=t) for (a, b), t in zip(spans, texts, strict=True)],
            record_audio=False,
        )
        for i in range(n_engines)
    }
    script = [CallerTurn(transcript=t, reply="Mm.") for t in texts]

    def agent(sidecar: Sidecar | None) -> Agent:
        return Agent(instructions="Du er en resepsjonist.")

    async with offline_call(script, agent=agent, engines=engines or None, speed=speed) as call:
        cpu0 = time.process_time()
        sidecar_cpu0 = call.sidecar.cpu_s if call.sidecar else 0.0
        for i, pcm in enumerate(pcms, start=1):
            call.caller.say(pcm)
            await call.caller.wait_idle(timeout_s=60)
            await call.server.wait_for_turns(i, timeout_s=60)
        cpu = time.process_time() - cpu0
        sidecar_cpu = (call.sidecar.cpu_s - sidecar_cpu0) if call.sidecar else 0.0
        audio_s = call.caller.audio_s
        dropped = sum(s.frames_dropped for s in call.sidecar.stats().values()) if call.sidecar else 0
    return cpu, sidecar_cpu, audio_s, dropped


def spread(values: list[float]) -> str:
    return f"median={statistics.median(values):.4f} min={min(values):.4f} max={max(values):.4f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--speed", type=float, default=1.0, help="caller audio pace (1.0 = real time)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)

    def fresh() -> tuple[list[str], list[Any]]:
        texts = fresh_texts(rng)
        return texts, [synthesize_speech(t, voice="nb", rate_wpm=170) for t in texts]

    await one_call(1, *fresh(), args.speed)  # warm-up (imports, schema building, silero load), not counted
    per_audio: dict[int, list[float]] = {0: [], 1: [], 3: []}
    shares: dict[int, list[float]] = {1: [], 3: []}
    dropped_total = 0
    for _ in range(args.repeats):
        for n in (0, 1, 3):
            texts, pcms = fresh()
            cpu, sidecar_cpu, audio_s, dropped = await one_call(n, texts, pcms, args.speed)
            per_audio[n].append(cpu / audio_s)
            if n:
                shares[n].append(sidecar_cpu / cpu)
            dropped_total += dropped
            print(
                f"engines={n} call_cpu_s={cpu:.3f} sidecar_cpu_s={sidecar_cpu:.4f} audio_s={audio_s:.2f} "
                f"share={sidecar_cpu / cpu:.4f} dropped={dropped}"
            )
    for n in (0, 1, 3):
        print(f"session CPU s per audio s, engines={n}: {spread(per_audio[n])}")
    for n in (1, 3):
        print(f"sidecar share of the call's CPU, engines={n}: {spread(shares[n])}")
    one = shares[1]
    print(
        f"RESULT sidecar_cpu_share={statistics.median(one):.4f} share_min={min(one):.4f} share_max={max(one):.4f} "
        f"frames_dropped={dropped_total} sidecar_cpu_share_3={statistics.median(shares[3]):.4f} "
        f"session_cpu_per_audio_s={statistics.median(per_audio[1]):.4f} "
        f"session_cpu_per_audio_s_without={statistics.median(per_audio[0]):.4f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
