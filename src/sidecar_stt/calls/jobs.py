"""Post-call jobs run in-process: a bounded number of reprocess runs at once on this machine's event loop.

For more than one machine, the same job runs on a task queue (:mod:`sidecar_stt.calls.queue`). Either way a
job is idempotent: it is keyed by (call, engine spec, mode) and its result replaces any earlier run of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .events import ReviewHook
from .reprocess import ReprocessMode, ReprocessResult, reprocess_call
from .store import CallStore

__all__ = ["run_reprocess_jobs"]


async def run_reprocess_jobs(
    store: CallStore,
    call_ids: Sequence[str],
    engine_spec: str,
    *,
    mode: ReprocessMode = "vad",
    concurrency: int = 1,
    on_review_needed: ReviewHook | None = None,
) -> list[ReprocessResult | BaseException]:
    """Reprocess every call, ``concurrency`` at a time; a failed job's exception is returned in its place."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(call_id: str) -> ReprocessResult:
        async with gate:
            return await reprocess_call(store, call_id, engine_spec, mode=mode, on_review_needed=on_review_needed)

    results = await asyncio.gather(*(one(c) for c in call_ids), return_exceptions=True)
    return list(results)
