"""``CallStore``: recorded calls and their post-call runs in a database (SQLite by default, PostgreSQL by URL).

::

    store = CallStore(root="calls")                                   # calls/calls.db beside the recordings
    store = CallStore("postgresql+psycopg://user@host/db", root="/srv/calls")

The schema is applied on open by the Alembic migrations shipped in the package (``migrate=False`` skips that,
e.g. when a deploy step runs ``sidecar calls migrate``). Recordings stay files under ``root``; the database holds
each call's record (JSON) and summary columns, and one row per post-call run. Personal data throughout.

Cost and data figures: each call carries the audio-seconds its live sidecar engines were sent (what cloud
engines bill) and the seconds of transcript they kept (``audio_sent_s``, ``transcript_s``; per engine in the
record's ``costs``; ``None`` for a call cut short), and each post-call run the same for its engine.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, select
from sqlalchemy.orm import Session, sessionmaker

from ..log import logger
from ..recording.record import CallRecord, load_call_record
from .migrate import upgrade_database
from .models import CallRow, ReprocessRow
from .reconciliation import Reconciliation

__all__ = ["CallStore", "CallSummary", "ReprocessRun", "StoredCall"]


@dataclass(frozen=True, slots=True)
class CallSummary:
    call_id: str
    started_at: float
    audio_s: float
    complete: bool
    live_outcome: str
    needs_review: bool
    review_reason: str | None
    audio_sent_s: float | None = None
    """Audio-seconds sent to the live sidecar engines, all together (``None``: not known)."""
    transcript_s: float | None = None
    """Seconds of transcript the live sidecar engines kept, all together."""


@dataclass(frozen=True, slots=True)
class ReprocessRun:
    """One post-call run: ``status`` is ``running`` (or was killed while running), ``done`` or ``failed``."""

    call_id: str
    engine_spec: str
    mode: str
    status: str
    started_at: float
    finished_at: float | None
    processing_s: float | None
    segments: list[dict[str, Any]]
    numbers: list[str]
    found_e164: str | None
    verdict: str | None
    differing_groups: list[int]
    error: str | None
    audio_sent_s: float | None = None
    """Audio-seconds the run sent to its engine (``None`` while running)."""
    transcript_s: float | None = None
    """Seconds of transcript the run stored (``None`` unless done)."""


@dataclass(frozen=True, slots=True)
class StoredCall:
    summary: CallSummary
    folder: Path
    record: CallRecord
    runs: list[ReprocessRun]

    @property
    def audio_path(self) -> Path:
        from ..recording.record import AUDIO_FILE

        return self.folder / AUDIO_FILE


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


class CallStore:
    """Calls and post-call runs. Thread-safe (one short transaction per method)."""

    def __init__(self, url: str | None = None, *, root: str | Path = "calls", migrate: bool = True) -> None:
        self.root = Path(root)
        if url is None:
            self.root.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{(self.root / 'calls.db').resolve()}"
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            _enable_sqlite_foreign_keys(self.engine)
        if migrate:
            upgrade_database(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> CallStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- calls ------------------------------------------------------------------------------------------

    def add_call(self, folder: str | Path) -> CallRecord:
        """Read the call recorded in ``folder`` and store (or update) it. Idempotent."""
        path = Path(folder).resolve()
        record = load_call_record(path)
        with self._session() as session:
            row = session.get(CallRow, record.call_id)
            if row is None:
                row = CallRow(call_id=record.call_id, needs_review=False)
                session.add(row)
            row.started_at = record.started_at
            row.ended_at = record.ended_at
            row.audio_s = record.audio_s
            row.folder = str(path)
            row.language = record.language
            row.region = record.region
            row.engines = list(record.engines)
            row.complete = record.complete
            row.live_outcome = record.live_outcome
            row.live_e164 = record.confirmed_e164
            row.record = record.to_json()
            row.audio_sent_s = record.audio_sent_s
            row.transcript_s = record.transcript_s
        logger.info("call stored", extra={"call_id": record.call_id})
        return record

    def import_folder(self) -> list[str]:
        """Store every recorded call under ``root`` that the database does not hold yet (e.g. after a crash)."""
        with self._session() as session:
            known = set(session.scalars(select(CallRow.call_id)))
        added = []
        for journal in sorted(self.root.glob("*/call.jsonl")):
            if journal.parent.name not in known:
                try:
                    added.append(self.add_call(journal.parent).call_id)
                except ValueError:
                    logger.warning("unreadable call journal skipped", extra={"folder": str(journal.parent)})
        return added

    def list_calls(self, *, needs_review: bool | None = None) -> list[CallSummary]:
        """Calls, newest first; ``needs_review=True`` only those a post-call run flagged."""
        query = select(CallRow).order_by(CallRow.started_at.desc())
        if needs_review is not None:
            query = query.where(CallRow.needs_review == needs_review)
        with self._session() as session:
            return [_summary(row) for row in session.scalars(query)]

    def get(self, call_id: str) -> StoredCall | None:
        with self._session() as session:
            row = session.get(CallRow, call_id)
            if row is None:
                return None
            runs = session.scalars(
                select(ReprocessRow).where(ReprocessRow.call_id == call_id).order_by(ReprocessRow.id)
            )
            return StoredCall(
                summary=_summary(row),
                folder=Path(row.folder),
                record=CallRecord.from_json(row.record),
                runs=[_run(r) for r in runs],
            )

    def delete_call(self, call_id: str) -> bool:
        """Delete a call: its rows and its recording folder. ``False`` when there was no such call."""
        with self._session() as session:
            row = session.get(CallRow, call_id)
            if row is None:
                return False
            folder = Path(row.folder)
            session.execute(delete(ReprocessRow).where(ReprocessRow.call_id == call_id))
            session.delete(row)
        shutil.rmtree(folder, ignore_errors=True)
        logger.info("call deleted", extra={"call_id": call_id})
        return True

    def purge(self, *, retention_s: float, now: float | None = None) -> list[str]:
        """Delete every call that started more than ``retention_s`` ago; returns their ids."""
        cutoff = (time.time() if now is None else now) - retention_s
        with self._session() as session:
            old = list(session.scalars(select(CallRow.call_id).where(CallRow.started_at < cutoff)))
        return [call_id for call_id in old if self.delete_call(call_id)]

    # -- post-call runs ---------------------------------------------------------------------------------

    def start_run(self, call_id: str, engine_spec: str, mode: str) -> None:
        """Mark the run of ``engine_spec`` over the call as running, replacing any earlier run of the same job."""
        with self._session() as session:
            row = self._run_row(session, call_id, engine_spec, mode)
            if row is None:
                row = ReprocessRow(call_id=call_id, engine_spec=engine_spec, mode=mode)
                session.add(row)
            row.status = "running"
            row.started_at = time.time()
            row.finished_at = row.processing_s = row.found_e164 = row.verdict = row.error = None
            row.audio_sent_s = row.transcript_s = None
            row.segments = row.numbers = row.differing_groups = None

    def finish_run(
        self,
        call_id: str,
        engine_spec: str,
        mode: str,
        *,
        segments: list[dict[str, Any]],
        reconciliation: Reconciliation,
        processing_s: float,
        audio_sent_s: float,
        transcript_s: float,
    ) -> None:
        """Store a finished run and the call's review flag, in one transaction. ``audio_sent_s`` is the audio the
        run sent to its engine, ``transcript_s`` the seconds of transcript it stored."""
        with self._session() as session:
            row = self._run_row(session, call_id, engine_spec, mode)
            call = session.get(CallRow, call_id)
            if row is None or call is None:
                raise KeyError(call_id)
            row.status = "done"
            row.finished_at = time.time()
            row.processing_s = processing_s
            row.segments = segments
            row.numbers = list(reconciliation.numbers)
            row.found_e164 = reconciliation.post_e164
            row.verdict = reconciliation.verdict
            row.differing_groups = list(reconciliation.differing_groups)
            row.audio_sent_s = audio_sent_s
            row.transcript_s = transcript_s
            call.needs_review = reconciliation.needs_review
            call.review_reason = reconciliation.reason

    def fail_run(
        self, call_id: str, engine_spec: str, mode: str, *, error: str, audio_sent_s: float | None = None
    ) -> None:
        """Mark the run failed; ``audio_sent_s`` is the audio it sent to its engine before it failed."""
        with self._session() as session:
            row = self._run_row(session, call_id, engine_spec, mode)
            if row is not None:
                row.status = "failed"
                row.finished_at = time.time()
                row.error = error[:2000]
                row.audio_sent_s = audio_sent_s

    def run(self, call_id: str, engine_spec: str, mode: str) -> ReprocessRun | None:
        with self._session() as session:
            row = self._run_row(session, call_id, engine_spec, mode)
            return None if row is None else _run(row)

    @staticmethod
    def _run_row(session: Session, call_id: str, engine_spec: str, mode: str) -> ReprocessRow | None:
        query = select(ReprocessRow).where(
            ReprocessRow.call_id == call_id, ReprocessRow.engine_spec == engine_spec, ReprocessRow.mode == mode
        )
        return session.scalars(query).one_or_none()


def _summary(row: CallRow) -> CallSummary:
    return CallSummary(
        call_id=row.call_id,
        started_at=row.started_at,
        audio_s=row.audio_s,
        complete=row.complete,
        live_outcome=row.live_outcome,
        needs_review=row.needs_review,
        review_reason=row.review_reason,
        audio_sent_s=row.audio_sent_s,
        transcript_s=row.transcript_s,
    )


def _run(row: ReprocessRow) -> ReprocessRun:
    return ReprocessRun(
        call_id=row.call_id,
        engine_spec=row.engine_spec,
        mode=row.mode,
        status=row.status,
        started_at=row.started_at,
        finished_at=row.finished_at,
        processing_s=row.processing_s,
        segments=list(row.segments or []),
        numbers=list(row.numbers or []),
        found_e164=row.found_e164,
        verdict=row.verdict,
        differing_groups=list(row.differing_groups or []),
        error=row.error,
        audio_sent_s=row.audio_sent_s,
        transcript_s=row.transcript_s,
    )
