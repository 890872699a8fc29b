"""The index of what Sidecar wrote for a call outside its journal and audio: pages, audio copies, exported clips.

Kept as ``written.jsonl`` in the call's folder, one line per file: its path, its kind (``page``, ``audio_copy``,
``clip``) and, for a clip, the manifest that lists it. ``delete`` and ``purge`` read it to remove every copy of
the call, and ``view --out`` to know which existing file is a page it may overwrite. A path inside the store's
root is kept relative to it (a moved or copied store finds its own files); one outside, absolute.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

__all__ = [
    "PAGE_MARKER",
    "WRITTEN_FILE",
    "WrittenFile",
    "drop_manifest_lines",
    "is_page_of",
    "note_written",
    "written_files",
]

WRITTEN_FILE: Final = "written.jsonl"

PAGE_MARKER: Final = '<meta name="generator" content="sidecar-stt call page">'
"""In the head of every page Sidecar writes: an existing file without it is never overwritten or deleted."""

WrittenKind = Literal["page", "audio_copy", "clip"]

_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: Path
    kind: WrittenKind
    manifest: Path | None = None


def _stored(path: Path, root: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def _loaded(text: str, root: Path) -> Path:
    path = Path(text)
    return path if path.is_absolute() else root / path


def note_written(folder: Path, root: Path, path: Path, kind: WrittenKind, *, manifest: Path | None = None) -> None:
    """Add ``path`` to the call's index (once)."""
    entry = {"path": _stored(path, root), "kind": kind}
    if manifest is not None:
        entry["manifest"] = _stored(manifest, root)
    with _LOCK:
        known = [(str(f.path), f.kind) for f in written_files(folder, root)]
        if (str(_loaded(entry["path"], root)), kind) in known:
            return
        with (folder / WRITTEN_FILE).open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def written_files(folder: Path, root: Path) -> Iterator[WrittenFile]:
    """The files in the call's index (damaged lines are skipped: what they named cannot be trusted)."""
    index = folder / WRITTEN_FILE
    if not index.is_file():
        return
    for line in index.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
            kind = entry["kind"]
            if kind not in ("page", "audio_copy", "clip"):
                continue
            manifest = entry.get("manifest")
            yield WrittenFile(
                _loaded(str(entry["path"]), root), kind, None if manifest is None else _loaded(str(manifest), root)
            )
        except (ValueError, KeyError, TypeError):
            continue


def is_page_of(path: Path, call_id: str | None = None) -> bool:
    """Whether ``path`` is a page Sidecar wrote (of ``call_id``, if given): only such a file is overwritten."""
    try:
        with path.open("rb") as f:
            head = f.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    if PAGE_MARKER not in head:
        return False
    if call_id is None:
        return True
    from markupsafe import escape  # as the page's template escaped it

    return f'<meta name="sidecar-call" content="{escape(call_id)}">' in head


def drop_manifest_lines(manifest: Path, call_id: str) -> None:
    """Remove the lines of ``call_id`` from a manifest this module wrote (the file is replaced whole)."""
    if not manifest.is_file():
        return
    kept = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            kept.append(line)
            continue
        meta = entry.get("meta") if isinstance(entry, dict) else None
        if isinstance(meta, dict) and meta.get("call_id") == call_id:
            continue
        kept.append(line)
    temporary = manifest.with_name(manifest.name + ".tmp")
    temporary.write_text("".join(line + "\n" for line in kept), encoding="utf-8")
    os.replace(temporary, manifest)
