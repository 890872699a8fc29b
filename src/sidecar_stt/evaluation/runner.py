"""The bake-off: every engine over every recording, cached and resumable, then scored and fused.

::

    results = await run_evaluation(load_manifest("set/manifest.jsonl"), ["whisper:base?language=no"],
                                   out_dir="out", concurrency=2, pace="max")

Every recording's audio is read once before any engine runs: files that cannot be used raise one
:class:`~sidecar_stt.errors.AudioError` naming each of them. Engines are built once per spec with
:func:`sidecar_stt.engines.from_spec` (or the ``engine_factory`` given) and closed at the end. Each finished
recording is written to ``OUT/cache/`` at once, so an interrupted run resumes where it stopped. An engine that
raises or reports an error is counted as a failure of that recording (cached as failed, run again with
``retry_failed``) and the run goes on; an engine that cannot even be built fails every recording of its row
and nothing of it is cached. A result read from the cache is marked ``cached``: it sent no audio in this run
(its ``audio_sent_s`` is what the run that produced it sent). With two or more engines, fusion
rows are added: every pair, and all engines together when there are more than two.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol

from livekit.agents import stt

from ..log import logger
from .audio import check_audio, file_sha256, load_audio
from .cache import ResultCache
from .dataset import Recording
from .output import EngineOutput, TranscribeMode
from .results import EvalResults
from .scoring import RecordingScore, fusion_groups, score_fusion, score_output
from .summary import summarize
from .transcribe import Pace, transcribe

__all__ = ["EvalProgress", "EvalResults", "fusion_groups", "run_evaluation"]

EngineFactory = Callable[[str], stt.STT[Any]]


class EvalProgress(Protocol):
    """Receives progress while the bake-off runs (the CLI draws a rich progress bar from it)."""

    def engine_started(self, spec: str, total: int) -> None:
        """``spec`` starts on ``total`` recordings."""

    def recording_done(self, spec: str, *, cached: bool, failed: bool) -> None:
        """One recording of ``spec`` is finished (read from the cache when ``cached``)."""


def _default_factory(spec: str) -> stt.STT[Any]:
    from ..engines import from_spec

    return from_spec(spec)


async def _hash_all(recordings: Sequence[Recording]) -> dict[str, str]:
    def work() -> dict[str, str]:
        cache: dict[Path, str] = {}
        out: dict[str, str] = {}
        for rec in recordings:
            if rec.audio not in cache:
                cache[rec.audio] = file_sha256(rec.audio)
            out[rec.id] = cache[rec.audio]
        return out

    return await asyncio.to_thread(work)


async def _run_one(
    engine: stt.STT[Any] | None,
    build_error: str | None,
    rec: Recording,
    *,
    spec: str,
    sha: str,
    pace: Pace,
    mode: TranscribeMode | None,
) -> EngineOutput:
    if engine is None:
        return EngineOutput(spec=spec, recording_id=rec.id, audio_sha256=sha, mode="recognize", error=build_error)
    try:
        audio = await asyncio.to_thread(load_audio, rec.audio, channel=rec.channel)
    except Exception as e:
        return EngineOutput(
            spec=spec, recording_id=rec.id, audio_sha256=sha, mode="recognize", error=f"{type(e).__name__}: {e}"
        )
    speech_end = rec.meta.get("speech_end_s")
    return await transcribe(
        engine,
        audio,
        spec=spec,
        recording_id=rec.id,
        audio_sha256=sha,
        pace=pace,
        mode=mode,
        speech_end_s=float(speech_end) if isinstance(speech_end, int | float) else None,
    )


async def _run_spec(
    spec: str,
    todo: Sequence[Recording],
    *,
    factory: EngineFactory,
    cache: ResultCache,
    hashes: dict[str, str],
    limit: asyncio.Semaphore,
    pace: Pace,
    mode: TranscribeMode | None,
    progress: EvalProgress | None,
) -> dict[str, EngineOutput]:
    """Build the engine of ``spec`` and run it over ``todo``; each result is cached as soon as it exists."""
    engine: stt.STT[Any] | None = None
    build_error: str | None = None
    try:
        engine = factory(spec)
    except Exception as e:
        logger.warning("an engine could not be built", extra={"spec": spec, "error": repr(e)})
        build_error = f"{type(e).__name__}: {e}"
    done: dict[str, EngineOutput] = {}

    async def one(rec: Recording) -> None:
        async with limit:
            out = await _run_one(engine, build_error, rec, spec=spec, sha=hashes[rec.id], pace=pace, mode=mode)
        if build_error is None:
            cache.put(out)  # a spec that cannot be built is not cached: fixing it must rerun
        done[rec.id] = out
        if progress is not None:
            progress.recording_done(spec, cached=False, failed=out.error is not None)

    try:
        await asyncio.gather(*(one(rec) for rec in todo))
    finally:
        if engine is not None:
            await engine.aclose()
    return done


def _sidecar_version() -> str:
    try:
        return version("sidecar-stt")
    except PackageNotFoundError:
        return "unknown"


def _fusion_available() -> bool:
    try:
        from ..core import fusion  # noqa: F401
    except ImportError:
        logger.warning("fusion rows skipped: sidecar_stt.core.fusion is not available")
        return False
    return True


async def run_evaluation(
    recordings: Sequence[Recording],
    specs: Sequence[str],
    *,
    out_dir: str | Path,
    concurrency: int = 1,
    pace: Pace = "max",
    mode: TranscribeMode | None = None,
    region: str = "NO",
    fusion: bool = True,
    retry_failed: bool = False,
    engine_factory: EngineFactory | None = None,
    progress: EvalProgress | None = None,
    dataset: str | Path | None = None,
) -> EvalResults:
    """Run every spec over every recording (``concurrency`` recordings at a time per engine) and score them.

    ``dataset`` (the manifest's path) is only recorded, for the reports' header.

    Cached results under ``out_dir/cache`` are reused; ``retry_failed`` runs recordings whose cached result
    is a failure again.
    """
    started = time.perf_counter()
    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    specs = list(dict.fromkeys(specs))
    await asyncio.to_thread(check_audio, (rec.audio for rec in recordings))
    factory = engine_factory or _default_factory
    cache = ResultCache(Path(out_dir) / "cache")
    hashes = await _hash_all(recordings)
    outputs: dict[str, dict[str, EngineOutput]] = {}
    hits = runs = 0
    limit = asyncio.Semaphore(max(1, concurrency))

    for spec in specs:
        if progress is not None:
            progress.engine_started(spec, len(recordings))
        per_rec: dict[str, EngineOutput] = {}
        todo: list[Recording] = []
        for rec in recordings:
            cached = cache.get(spec, rec.id, hashes[rec.id])
            if cached is not None and not (retry_failed and cached.error is not None):
                per_rec[rec.id] = dataclasses.replace(cached, cached=True)
                hits += 1
                if progress is not None:
                    progress.recording_done(spec, cached=True, failed=cached.error is not None)
            else:
                todo.append(rec)
        if todo:
            per_rec.update(
                await _run_spec(
                    spec,
                    todo,
                    factory=factory,
                    cache=cache,
                    hashes=hashes,
                    limit=limit,
                    pace=pace,
                    mode=mode,
                    progress=progress,
                )
            )
            runs += len(todo)
        outputs[spec] = per_rec

    scores: list[RecordingScore] = []
    for spec in specs:
        scores.extend(score_output(rec, outputs[spec][rec.id], region=region) for rec in recordings)
    if fusion and len(specs) > 1 and _fusion_available():
        for group in fusion_groups(specs):
            for rec in recordings:
                scores.append(score_fusion(rec, [outputs[s][rec.id] for s in group], region=region))
    return EvalResults(
        specs=specs,
        recordings=list(recordings),
        outputs=outputs,
        scores=scores,
        rows=summarize(scores),
        cache_hits=hits,
        runs=runs,
        wall_s=time.perf_counter() - started,
        settings={
            "concurrency": concurrency,
            "pace": pace,
            "mode": mode or "auto",
            "region": region,
            "started_at": started_at,
            "sidecar_version": _sidecar_version(),
            **({"dataset": str(dataset)} if dataset is not None else {}),
        },
    )
