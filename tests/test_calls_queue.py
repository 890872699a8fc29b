"""Post-call jobs on procrastinate, end to end against a real PostgreSQL started by the tests: queueing is
idempotent, a worker killed mid-job leaves a job that is queued again and rerun cleanly, two workers share the
queue without running a job twice."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from recorded_call import RecordedDialogue
from sidecar_stt.calls import CallStore
from sidecar_stt.calls.queue import enqueue_reprocess, prepare_queue, queue_app, run_worker
from sidecar_stt.testing.postgres import TemporaryPostgres

pytestmark = [pytest.mark.livekit, pytest.mark.slow, pytest.mark.timeout(240)]

_DYING_WORKER = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    import sidecar_stt.calls.reprocess as reprocess
    from sidecar_stt.calls.queue import queue_app, run_worker

    async def die(engine, samples):
        await asyncio.sleep(0.3)
        os.kill(os.getpid(), signal.SIGKILL)  # killed mid-job, after its run was marked running

    reprocess._recognize = die
    asyncio.run(run_worker(queue_app(sys.argv[1]), wait=False, heartbeat_s=0.5, stalled_after_s=60))
    """
)


async def test_jobs_survive_a_killed_worker_and_run_once_each(
    postgres: TemporaryPostgres, tmp_path: Path, recorded_dialogue: RecordedDialogue
) -> None:
    url = postgres.create_database()
    root = tmp_path / "calls"
    store = CallStore(url, root=root)
    call_ids = [f"call-{i}" for i in range(4)]
    for call_id in call_ids:
        folder = root / call_id
        shutil.copytree(recorded_dialogue.folder, folder)
        journal = folder / "call.jsonl"
        journal.write_text(journal.read_text().replace(recorded_dialogue.call_id, call_id))
        store.add_call(folder)
    script = tmp_path / "heard.json"
    text = "nummeret mitt er nittito trettifire femtiseks syttiåtte"
    # each worker keeps one engine per spec, and a scripted engine hears its n-th utterance on its n-th request
    utterances = [{"start_s": i, "end_s": i + 1, "text": text} for i in range(8)]
    script.write_text(json.dumps({"utterances": utterances}), encoding="utf-8")
    spec = f"scripted:{script}"

    app = queue_app(url)
    await prepare_queue(app)
    await prepare_queue(app)  # a second time leaves the tables alone
    assert len(await enqueue_reprocess(app, call_ids, spec, store_url=url, root=str(root), mode="whole")) == 4
    assert await enqueue_reprocess(app, call_ids, spec, store_url=url, root=str(root), mode="whole") == []

    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _DYING_WORKER, url, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(worker.communicate(), timeout=120)
    assert worker.returncode == -signal.SIGKILL, stderr.decode()[-3000:]
    async with app.open_async():
        doing = [j for j in await app.job_manager.list_jobs_async() if j.status == "doing"]
    assert len(doing) == 1
    [half_done] = [r for c in call_ids if (r := store.run(c, spec, "whole")) is not None]
    assert half_done.status == "running"

    await asyncio.sleep(1.5)  # the killed worker's heartbeat is now older than stalled_after_s below
    await asyncio.gather(
        run_worker(queue_app(url), wait=False, name="a", stalled_after_s=1.0),
        run_worker(queue_app(url), wait=False, name="b", stalled_after_s=1.0),
    )
    async with app.open_async():
        jobs = list(await app.job_manager.list_jobs_async())
    assert sorted(j.status for j in jobs) == ["succeeded"] * 4
    for call_id in call_ids:
        stored = store.get(call_id)
        assert stored is not None
        assert [(r.status, r.verdict) for r in stored.runs] == [("done", "agrees")]
    store.close()
