"""Post-call jobs on a distributed task queue: procrastinate, on the same PostgreSQL as the call store.

Why procrastinate: the call store already needs PostgreSQL to be shared between machines, and procrastinate
keeps its jobs in that same database (``FOR UPDATE SKIP LOCKED`` to hand out jobs, ``LISTEN/NOTIFY`` to wake
workers), so scaling out adds no broker to run, secure, back up or monitor, and a job's state can be read with
SQL next to the call it belongs to. Celery on Redis would add a second server whose queue is lost with its
memory unless persistence is configured. See ``docs/POST_CALL.md``.

::

    app = queue_app("postgresql://…")                  # the queue's database (usually the store's)
    await prepare_queue(app)                            # creates procrastinate's tables once
    await enqueue_reprocess(app, ids, "whisper:base", store_url=…, root=…)
    await run_worker(app, concurrency=1)                # on each worker machine: sidecar calls worker

Jobs are idempotent: each is keyed by (call, engine spec, mode) — a queueing lock keeps one copy waiting, and
the run it writes replaces any earlier run of the same job. A worker killed mid-job leaves its job ``doing``;
:func:`recover_stalled_jobs` (run by every worker at start) puts jobs of workers whose heartbeat stopped back in
the queue, and the rerun replaces the half-written ``running`` row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ..log import logger

if TYPE_CHECKING:
    from livekit.agents import stt

try:
    import procrastinate
except ImportError as e:  # pragma: no cover - depends on the installed extras
    raise ConfigurationError("the job queue needs procrastinate: pip install 'sidecar-stt[queue]'") from e

__all__ = [
    "QUEUE",
    "TASK",
    "conninfo_of",
    "enqueue_reprocess",
    "prepare_queue",
    "queue_app",
    "recover_stalled_jobs",
    "run_worker",
]

QUEUE = "sidecar_calls"
TASK = "sidecar_stt.reprocess_call"


def conninfo_of(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL (``postgresql+psycopg://`` → ``postgresql://``)."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.startswith("postgresql"):
        raise ConfigurationError("the job queue needs a PostgreSQL URL (postgresql://user@host/db)")
    return f"postgresql://{rest}"


def queue_app(url: str) -> procrastinate.App:
    """A procrastinate ``App`` on the PostgreSQL at ``url`` with the reprocess task registered."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo_of(url)))

    engines: dict[str, stt.STT[Any]] = {}  # one engine per spec in a worker: its model loads once

    @app.task(name=TASK, queue=QUEUE, retry=procrastinate.RetryStrategy(max_attempts=3, wait=2))
    async def reprocess(call_id: str, engine_spec: str, mode: str, store_url: str, root: str) -> str:
        from ..engines import from_spec
        from .reprocess import reprocess_call
        from .store import CallStore

        if engine_spec not in engines:
            engines[engine_spec] = from_spec(engine_spec)
        store = CallStore(store_url, root=root, migrate=False)
        try:
            result = await reprocess_call(
                store, call_id, engine_spec, mode="whole" if mode == "whole" else "vad", engine=engines[engine_spec]
            )
        finally:
            store.close()
        return result.reconciliation.verdict

    return app


async def prepare_queue(app: procrastinate.App) -> None:
    """Create procrastinate's tables in the queue's database, once (a second call leaves them alone)."""
    async with app.open_async():
        rows = await app.connector.execute_query_all_async("SELECT to_regclass('procrastinate_jobs') AS t")
        if rows[0]["t"] is None:
            await app.schema_manager.apply_schema_async()


async def enqueue_reprocess(
    app: procrastinate.App, call_ids: Sequence[str], engine_spec: str, *, store_url: str, root: str, mode: str = "vad"
) -> list[int]:
    """Queue one reprocess job per call; a job already waiting for the same call, spec and mode is not queued
    twice. Returns the new jobs' ids."""
    ids: list[int] = []
    async with app.open_async():
        task = app.tasks[TASK]
        for call_id in call_ids:
            try:
                job_id = await task.configure(queueing_lock=f"{call_id}|{engine_spec}|{mode}").defer_async(
                    call_id=call_id, engine_spec=engine_spec, mode=mode, store_url=store_url, root=root
                )
            except procrastinate.exceptions.AlreadyEnqueued:
                continue
            ids.append(int(job_id))
    logger.info("reprocess jobs queued", extra={"jobs": len(ids)})
    return ids


async def recover_stalled_jobs(app: procrastinate.App, *, seconds_since_heartbeat: float = 30.0) -> int:
    """Put back in the queue the jobs of workers whose heartbeat stopped (killed mid-job); returns how many."""
    count = 0
    async with app.open_async():
        for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds_since_heartbeat):
            try:
                await app.job_manager.retry_job(job)
            except procrastinate.exceptions.ConnectorException:
                continue  # another worker queued it again first
            count += 1
    if count:
        logger.warning("stalled reprocess jobs queued again", extra={"jobs": count})
    return count


async def run_worker(
    app: procrastinate.App,
    *,
    concurrency: int = 1,
    wait: bool = True,
    name: str = "sidecar-calls-worker",
    heartbeat_s: float = 10.0,
    stalled_after_s: float = 30.0,
) -> None:
    """Run reprocess jobs until stopped (``wait=False``: until the queue is empty). Jobs of stalled workers are
    queued again first."""
    await recover_stalled_jobs(app, seconds_since_heartbeat=stalled_after_s)
    async with app.open_async():
        await app.run_worker_async(
            queues=[QUEUE],
            concurrency=concurrency,
            wait=wait,
            name=name,
            install_signal_handlers=wait,
            fetch_job_polling_interval=0.5,
            update_heartbeat_interval=heartbeat_s,
            stalled_worker_timeout=stalled_after_s,
        )
