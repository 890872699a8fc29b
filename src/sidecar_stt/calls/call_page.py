"""The timeline page of one call: one self-contained HTML file (inline CSS and JS, no network).

::

    path = write_call_page(store.get(call_id), "call.html")                # caller audio inline (base64 WAV)
    path = write_call_page(stored, "share.html", redact=True)              # no transcripts, numbers or audio
    with serve_call_page(path) as url: ...                                 # http://127.0.0.1:PORT/call.html

The page shows the caller audio as a waveform with the turns over it (a click on a turn, a transcript or a mark
plays that span), per turn the realtime model's transcript beside each engine's n-best and the numbers they
yield, the agent's lines, tool calls and capture events, and each post-call reconciliation. A redacted page
leaves the audio out too: the voice says the number. Unredacted pages hold personal data.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import shutil
import urllib.parse
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from ..errors import ConfigurationError
from .call_view import build_call_view
from .page_server import serve_call_page
from .show import live_costs, run_costs
from .store import StoredCall
from .written import is_page_of, note_written, written_files

__all__ = ["AudioPlacement", "render_call_page", "serve_call_page", "waveform_peaks", "write_call_page"]

AudioPlacement = Literal["inline", "beside"]
"""``inline``: the WAV as a base64 data URI in the page; ``beside``: a copy next to the page, linked by name."""

PEAKS: Final = 900
_MARK_SYMBOL: Final = {
    "proposed": "?",
    "rejected": "✗",
    "confirmed": "✓",
    "failed": "!",
    "refused": "–",
    "engine_failed": "E",
    "frames_dropped": "D",
    "tool": "ƒ",
    "tool_error": "ƒ",
}


def waveform_peaks(audio_path: Path, *, buckets: int = PEAKS) -> list[float]:
    """The caller audio's loudness in ``buckets`` equal slices (peak of each, 0..1 of the loudest)."""
    if not audio_path.is_file():
        return []
    import soundfile

    samples, _rate = soundfile.read(str(audio_path), dtype="int16", always_2d=False)
    if not len(samples):
        return []
    magnitude = np.abs(np.asarray(samples, dtype=np.int32))
    edges = np.linspace(0, len(magnitude), num=min(buckets, len(magnitude)) + 1, dtype=np.int64)
    peaks = np.maximum.reduceat(magnitude, edges[:-1]).astype(np.float64)
    top = float(peaks.max()) or 1.0
    return [round(float(p) / top, 3) for p in peaks]


def _pct(at_s: float, audio_s: float) -> float:
    return 0.0 if audio_s <= 0 else max(0.0, min(100.0, 100.0 * at_s / audio_s))


def _flag_rows(positions: Sequence[float], *, min_gap_pct: float = 1.6) -> list[int]:
    """A row for each flag (positions in % of the call, in time order) so that flags in one row do not overlap."""
    last: list[float] = []  # the position of the last flag in each row
    rows = []
    for x in positions:
        row = next((i for i, end in enumerate(last) if x - end >= min_gap_pct), len(last))
        if row == len(last):
            last.append(x)
        last[row] = x
        rows.append(row)
    return rows


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


@functools.cache
def _template() -> Any:
    from mako.template import Template

    source = resources.files(__package__).joinpath("templates", "call_page.html.mako").read_text(encoding="utf-8")
    # every ${...} is HTML-escaped (quotes too) unless the template says | n
    return Template(source, default_filters=["h"], strict_undefined=True)


def _script_json(value: object) -> str:
    """JSON for inside a ``<script>`` element: no ``<`` (no ``</script>``), so the block cannot be closed early."""
    return json.dumps(value).replace("<", "\\u003c")


def render_call_page(stored: StoredCall, *, redact: bool = False, audio_src: str | None = None) -> str:
    """The page as one HTML string. ``audio_src`` is the audio's URL (default: the recording inline as a data
    URI); a redacted page has no audio."""
    view = build_call_view(stored, redact=redact)
    if redact:
        audio_src = None
    elif audio_src is None and stored.audio_path.is_file():
        audio_src = "data:audio/wav;base64," + base64.b64encode(stored.audio_path.read_bytes()).decode("ascii")
    d = view.audio_s
    rows = _flag_rows([_pct(m.at_s, d) for m in view.marks])
    step = next((s for s in (1, 2, 5, 10, 15, 30, 60, 120) if d / s <= 14), 300)
    html: str = _template().render(
        view=view,
        started=datetime.datetime.fromtimestamp(view.started_at, tz=datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        audio_src=audio_src,
        columns=max((len(t.sources) for t in view.turns), default=1),
        pct=lambda at_s: _pct(at_s, d),
        flags=list(zip(view.marks, rows, strict=True)),
        lane_px=6 + 22 * (max(rows, default=0) + 1),
        ticks=[float(t) for t in np.arange(0, d + 1e-9, step)],
        mark_symbol=_MARK_SYMBOL,
        live_costs=live_costs,
        run_costs=run_costs,
        peaks_json=_script_json(waveform_peaks(stored.audio_path)),
        css=_asset("call_page.css"),
        js=_asset("call_page.js"),
    )
    return html


def write_call_page(
    stored: StoredCall, out: str | Path, *, redact: bool = False, audio: AudioPlacement = "inline"
) -> Path:
    """Write the page to ``out``; with ``audio="beside"`` the recording is copied next to it as
    ``<out stem>.wav`` instead of being inlined. Returns the page's path.

    Never overwrites a file that is not a page Sidecar wrote (nor a WAV that is not a copy it made for this
    call): one ``ConfigurationError`` line instead. The page and the copy are noted in the call's index of
    written files, so deleting the call removes them."""
    path = Path(out)
    root = stored.root if stored.root is not None else stored.folder.parent
    if path.is_dir():
        raise ConfigurationError(f"{path} is a folder; give the page's file name (e.g. {path / 'call.html'})")
    if (path.exists() or path.is_symlink()) and not is_page_of(path):
        raise ConfigurationError(f"{path} exists and is not a call page Sidecar wrote; choose another --out")
    beside = path.with_suffix(".wav") if audio == "beside" and not redact and stored.audio_path.is_file() else None
    if beside is not None and (beside.exists() or beside.is_symlink()):
        copies = {f.path.resolve() for f in written_files(stored.folder, root) if f.kind == "audio_copy"}
        if beside.resolve() not in copies or beside.resolve() == stored.audio_path.resolve():
            raise ConfigurationError(f"{beside} exists and is not an audio copy Sidecar made; choose another --out")
    path.parent.mkdir(parents=True, exist_ok=True)
    audio_src = None
    if beside is not None:
        if stored.folder.is_dir():
            note_written(stored.folder, root, beside, "audio_copy")
        shutil.copyfile(stored.audio_path, beside)
        audio_src = "./" + urllib.parse.quote(beside.name)  # a relative URL, never read as a scheme
    if stored.folder.is_dir():
        note_written(stored.folder, root, path, "page")
    path.write_text(render_call_page(stored, redact=redact, audio_src=audio_src), encoding="utf-8")
    return path
