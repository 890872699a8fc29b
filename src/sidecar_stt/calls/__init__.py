"""After the call: a store of recorded calls, post-call re-transcription reconciled with the live capture,
jobs (in-process, or on a task queue), retention and a bake-off dataset from one's own calls.

Needs the ``calls`` extra (SQLAlchemy, Alembic, soundfile); PostgreSQL needs ``postgres``, the queue ``queue``.
See ``docs/POST_CALL.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr

# name -> module it resolves from on first access; tests/test_public_api.py pins it to the TYPE_CHECKING
# imports below (what type checkers read)
_EXPORTS: dict[str, str] = {
    "AudioPlacement": "sidecar_stt.calls.call_page",
    "render_call_page": "sidecar_stt.calls.call_page",
    "serve_call_page": "sidecar_stt.calls.page_server",
    "write_call_page": "sidecar_stt.calls.call_page",
    "CallView": "sidecar_stt.calls.call_view",
    "build_call_view": "sidecar_stt.calls.call_view",
    "ReviewHook": "sidecar_stt.calls.events",
    "ReviewNeededEvent": "sidecar_stt.calls.events",
    "export_dataset": "sidecar_stt.calls.export",
    "run_reprocess_jobs": "sidecar_stt.calls.jobs",
    "upgrade_database": "sidecar_stt.calls.migrate",
    "Reconciliation": "sidecar_stt.calls.reconciliation",
    "Verdict": "sidecar_stt.calls.reconciliation",
    "reconcile": "sidecar_stt.calls.reconciliation",
    "ReprocessMode": "sidecar_stt.calls.reprocess",
    "ReprocessResult": "sidecar_stt.calls.reprocess",
    "reprocess_call": "sidecar_stt.calls.reprocess",
    "CallStore": "sidecar_stt.calls.store",
    "CallSummary": "sidecar_stt.calls.store",
    "ReprocessRun": "sidecar_stt.calls.store",
    "StoredCall": "sidecar_stt.calls.store",
}

__all__ = sorted(_EXPORTS, key=str.casefold)

__getattr__ = lazy_getattr(__name__, _EXPORTS)

if TYPE_CHECKING:
    from .call_page import AudioPlacement as AudioPlacement
    from .call_page import render_call_page as render_call_page
    from .call_page import write_call_page as write_call_page
    from .call_view import CallView as CallView
    from .call_view import build_call_view as build_call_view
    from .events import ReviewHook as ReviewHook
    from .events import ReviewNeededEvent as ReviewNeededEvent
    from .export import export_dataset as export_dataset
    from .jobs import run_reprocess_jobs as run_reprocess_jobs
    from .migrate import upgrade_database as upgrade_database
    from .page_server import serve_call_page as serve_call_page
    from .reconciliation import Reconciliation as Reconciliation
    from .reconciliation import Verdict as Verdict
    from .reconciliation import reconcile as reconcile
    from .reprocess import ReprocessMode as ReprocessMode
    from .reprocess import ReprocessResult as ReprocessResult
    from .reprocess import reprocess_call as reprocess_call
    from .store import CallStore as CallStore
    from .store import CallSummary as CallSummary
    from .store import ReprocessRun as ReprocessRun
    from .store import StoredCall as StoredCall
