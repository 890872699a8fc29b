"""``sidecar eval``: the STT bake-off — engines over a dataset, phone-number success, latency, reports.

    $ sidecar eval --dataset data/nb/manifest.jsonl --engine "whisper:base?language=no&beam=5" \\
          --engine scripted:script.json --out out/nb --concurrency 2 --pace max

Writes ``OUT/report.md``, ``OUT/report.html``, ``OUT/results.json``, ``OUT/results.csv`` and caches each
engine × recording under ``OUT/cache/``: a rerun skips what is finished. With two or more engines, fusion
rows (each pair, and all) are added. Streaming engines are fed 20 ms frames (``--pace realtime`` as a caller
would, ``max`` as fast as they take them); engines without streaming get ``recognize()`` of each recording.
Exit code 0 when the run completed (engine failures are counted in the report, not fatal), 2 on a bad
dataset or option.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sidecar_stt.errors import SidecarError

__all__ = ["register", "run_eval"]

EXIT_USAGE = 2


def register(subparsers: Any) -> None:
    """Add ``eval`` to the ``sidecar`` command."""
    p = subparsers.add_parser(
        "eval",
        help="run STT engines over a dataset and report phone-number success",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--dataset", required=True, help="JSONL manifest (docs/DATASET.md)")
    p.add_argument("--engine", action="append", required=True, metavar="SPEC", help="engine spec; repeatable")
    p.add_argument("--out", required=True, help="output folder (reports and cache)")
    p.add_argument("--concurrency", type=int, default=1, help="recordings at a time per engine (1)")
    p.add_argument("--pace", choices=("realtime", "max"), default="max", help="how streams are fed (max)")
    p.add_argument(
        "--mode", choices=("auto", "stream", "recognize"), default="auto", help="how engines are driven (auto)"
    )
    p.add_argument("--region", default="NO", help="region of numbers said without a country code (NO)")
    p.add_argument("--no-fusion", action="store_true", help="leave out the fusion rows")
    p.add_argument("--no-html", action="store_true", help="skip report.html (no matplotlib needed)")
    p.add_argument("--retry-failed", action="store_true", help="run cached failures again")
    p.add_argument("--limit", type=int, default=None, help="only the first N recordings")
    p.set_defaults(func=run_eval)


class _RichProgress:
    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def engine_started(self, spec: str, total: int) -> None:
        self._tasks[spec] = self._progress.add_task(spec, total=total)

    def recording_done(self, spec: str, *, cached: bool, failed: bool) -> None:
        self._progress.advance(self._tasks[spec])


def run_eval(args: argparse.Namespace) -> int:
    """Run the bake-off and write the reports."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sidecar_stt.evaluation.dataset import load_manifest
    from sidecar_stt.evaluation.report import write_reports
    from sidecar_stt.evaluation.runner import run_evaluation

    console = Console(stderr=True)
    try:
        recordings = load_manifest(args.dataset, region=args.region)
    except SidecarError as e:
        print(f"sidecar eval: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.limit is not None:
        recordings = recordings[: max(0, args.limit)]
    mode = None if args.mode == "auto" else args.mode
    try:
        with Progress(
            TextColumn("[bold]eval[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            results = asyncio.run(
                run_evaluation(
                    recordings,
                    args.engine,
                    out_dir=args.out,
                    concurrency=args.concurrency,
                    pace=args.pace,
                    mode=mode,
                    region=args.region,
                    fusion=not args.no_fusion,
                    retry_failed=args.retry_failed,
                    progress=_RichProgress(progress),
                )
            )
        paths = write_reports(results, args.out, html=not args.no_html)
    except SidecarError as e:
        print(f"sidecar eval: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    for row in results.rows:
        rate = "–" if row.phone_success_rate is None else f"{100 * row.phone_success_rate:.1f} %"
        console.print(f"{row.engine}: phone success {rate} ({row.successes}/{row.phone_n}), failures {row.failures}")
    console.print(
        f"{results.runs} runs, {results.cache_hits} cached; reports: {', '.join(str(p) for p in paths.values())}"
    )
    return 0
