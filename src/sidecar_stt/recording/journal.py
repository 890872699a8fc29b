"""The call journal: one JSON object per line, appended and flushed as the call goes.

A crash leaves every line written before it. Reading never stops at a bad line: a line cut short by a crash, or
one that is not a JSON object with a ``kind``, is skipped and reported by its line number (:class:`SkippedLine`),
and the rest is read. Every entry has ``kind`` and ``created_at`` (wall clock); times on the session clock end in
``_s``. Entries hold transcripts and numbers: personal data (a skipped line's reason never quotes it).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import SidecarError

__all__ = ["JournalError", "JournalWriter", "SkippedLine", "read_journal", "read_journal_lines"]


class JournalError(SidecarError, ValueError):
    """A journal that cannot be read as a call (no start entry, a bad call id, the id of another folder)."""


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A journal line left out of the record: its 1-based number and why (never its content)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class JournalWriter:
    """Appends entries to a JSONL file; every entry is flushed to the OS at once, ``sync`` forces it to disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._file: TextIO | None = path.open("a", encoding="utf-8")

    def write(self, entry: Mapping[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=_jsonable)
        with self._lock:
            if self._file is None:
                return
            self._file.write(line + "\n")
            self._file.flush()

    def sync(self) -> None:
        with self._lock:
            if self._file is not None:
                os.fsync(self._file.fileno())

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                try:
                    self._file.flush()
                    os.fsync(self._file.fileno())
                finally:
                    self._file.close()
                    self._file = None


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def read_journal_lines(path: Path) -> Iterator[tuple[int, dict[str, Any] | SkippedLine]]:
    """Each non-empty line of a journal as ``(line number, entry)``, or ``(line number, SkippedLine)`` when the
    line is not a JSON object with a string ``kind`` (a line cut short by a crash, a damaged file)."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                yield number, SkippedLine(number, "not JSON (cut short or damaged)")
                continue
            if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
                yield number, SkippedLine(number, "not a journal entry (no kind)")
                continue
            yield number, entry


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """The entries of a journal in order; lines that are not entries are skipped."""
    for _, entry in read_journal_lines(path):
        if isinstance(entry, dict):
            yield entry
