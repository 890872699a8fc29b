"""The call journal: one JSON object per line, appended and flushed as the call goes.

A crash leaves every line written before it; a line cut short by the crash is skipped when the journal is read.
Every entry has ``kind`` and ``created_at`` (wall clock); times on the session clock end in ``_s``. Entries hold
transcripts and numbers: personal data.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

__all__ = ["JournalWriter", "read_journal"]


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
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def read_journal(path: Path) -> Iterator[dict[str, Any]]:
    """The entries of a journal in order; a last line cut short (a crash mid-write) is skipped."""
    with path.open(encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("kind"), str):
                yield entry
