"""sidecar eval: the STT bake-off. Engines over a dataset: phone-number success, latency, reports.

example:
  sidecar eval --dataset data/nb/manifest.jsonl --engine "whisper:base?language=no&beam=5" \\
      --engine scripted:script.json --out out/nb --concurrency 2 --pace max

Writes OUT/report.md, OUT/report.html, OUT/results.json and OUT/results.csv, and caches each engine and
recording under OUT/cache/: a rerun skips what is finished (failed runs too, unless --retry-failed). With two or
more engines, fusion rows (each pair, and all) are added. Streaming engines are fed 20 ms frames (--pace realtime
as a caller would, max as fast as they take them); engines without streaming get recognize() of each recording.

Every engine is built and every audio file read before anything runs or is written: an engine that cannot be
built (a missing key or extra, an unknown parameter) or a file that cannot be used is named with its reason, and
nothing runs. An engine that fails on some recordings has its failures counted in the report and its reasons
printed; failures read from the cache are said to be cached (--retry-failed runs them again).

exit codes:
  0  every engine ran (failures of single recordings are in the report)
  1  an engine was built but failed on every recording (its reason is printed)
  2  a bad dataset, audio file or option, an engine that cannot be built, or a missing extra
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sidecar_stt.cli.options import at_least, require_extra, writable_dir
from sidecar_stt.errors import ConfigurationError, SidecarError

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


def _failure_reasons(results: Any) -> dict[str, tuple[int, int, str | None]]:
    """Per engine spec: how many recordings failed, how many of those failures were read from the cache, and the
    most common reason."""
    out: dict[str, tuple[int, int, str | None]] = {}
    for spec, per_rec in results.outputs.items():
        failed = [o for o in per_rec.values() if o.error is not None]
        errors = [o.error for o in failed]
        common = max(set(errors), key=errors.count) if errors else None
        out[spec] = (len(failed), sum(o.cached for o in failed), common)
    return out


async def _close(engines: dict[str, Any]) -> None:
    for engine in engines.values():
        await engine.aclose()


async def _build_engines(specs: list[str]) -> dict[str, Any]:
    """Every engine of the run, built (in the run's event loop, as the engines expect) before anything runs or is
    written; the first that cannot be built is named with its reason (the ones built before it are closed)."""
    from sidecar_stt.engines import from_spec

    built: dict[str, Any] = {}
    for spec in dict.fromkeys(specs):
        try:
            built[spec] = from_spec(spec)
        except Exception as e:
            await _close(built)
            reason = str(e) if isinstance(e, SidecarError) else f"{type(e).__name__}: {e}"
            raise ConfigurationError(f"engine {spec} cannot be built: {reason}; nothing was run or written") from e
    return built


def _report_failures(results: Any, total: int) -> int:
    """Print a line per engine with failures; the exit code (1 when an engine failed on every recording)."""
    code = 0
    for spec, (failed, cached, reason) in _failure_reasons(results).items():
        if failed == 0:
            continue
        if cached == failed:
            source = " (cached from an earlier run; --retry-failed runs them again)"
        elif cached:
            source = f" ({cached} of them cached from an earlier run; --retry-failed runs those again)"
        else:
            source = ""
        if failed == total:
            print(f"sidecar eval: error: engine {spec} could not run{source}: {reason}", file=sys.stderr)
            code = EXIT_ENGINE_FAILED
        else:
            again = "" if cached else "; rerun with --retry-failed to run them again"
            print(
                f"sidecar eval: warning: engine {spec} failed on {failed} of {total} recordings{source}, "
                f"e.g. {reason}{again}",
                file=sys.stderr,
            )
    return code


def run_eval(args: argparse.Namespace) -> int:
    """Run the bake-off and write the reports (exit codes in the module docstring)."""
    from sidecar_stt.evaluation.dataset import load_manifest

    require_extra("soundfile", extra="eval", what="sidecar eval")
    if not args.no_html:
        require_extra("matplotlib", extra="eval", what="sidecar eval's report.html (or give --no-html)")
    recordings = load_manifest(args.dataset, region=args.region)
    if args.limit is not None:
        recordings = recordings[: args.limit]
    return asyncio.run(_run(args, recordings))


async def _run(args: argparse.Namespace, recordings: Any) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sidecar_stt.evaluation.report import audio_sent, write_reports
    from sidecar_stt.evaluation.runner import run_evaluation

    engines = await _build_engines(args.engine)
    try:
        out = writable_dir(args.out)
        console = Console(stderr=True)
        with Progress(
            TextColumn("[bold]eval[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            results = await run_evaluation(
                recordings,
                args.engine,
                out_dir=out,
                concurrency=args.concurrency,
                pace=args.pace,
                mode=None if args.mode == "auto" else args.mode,
                region=args.region,
                fusion=not args.no_fusion,
                retry_failed=args.retry_failed,
                progress=_RichProgress(progress),
                dataset=args.dataset,
                engine_factory=engines.pop,  # each built engine is taken once, and closed by the run
            )
    finally:
        await _close(engines)  # those the run did not take: every recording of theirs was cached
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
    return _report_failures(results, len(recordings))
