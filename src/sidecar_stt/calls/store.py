"""``CallStore``: recorded calls and their post-call runs in a database (SQLite by default, PostgreSQL by URL).

::

    store = CallStore(root="calls")                                   # calls/calls.db beside the recordings
    store = CallStore("postgresql+psycopg://user@host/db", root="/srv/calls")

The schema is applied on open by the Alembic migrations shipped in the package (``migrate=False`` skips that,
e.g. when a deploy step runs ``sidecar calls migrate``). Recordings stay files under ``root``; the database holds
each call's record (JSON) and summary columns, and one row per post-call run. Personal data throughout.

Folders are stored relative to ``root`` and every path is resolved under the ``root`` the store was opened with,
so a moved or copied store works where it lies, and nothing outside ``root`` is deleted from a stored path. A
call folder is named by its call id (the journal's id must match it). ``delete_call`` and ``purge`` also remove
what was written for a call elsewhere (pages, audio copies, exported clips: :mod:`.written`), or raise
:class:`CallDeleteError` naming what they could not (and keep the call's rows, so a retry finds it).

Cost and data figures: each call carries the audio-seconds its live sidecar engines were sent (what cloud
engines bill) and the seconds of transcript they kept (``audio_sent_s``, ``transcript_s``; per engine in the
record's ``costs``; ``None`` for a call cut short), and each post-call run the same for its engine.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, delete, event, select
from sqlalchemy.orm import Session, sessionmaker

from ..errors import ConfigurationError, SidecarError
from ..log import logger
from ..recording.call_id import check_call_id, is_call_id
from ..recording.journal import JournalError, SkippedLine
from ..recording.record import AUDIO_FILE, JOURNAL_FILE, CallRecord, load_call_record
from .migrate import upgrade_database
from .models import CallRow, ReprocessRow
from .reconciliation import Reconciliation
from .written import drop_manifest_lines, is_page_of, written_files

__all__ = [
    "MIN_RETENTION_S",
    "CallDeleteError",
    "CallStore",
    "CallSummary",
    "ImportResult",
    "ReprocessRun",
    "StoredCall",
]

MIN_RETENTION_S: Final = 86400.0
"""Retention is at least one day: a shorter one (or a negative one) would delete calls still being looked at."""


class CallDeleteError(SidecarError):
    """Some of what was written for a call could not be removed; ``left`` names each path and why."""

    def __init__(self, call_id: str, left: list[tuple[Path, str]], *, deleted: list[str] | None = None) -> None:
        self.call_id = call_id
        self.left = left
        self.deleted = list(deleted or [])
        """Calls that were deleted whole before (``purge``)."""
        first, reason = left[0]
        more = f" and {len(left) - 1} more" if len(left) > 1 else ""
        super().__init__(f"call {call_id}: could not remove {first} ({reason}){more}; the call is kept")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What :meth:`CallStore.import_calls` did: calls stored, folders refused (and why), and journal lines
    left out of calls that were stored (by call and line number)."""

    added: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: dict[str, list[SkippedLine]] = field(default_factory=dict)


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
    root: Path | None = None
    """The root of the store it came from (``None``: the folder's parent)."""

    @property
    def audio_path(self) -> Path:
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

    # -- folders --------------------------------------------------------------------------------------

    def folder_of(self, stored_folder: str, call_id: str) -> Path:
        """The folder of a stored call under this store's ``root``. A folder stored as an absolute path (by an
        older version) is taken by its name: the store is wherever its root is now."""
        path = Path(stored_folder)
        relative = Path(path.name) if path.is_absolute() else path
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            relative = Path(call_id)
        return self.root / relative

    def _inside_root(self, path: Path) -> bool:
        """``path`` lies strictly inside the root (symlinks resolved): the only places a delete goes."""
        try:
            resolved = path.resolve()
        except OSError:
            return False
        root = self.root.resolve()
        return resolved != root and resolved.is_relative_to(root)

    # -- calls ------------------------------------------------------------------------------------------

    def add_call(self, folder: str | Path) -> CallRecord:
        """Read the call recorded in ``folder`` (a folder under ``root`` named by the call id) and store (or
        update) it. Idempotent. :class:`JournalError` (one line) for a folder that holds no readable call, a
        call id that is not valid, or a journal whose id is not its folder's name."""
        path = Path(folder)
        if not self._inside_root(path):
            raise ConfigurationError(f"call folder {path} is not under the store's root {self.root}")
        record = load_call_record(path)
        if record.call_id != path.name:
            raise JournalError(
                f"{path}: its journal names call {record.call_id!r}, not its folder's {path.name!r}; refused"
            )
        relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        with self._session() as session:
            row = session.get(CallRow, record.call_id)
            if row is None:
                row = CallRow(call_id=record.call_id, needs_review=False)
                session.add(row)
            row.started_at = record.started_at
            row.ended_at = record.ended_at
            row.audio_s = record.audio_s
            row.folder = relative
            row.language = record.language[:16]
            row.region = record.region[:8]
            row.engines = list(record.engines)
            row.complete = record.complete
            row.live_outcome = record.live_outcome
            row.live_e164 = None if record.confirmed_e164 is None else record.confirmed_e164[:32]
            row.record = record.to_json()
            row.audio_sent_s = record.audio_sent_s
            row.transcript_s = record.transcript_s
        logger.info("call stored", extra={"call_id": record.call_id})
        return record

    def import_calls(self) -> ImportResult:
        """Store every recorded call under ``root`` that the database does not hold yet (e.g. after a crash).
        A folder that cannot be stored is refused with its reason and the others still are."""
        with self._session() as session:
            known = set(session.scalars(select(CallRow.call_id)))
        result = ImportResult()
        for journal in sorted(self.root.glob(f"*/{JOURNAL_FILE}")):
            name = journal.parent.name
            if name in known:
                continue
            try:
                record = self.add_call(journal.parent)
            except (SidecarError, ValueError, OSError) as e:
                logger.warning("call folder not stored", extra={"error": type(e).__name__})
                result.refused.append((name, str(e)))
                continue
            result.added.append(record.call_id)
            if record.skipped:
                result.skipped[record.call_id] = list(record.skipped)
        return result

    def import_folder(self) -> list[str]:
        """The ids :meth:`import_calls` stored (refused folders are logged)."""
        return self.import_calls().added

    def list_calls(self, *, needs_review: bool | None = None) -> list[CallSummary]:
        """Calls, newest first; ``needs_review=True`` only those a post-call run flagged."""
        query = select(CallRow).order_by(CallRow.started_at.desc())
        if needs_review is not None:
            query = query.where(CallRow.needs_review == needs_review)
        with self._session() as session:
            return [_summary(row) for row in session.scalars(query)]

    def get(self, call_id: str) -> StoredCall | None:
        if not is_call_id(call_id):
            return None
        with self._session() as session:
            row = session.get(CallRow, call_id)
            if row is None:
                return None
            runs = session.scalars(
                select(ReprocessRow).where(ReprocessRow.call_id == call_id).order_by(ReprocessRow.id)
            )
            return StoredCall(
                summary=_summary(row),
                folder=self.folder_of(row.folder, row.call_id),
                record=CallRecord.from_json(row.record),
                runs=[_run(r) for r in runs],
                root=self.root,
            )

    def delete_call(self, call_id: str) -> bool:
        """Delete a call: what was written for it (pages, audio copies, exported clips and their manifest
        lines), its recording folder under ``root``, then its rows. ``False`` when there was no such call.
        :class:`CallDeleteError` when something could not be removed: the rows stay, so nothing comes back on
        the next import and a retry can finish the job."""
        check_call_id(call_id)
        with self._session() as session:
            row = session.get(CallRow, call_id)
            if row is None:
                return False
            folder = self.folder_of(row.folder, call_id)
        left = self._remove_call_files(call_id, folder)
        if left:
            raise CallDeleteError(call_id, left)
        with self._session() as session:
            session.execute(delete(ReprocessRow).where(ReprocessRow.call_id == call_id))
            session.execute(delete(CallRow).where(CallRow.call_id == call_id))
        logger.info("call deleted", extra={"call_id": call_id})
        return True

    def _remove_call_files(self, call_id: str, folder: Path) -> list[tuple[Path, str]]:
        """Remove the call's written files and folder; returns what is left, with why."""
        left: list[tuple[Path, str]] = []
        if not self._inside_root(folder) and folder.exists():
            return [(folder, "not under the store's root")]
        for written in written_files(folder, self.root):
            path = written.path
            if not path.exists() and not path.is_symlink():
                continue
            if written.kind == "page" and not is_page_of(path, call_id):
                continue  # no longer the page that was written: someone else's file now
            try:
                path.unlink()
                if written.manifest is not None:
                    drop_manifest_lines(written.manifest, call_id)
            except OSError as e:
                left.append((path, e.strerror or type(e).__name__))
        if folder.is_symlink():
            try:
                folder.unlink()
            except OSError as e:
                left.append((folder, e.strerror or type(e).__name__))
        elif folder.exists():
            left.extend(_remove_tree(folder))
        return left

    def purge(self, *, retention_s: float, now: float | None = None) -> list[str]:
        """Delete every call that started more than ``retention_s`` ago (at least a day), and every call folder
        under ``root`` the store never took (a call cut short and never imported) whose journal is that old.
        Returns the ids deleted; :class:`CallDeleteError` after trying them all if some could not be."""
        if not retention_s >= MIN_RETENTION_S:
            raise ConfigurationError(f"retention must be at least 1 day, not {retention_s / 86400:g}")
        cutoff = (time.time() if now is None else now) - retention_s
        with self._session() as session:
            old = list(session.scalars(select(CallRow.call_id).where(CallRow.started_at < cutoff)))
            known = set(session.scalars(select(CallRow.call_id)))
        deleted: list[str] = []
        failures: list[CallDeleteError] = []
        for call_id in old:
            try:
                if self.delete_call(call_id):
                    deleted.append(call_id)
            except CallDeleteError as e:
                failures.append(e)
        for journal in sorted(self.root.glob(f"*/{JOURNAL_FILE}")):
            folder = journal.parent
            if folder.name in known or not is_call_id(folder.name) or not self._inside_root(folder):
                continue
            try:
                if os.stat(journal).st_mtime >= cutoff:
                    continue
            except OSError:
                continue
            left = self._remove_call_files(folder.name, folder)
            if left:
                failures.append(CallDeleteError(folder.name, left))
            else:
                deleted.append(folder.name)
                logger.info("unstored call folder purged", extra={"call_id": folder.name})
        if failures:
            raise CallDeleteError(failures[0].call_id, [item for e in failures for item in e.left], deleted=deleted)
        return deleted

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


def _remove_tree(folder: Path) -> list[tuple[Path, str]]:
    """Remove ``folder`` and everything in it (symlinks are removed, never followed); returns what is left."""
    left: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False):
        here = Path(dirpath)
        for name in filenames + [d for d in dirnames if (here / d).is_symlink()]:
            try:
                (here / name).unlink()
            except OSError as e:
                left.append((here / name, e.strerror or type(e).__name__))
        try:
            here.rmdir()
        except OSError as e:
            if not left:
                left.append((here, e.strerror or type(e).__name__))
    return left


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
