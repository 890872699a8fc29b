"""sidecar eval: the STT bake-off. Engines over a dataset: phone-number success, latency, reports.

example:
  sidecar eval --dataset data/nb/manifest.jsonl --engine "whisper:base?language=no&beam=5" \\
      --engine scripted:script.json --out out/nb --concurrency 2 --pace max

Writes OUT/report.md, OUT/report.html, OUT/results.json and OUT/results.csv, and caches each engine and
recording under OUT/cache/: a rerun skips what is finished (failed runs too, unless --retry-failed). With two or
more engines, fusion rows (each pair, and all) are added. Streaming engines are fed 20 ms frames (--pace realtime
as a caller would, max as fast as they take them); engines without streaming get recognize() of each recording.

Every audio file is read before any engine starts; files that cannot be used are named and nothing runs. An
engine that fails on some recordings has its failures counted in the report and its reasons printed.

exit codes:
  0  every engine ran (failures of single recordings are in the report)
  1  an engine could not run on any recording (its reason is printed)
  2  a bad dataset, audio file, option, or a missing extra
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sidecar_stt.cli.options import at_least, require_extra, writable_dir

__all__ = ["register", "run_eval"]

EXIT_ENGINE_FAILED = 1


def register(subparsers: Any) -> None:
    """Add ``eval`` to the ``sidecar`` command."""
    p = subparsers.add_parser(
        "eval",
        help="run STT engines over a dataset and report phone-number success",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--dataset", required=True, help="JSONL manifest, one recording per line")
    p.add_argument("--engine", action="append", required=True, metavar="SPEC", help="engine spec; repeatable")
    p.add_argument("--out", required=True, help="output folder (reports and cache)")
    p.add_argument("--concurrency", type=at_least(1), default=1, help="recordings at a time per engine (1)")
    p.add_argument("--pace", choices=("realtime", "max"), default="max", help="how streams are fed (max)")
    p.add_argument(
        "--mode", choices=("auto", "stream", "recognize"), default="auto", help="how engines are driven (auto)"
    )
    p.add_argument("--region", default="NO", help="region of numbers said without a country code (NO)")
    p.add_argument("--no-fusion", action="store_true", help="leave out the fusion rows")
    p.add_argument("--no-html", action="store_true", help="skip report.html (no matplotlib needed)")
    p.add_argument("--retry-failed", action="store_true", help="run cached failures again")
    p.add_argument("--limit", type=at_least(1), default=None, help="only the first N recordings")
    p.set_defaults(func=run_eval)


class _RichProgress:
    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def engine_started(self, spec: str, total: int) -> None:
        self._tasks[spec] = self._progress.add_task(spec, total=total)

    def recording_done(self, spec: str, *, cached: bool, failed: bool) -> None:
        self._progress.advance(self._tasks[spec])


def _failure_reasons(results: Any) -> dict[str, tuple[int, str | None]]:
    """Per engine spec: how many recordings failed, and the most common reason."""
    out: dict[str, tuple[int, str | None]] = {}
    for spec, per_rec in results.outputs.items():
        errors = [o.error for o in per_rec.values() if o.error is not None]
        common = max(set(errors), key=errors.count) if errors else None
        out[spec] = (len(errors), common)
    return out


def run_eval(args: argparse.Namespace) -> int:
    """Run the bake-off and write the reports (exit codes in the module docstring)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sidecar_stt.evaluation.dataset import load_manifest
    from sidecar_stt.evaluation.report import audio_sent, write_reports
    from sidecar_stt.evaluation.runner import run_evaluation

    require_extra("soundfile", extra="eval", what="sidecar eval")
    if not args.no_html:
        require_extra("matplotlib", extra="eval", what="sidecar eval's report.html (or give --no-html)")
    recordings = load_manifest(args.dataset, region=args.region)
    if args.limit is not None:
        recordings = recordings[: args.limit]
    out = writable_dir(args.out)
    mode = None if args.mode == "auto" else args.mode
    console = Console(stderr=True)
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
                out_dir=out,
                concurrency=args.concurrency,
                pace=args.pace,
                mode=mode,
                region=args.region,
                fusion=not args.no_fusion,
                retry_failed=args.retry_failed,
                progress=_RichProgress(progress),
                dataset=args.dataset,
            )
        )
    paths = write_reports(results, out, html=not args.no_html)
    for row in results.rows:
        rate = "–" if row.phone_success_rate is None else f"{100 * row.phone_success_rate:.1f} %"
        console.print(
            f"{row.engine}: phone success {rate} ({row.successes}/{row.phone_n}), failures {row.failures}, "
            f"audio sent {audio_sent(row)}, transcript {row.transcript_s:.1f} s"
        )
    console.print(
        f"{results.runs} runs, {results.cache_hits} cached; reports: {', '.join(str(p) for p in paths.values())}"
    )
    code = 0
    for spec, (failed, reason) in _failure_reasons(results).items():
        if failed == 0:
            continue
        if failed == len(recordings):
            print(f"sidecar eval: error: engine {spec} could not run: {reason}", file=sys.stderr)
            code = EXIT_ENGINE_FAILED
        else:
            print(
                f"sidecar eval: warning: engine {spec} failed on {failed} of {len(recordings)} recordings, "
                f"e.g. {reason}; rerun with --retry-failed to run them again",
                file=sys.stderr,
            )
    return code
