"""After the demo call: store the recorded call and transcribe it again with the local Whisper (beam 5, no
latency budget), reconciled with what the live capture confirmed; then write the call's timeline page."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..calls import CallStore, ReprocessResult, reprocess_call, write_call_page
from .record import DemoRecord

__all__ = ["PAGE_FILE", "POST_CALL_ENGINES", "reprocess_demo_call", "write_demo_page"]

PAGE_FILE = "call.html"
"""The demo call's timeline page, in the call's recording folder."""

POST_CALL_ENGINES: dict[str, str] = {"nb": "whisper:base?language=no&beam=5", "en": "whisper:tiny.en?beam=5"}
"""The post-call engine per demo language: the packaged local Whisper, at a beam the live path would not afford."""


async def reprocess_demo_call(record: DemoRecord, calls_dir: Path) -> ReprocessResult:
    """Store the demo's recorded call under ``calls_dir``, reprocess it and note the result in ``record``."""
    if record.call_id is None or record.recording is None:
        raise ValueError("the demo call was not recorded")
    store = await asyncio.to_thread(CallStore, root=calls_dir)
    try:
        await asyncio.to_thread(store.add_call, Path(record.recording))
        result = await reprocess_call(store, record.call_id, POST_CALL_ENGINES[record.language])
    finally:
        store.close()
    r = result.reconciliation
    record.post_call = {
        "engine": result.engine_spec,
        "mode": result.mode,
        "segments": [
            {"start_s": round(s.start_s, 3), "end_s": round(s.end_s, 3), "text": s.text} for s in result.segments
        ],
        "numbers": list(r.numbers),
        "live_e164": r.live_e164,
        "post_e164": r.post_e164,
        "verdict": r.verdict,
        "differing_groups": list(r.differing_groups),
        "needs_review": r.needs_review,
        "reason": r.reason,
        "processing_s": round(result.processing_s, 2),
        "audio_s": round(result.audio_s, 2),
        "audio_sent_s": round(result.audio_sent_s, 2),
        "transcript_s": round(result.transcript_s, 2),
    }
    return result


def write_demo_page(record: DemoRecord, calls_dir: Path) -> Path:
    """Write the recorded demo call's timeline page (with its post-call run, if any) into its recording folder
    and note its path in ``record``. Blocking."""
    if record.call_id is None or record.recording is None:
        raise ValueError("the demo call was not recorded")
    with CallStore(root=calls_dir) as store:
        store.add_call(Path(record.recording))  # idempotent: keeps the post-call runs of a stored call
        stored = store.get(record.call_id)
        assert stored is not None
        page = write_call_page(stored, stored.folder / PAGE_FILE)
    record.page = str(page.resolve())
    return page
