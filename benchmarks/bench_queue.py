"""Post-call job throughput on the procrastinate queue with 1 and 2 worker processes, on this machine.

Each pass: a fresh database on a PostgreSQL server started here (loopback), ``--calls`` fresh calls (~25 s of
English espeak-ng speech each, a fresh random number in each), one reprocess job per call with local Whisper
tiny.en at beam 5, then W ``sidecar calls worker --until-empty`` processes started together. Passes alternate
W=1 and W=2. Two figures per pass: jobs per minute over the wall time from starting the workers until the last
one exits (process start and model load included), and over the span from the first job's start to the last
job's end (steady state). ``failed`` counts jobs that did not end ``done`` (it is non-zero if a job fails or
runs twice and trips the unique run key).

Last line: ``RESULT jobs_per_min_1_worker=<wall median> jobs_per_min_2_workers=<wall median>
steady_jobs_per_min_1_worker=<median> steady_jobs_per_min_2_workers=<median> failed=<n>``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_reprocess import make_call, random_mobile
from sidecar_stt.calls import CallStore
from sidecar_stt.calls.queue import enqueue_reprocess, prepare_queue, queue_app
from sidecar_stt.testing.postgres import TemporaryPostgres

SPEC = "whisper:tiny.en?beam=5"  # ``--threads N`` adds ``&threads=N`` (CTranslate2 threads per worker)
SIDECAR = str(Path(sys.executable).with_name("sidecar"))


async def one_pass(
    pg: TemporaryPostgres, workers: int, calls: int, rng: random.Random, spec: str
) -> tuple[float, float, int]:
    url = pg.create_database()
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        root = Path(tmp)
        store = CallStore(url, root=root)
        ids = [f"call-{i}" for i in range(calls)]
        for call_id in ids:
            make_call(root, call_id, "en", "en-us", random_mobile(rng), fillers=1)
            store.add_call(root / call_id)
        app = queue_app(url)
        await prepare_queue(app)
        await enqueue_reprocess(app, ids, spec, store_url=url, root=str(root))
        env = {**os.environ, "SIDECAR_CALLS_DB": url, "SIDECAR_CALLS_DIR": str(root)}
        started = time.perf_counter()
        procs = [
            await asyncio.create_subprocess_exec(SIDECAR, "calls", "worker", "--until-empty", env=env)
            for _ in range(workers)
        ]
        await asyncio.gather(*(p.wait() for p in procs))
        wall_s = time.perf_counter() - started
        runs = [store.run(call_id, spec, "vad") for call_id in ids]
        store.close()
    done = [r for r in runs if r is not None and r.status == "done"]
    failed = calls - len(done)
    span_s = max(r.finished_at or 0.0 for r in done) - min(r.started_at for r in done) if done else float("inf")
    wall_rate, steady_rate = len(done) / wall_s * 60, len(done) / span_s * 60
    print(
        f"workers={workers} jobs={len(done)}/{calls} wall_s={wall_s:.1f} jobs_per_min={wall_rate:.2f} "
        f"steady_span_s={span_s:.1f} steady_jobs_per_min={steady_rate:.2f}"
    )
    return wall_rate, steady_rate, failed


def _spread(values: list[float]) -> str:
    return f"min={min(values):.2f} median={statistics.median(values):.2f} max={max(values):.2f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--calls", type=int, default=8)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--threads", type=int, default=0, help="Whisper threads per worker (0: CTranslate2 picks)")
    args = parser.parse_args()
    spec = SPEC + (f"&threads={args.threads}" if args.threads else "")
    print(f"engine {spec}, {args.calls} calls per pass")
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    wall: dict[int, list[float]] = {1: [], 2: []}
    steady: dict[int, list[float]] = {1: [], 2: []}
    failed = 0
    with TemporaryPostgres() as pg:
        for _ in range(args.repeats):
            for workers in (1, 2):
                w, s, f = await one_pass(pg, workers, args.calls, rng, spec)
                wall[workers].append(w)
                steady[workers].append(s)
                failed += f
    for workers in (1, 2):
        print(f"workers={workers} jobs/min wall {_spread(wall[workers])}; steady {_spread(steady[workers])}")
    print(
        f"RESULT jobs_per_min_1_worker={statistics.median(wall[1]):.2f} "
        f"jobs_per_min_2_workers={statistics.median(wall[2]):.2f} "
        f"steady_jobs_per_min_1_worker={statistics.median(steady[1]):.2f} "
        f"steady_jobs_per_min_2_workers={statistics.median(steady[2]):.2f} failed={failed}"
    )


if __name__ == "__main__":
    asyncio.run(main())
