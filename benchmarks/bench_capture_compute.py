"""The capture tool's own compute per call: ``capture_phone_number`` reading six caller turns, each heard by two
engines with 5-best lists, plus the realtime model's transcript and the number the model passed.

Every call is a fresh dialogue window, heard as in :mod:`sim_capture`: a random valid Norwegian number, said in
pairs, digit by digit, 3-2-3 or with old counting, spread over four turns (three when said 3-2-3) after turns of
chat (drawn from :mod:`bench_numerals`); every turn heard by ``azure`` and ``whisper`` with five alternatives
each (independent draws of each engine's seeded errors, in falling confidence) and by the realtime model. The
turns are written into the ledger of a :class:`~sidecar_stt.Sidecar` that is never attached (so nothing waits:
the engines have settled), then the tool runs once (``sidecar.phone.on_number_said``) and its CPU time is taken
(``time.process_time``: every thread). The ledger writes are not timed; gathering the window's evidence from the
ledger, the reader, validation, fusion and the capture machine are. Each pass draws new dialogues and starts with
the reader's caches cleared (number validation, word analysis); the p95 and the median over a pass's calls are
taken per pass, and their spread over the passes printed.

Last line: ``RESULT capture_compute_p95_ms=<median of the passes' p95> min=<..> max=<..> median_ms=<..>
proposed_true=<share of calls whose proposal was the true number> calls=<per pass> passes=<n> target=50``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import time

import numpy as np

from bench_numerals import CHAT, clear_caches
from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.testing.scripted_engine import ScriptedEngine
from sim_capture import INTROS, Call, Group, Part, hear_parts, random_number, render, speak

TURNS = 6
NBEST = 5
ENGINES = ("azure", "whisper")
TURN_S = 2.5


def window_parts(call: Call, rng: random.Random) -> list[list[Part]]:
    """Six caller turns: the number in four pieces (three when said 3-2-3) after turns of chat (the realtime
    model cut the number up)."""
    groups = speak(call.truth, call.style)
    count = min(4, len(groups))
    cuts = sorted(rng.sample(range(1, len(groups)), count - 1))
    pieces: list[list[Part]] = [list(groups[a:b]) for a, b in zip([0, *cuts], [*cuts, len(groups)], strict=True)]
    pieces[0] = [rng.choice(INTROS).strip(), *pieces[0]]
    return [[rng.choice(CHAT)] for _ in range(TURNS - count)] + pieces


def n_best(parts: list[Part], source: str, call: Call, rng: random.Random) -> tuple[Alternative, ...]:
    """``NBEST`` alternatives of one engine for one turn: independent draws of its errors, confidence falling."""
    group_index = {i: i for i, p in enumerate(parts) if isinstance(p, Group)}
    confidence = rng.uniform(0.6, 0.95)
    alternatives = []
    for _ in range(NBEST):
        heard = hear_parts(parts, source, call, group_index, rng)
        alternatives.append(Alternative(render(heard, source, rng), confidence))
        confidence = round(max(0.05, confidence - rng.uniform(0.02, 0.12)), 3)
    return tuple(alternatives)


def new_dialogue(rng: random.Random) -> tuple[Sidecar, str, str]:
    """A never-attached sidecar whose ledger holds six heard caller turns; the model's tool argument; the true
    national number."""
    truth = random_number(rng)
    style = rng.choice(["pairs", "digits", "323", "old"])
    if style == "323" and truth[0] not in "49":
        style = "pairs"
    call = Call(truth, style, None, None, 1.0, ENGINES)
    sidecar = Sidecar(engines={"azure": ScriptedEngine([])}, options=SidecarOptions(keypad_after_failures=None))
    ledger = sidecar.ledger
    model_digits = ""
    for i, parts in enumerate(window_parts(call, rng)):
        start_s = i * 2 * TURN_S
        turn = ledger.begin_turn(start_s=start_s)
        ledger.end_turn(end_s=start_s + TURN_S)
        for source in ENGINES:
            ledger.add(
                Segment(
                    source=source,
                    segment_id=f"{source}-{i}",
                    start_s=start_s + 0.05,
                    end_s=start_s + TURN_S - 0.05,
                    is_final=True,
                    alternatives=n_best(parts, source, call, rng),
                    received_s=start_s + TURN_S + 0.3,
                )
            )
        heard = hear_parts(parts, "realtime", call, {}, rng)
        model_digits += "".join(p.digits for p in heard if isinstance(p, Group))
        ledger.label_turn(item_id=f"item-{i}", transcript=render(heard, "realtime", rng), turn_id=turn.turn_id)
    return sidecar, model_digits, truth


async def one_pass(calls: int, rng: random.Random) -> tuple[list[float], int]:
    """The tool's CPU milliseconds for ``calls`` fresh dialogues, the reader's caches cleared first; how many calls
    proposed the true number (the work was done, not skipped)."""
    dialogues = [new_dialogue(rng) for _ in range(calls)]
    clear_caches()
    times_ms = []
    proposed_true = 0
    for sidecar, argument, truth in dialogues:
        began = time.process_time()
        await sidecar.phone.on_number_said(argument)
        times_ms.append((time.process_time() - began) * 1000)
        proposal = sidecar.phone.machine.proposal
        proposed_true += proposal is not None and proposal.digits == truth
    return times_ms, proposed_true


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="tool calls per pass (fresh dialogues)")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=23)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    await one_pass(3, rng)  # imports, lexicons and number metadata outside the timing
    p95s, medians, proposed = [], [], []
    for _ in range(args.passes):
        times_ms, proposed_true = await one_pass(args.calls, rng)
        proposed.append(proposed_true / args.calls)
        p95s.append(float(np.percentile(times_ms, 95)))
        medians.append(statistics.median(times_ms))
        print(
            f"pass: p50={medians[-1]:.2f} ms p95={p95s[-1]:.2f} ms max={max(times_ms):.2f} ms "
            f"proposed the true number: {proposed[-1]:.2f}",
            flush=True,
        )
    print(
        f"RESULT capture_compute_p95_ms={statistics.median(p95s):.2f} min={min(p95s):.2f} max={max(p95s):.2f} "
        f"median_ms={statistics.median(medians):.2f} proposed_true={statistics.median(proposed):.2f} "
        f"calls={args.calls} passes={args.passes} target=50"
    )


if __name__ == "__main__":
    asyncio.run(main())
