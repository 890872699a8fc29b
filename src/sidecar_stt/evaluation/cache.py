"""The bake-off's result cache: one JSON file per engine spec × recording id × audio hash.

A rerun of ``sidecar eval`` with the same ``--out`` reads finished recordings from ``OUT/cache/`` instead of
running the engine again; a changed audio file (another hash) or another spec misses the cache. Failed runs
are cached too (a failure is a result), unless the caller asks to retry them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..log import logger
from .output import EngineOutput

__all__ = ["ResultCache"]


class ResultCache:
    """JSON files under ``root``, written atomically (a crash never leaves half a file)."""

    def __init__(self, root: str | Path) -> None:
        self._root = Path(root)

    @property
    def root(self) -> Path:
        """The cache folder."""
        return self._root

    def path_for(self, spec: str, recording_id: str, audio_sha256: str) -> Path:
        """Where the result of ``spec`` on this recording is kept."""
        key = hashlib.sha256("\0".join((spec, recording_id, audio_sha256)).encode("utf-8")).hexdigest()
        safe_id = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in recording_id)[:60]
        return self._root / key[:2] / f"{safe_id}-{key[:24]}.json"

    def get(self, spec: str, recording_id: str, audio_sha256: str) -> EngineOutput | None:
        """The cached result, or ``None`` (a missing or unreadable file is a miss)."""
        path = self.path_for(spec, recording_id, audio_sha256)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            out = EngineOutput.from_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            logger.warning("ignoring an unreadable cache entry", extra={"path": str(path)})
            return None
        if (out.spec, out.recording_id, out.audio_sha256) != (spec, recording_id, audio_sha256):
            return None
        return out

    def put(self, output: EngineOutput) -> Path:
        """Store ``output``; returns its path."""
        path = self.path_for(output.spec, output.recording_id, output.audio_sha256)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(output.to_json(), f, ensure_ascii=False, indent=1)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
