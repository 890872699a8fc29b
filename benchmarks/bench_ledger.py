"""Ledger cost per caller turn over a 2-hour call: late turns must cost about what early ones do.

A synthetic call of two hours: a caller turn every 4–8 s (random, fresh per pass), two engines each sending two
interims and a final per turn, a tool reading the turn's finals and owned span after it ends. The work of each turn
(begin, end, the segments' adds, the reads) is timed; the median of the first 10 % of turns is compared with the
median of the last 10 %. Passes run with fresh random calls; the spread of the ratio is printed.

Last line: ``RESULT ledger_late_early_ratio=<median> ratio_min=<..> ratio_max=<..> early_us=<..> late_us=<..>``
(target: ratio <= 1.5).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sidecar_stt.core.ledger import TranscriptLedger
from sidecar_stt.core.segment import Alternative, Segment


def one_call(rng: random.Random, call_s: float) -> list[float]:
    ledger = TranscriptLedger()
    costs: list[float] = []
    at_s, n = 0.5, 0
    while at_s < call_s:
        speech_s = rng.uniform(1.0, 4.0)
        start_s, end_s = at_s, at_s + speech_s
        n += 1
        began = time.perf_counter()
        turn = ledger.begin_turn(start_s=start_s + 0.2, timing="server_audio")
        for source in ("azure", "whisper"):
            for k, frac in enumerate((0.3, 0.7, 1.0)):
                ledger.add(
                    Segment(
                        source=source,
                        segment_id=f"{source}-{n}",
                        start_s=start_s,
                        end_s=start_s + speech_s * frac,
                        is_final=k == 2,
                        alternatives=(Alternative(text=f"ni to tre {n}", confidence=0.9),),
                    )
                )
        ledger.end_turn(end_s=end_s, timing="server_audio")
        ledger.finals_for_turn(turn.turn_id)
        ledger.owned_span(turn.turn_id)
        costs.append(time.perf_counter() - began)
        at_s = end_s + rng.uniform(3.0, 4.0)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--call-s", type=float, default=2 * 3600.0)
    args = parser.parse_args()
    ratios: list[float] = []
    early_all: list[float] = []
    late_all: list[float] = []
    for p in range(args.passes):
        costs = one_call(random.Random(1000 + p), args.call_s)
        tenth = max(1, len(costs) // 10)
        early, late = statistics.median(costs[:tenth]), statistics.median(costs[-tenth:])
        ratios.append(late / early)
        early_all.append(early)
        late_all.append(late)
        print(
            f"pass {p}: turns={len(costs)} early_us={early * 1e6:.1f} late_us={late * 1e6:.1f} ratio={late / early:.3f}"
        )
    print(
        f"RESULT ledger_late_early_ratio={statistics.median(ratios):.3f} ratio_min={min(ratios):.3f} "
        f"ratio_max={max(ratios):.3f} early_us={statistics.median(early_all) * 1e6:.1f} "
        f"late_us={statistics.median(late_all) * 1e6:.1f}"
    )


if __name__ == "__main__":
    main()
