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
import html
import json
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from .call_view import CallView, Mark, NumberView, PostCallView, SegmentView, SourceView, TurnView, build_call_view
from .show import live_costs, run_costs
from .store import StoredCall

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


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(at_s: float, audio_s: float) -> float:
    return 0.0 if audio_s <= 0 else max(0.0, min(100.0, 100.0 * at_s / audio_s))


def _span_attrs(start_s: float, end_s: float) -> str:
    return f'data-start="{start_s:.3f}" data-end="{end_s:.3f}"'


def _number(number: NumberView) -> str:
    pairs = "".join(
        f'<span class="pair{" differs" if i in number.differing else ""}">{_e(g)}</span>'
        for i, g in enumerate(number.groups)
    )
    verdict = {"right": "✓", "wrong": "✗", "unknown": ""}[number.correct]
    title = {"right": "the confirmed number", "wrong": "not the confirmed number", "unknown": "no confirmed number"}
    return (
        f'<span class="number {number.correct}" title="{title[number.correct]}" data-number="{_e(number.text)}">'
        f'<span class="digits pd">{pairs}</span><span class="verdict">{verdict}</span></span>'
    )


def _numbers(numbers: Sequence[NumberView], *, label: str = "yields") -> str:
    if not numbers:
        return f'<div class="yields muted">{label}: no number</div>'
    return f'<div class="yields">{label}: {"".join(_number(n) for n in numbers)}</div>'


def _segment_list(segment: SegmentView) -> str:
    items = "".join(
        f'<li><span class="transcript pd" {_span_attrs(segment.start_s, segment.end_s)}>{_e(text)}</span>'
        + ("" if confidence is None else f'<span class="conf">{confidence:.2f}</span>')
        + "".join(_number(n) for n in numbers)
        + "</li>"
        for text, confidence, numbers in segment.nbest
    )
    when = f'<span class="seg-time">{segment.start_s:.2f}–{segment.end_s:.2f} s</span>'
    return f'{when}<ol class="nbest">{items}</ol>'


def _source(source: SourceView) -> str:
    kind = f"source {source.kind}" + ("" if source.heard else " silent")
    head = f"<h4>{_e(source.source)}</h4>"
    if not source.heard:
        return f'<div class="{kind}" data-source="{_e(source.source)}">{head}<p class="muted">heard nothing</p></div>'
    if source.kind == "realtime":
        segment = source.segments[0]
        text = segment.nbest[0][0]
        body = f'<p class="transcript pd" {_span_attrs(segment.start_s, segment.end_s)}>{_e(text)}</p>'
    else:
        body = "".join(_segment_list(s) for s in source.segments)
    return f'<div class="{kind}" data-source="{_e(source.source)}">{head}{body}{_numbers(source.numbers)}</div>'


def _mark_item(mark: Mark) -> str:
    return (
        f'<li class="mark-item" data-kind="{mark.kind}" {_span_attrs(mark.at_s, mark.at_s + 3.0)}>'
        f'<span class="t">{mark.at_s:6.2f} s</span><span class="m-label k-{mark.kind}">{_e(mark.label)}</span>'
        + (f'<span class="pd">{_e(mark.detail)}</span> ' if mark.detail else "")
        + (f'<span class="muted">{_e(mark.facts)}</span>' if mark.facts else "")
        + "</li>"
    )


def _turn(turn: TurnView, columns: int) -> str:
    begin, end = turn.owned
    sources = "".join(_source(s) for s in turn.sources)
    agent = "".join(f'<p class="pd">{_e(line)}</p>' for line in turn.agent_lines)
    tools = "".join(
        f'<div class="tool{" error" if t.is_error else ""}"><b>{_e(t.name)}</b>(<span class="pd">{_e(t.arguments)}'
        f'</span>) <span class="t">at {t.at_s:.2f} s</span>\n→ <span class="pd tool-output">{_e(t.output)}</span></div>'
        for t in turn.tool_calls
    )
    marks = "".join(_mark_item(m) for m in turn.marks if m.kind not in ("tool", "tool_error"))
    return (
        f'<article class="card turn" id="{_e(turn.turn_id)}" data-turn="{_e(turn.turn_id)}" '
        f'data-start="{begin:.3f}" data-end="{end:.3f}">'
        f'<h3><button class="play-turn" {_span_attrs(begin, end)} title="play this turn">▶</button>'
        f"Turn {turn.index + 1} <span class='t'>{turn.start_s:.2f}–{turn.end_s:.2f} s "
        f"(plays {begin:.2f}–{end:.2f} s)</span></h3>"
        f'<div class="sources" style="--columns: {columns}">{sources}</div>'
        + (f'<div class="agent"><h4>agent</h4>{agent}</div>' if agent else "")
        + (f'<div class="tools"><h4>tool calls</h4>{tools}</div>' if tools else "")
        + (f'<ul class="turn-marks">{marks}</ul>' if marks else "")
        + "</article>"
    )


def _timeline(view: CallView, peaks: Sequence[float], audio_src: str | None) -> str:
    d = view.audio_s
    spans = "".join(
        f'<div class="span turn-span" data-turn="{_e(t.turn_id)}" {_span_attrs(*t.owned)} '
        f'style="left:{_pct(t.owned[0], d):.3f}%;width:{_pct(t.owned[1], d) - _pct(t.owned[0], d):.3f}%" '
        f'title="turn {t.index + 1}: {t.owned[0]:.2f}–{t.owned[1]:.2f} s">'
        f'<span class="label">{t.index + 1}</span></div>'
        for t in view.turns
    )
    spans += "".join(
        f'<div class="model-span" style="left:{_pct(t.start_s, d):.3f}%;'
        f'width:{max(0.3, _pct(t.end_s, d) - _pct(t.start_s, d)):.3f}%" '
        f'title="the realtime model heard turn {t.index + 1} from {t.start_s:.2f} to {t.end_s:.2f} s"></div>'
        for t in view.turns
    )
    spans += "".join(
        f'<div class="span unheard-span" {_span_attrs(s.start_s, s.end_s)} '
        f'style="left:{_pct(s.start_s, d):.3f}%;width:{max(0.3, _pct(s.end_s, d) - _pct(s.start_s, d)):.3f}%" '
        f'title="{_e(s.source)} heard speech the realtime model did not report"></div>'
        for s in view.unheard
    )
    rows = _flag_rows([_pct(m.at_s, d) for m in view.marks])
    flags = "".join(
        f'<div class="flag k-{m.kind}" data-kind="{m.kind}" {_span_attrs(m.at_s, m.at_s + 3.0)} '
        f'style="left:{_pct(m.at_s, d):.3f}%;top:{3 + 22 * row}px" title="{_e(m.label)} at {m.at_s:.2f} s">'
        f"{_MARK_SYMBOL[m.kind]}</div>"
        for m, row in zip(view.marks, rows, strict=True)
    )
    lane_px = 6 + 22 * (max(rows, default=0) + 1)
    post = "".join(
        f'<div class="lane post"><span class="lane-name">post-call {_e(run.engine_spec)}</span>'
        + "".join(
            f'<div class="seg" {_span_attrs(s.start_s, s.end_s)} style="left:{_pct(s.start_s, d):.3f}%;'
            f'width:{max(0.3, _pct(s.end_s, d) - _pct(s.start_s, d)):.3f}%" title="post-call segment"></div>'
            for s in run.segments
        )
        + "</div>"
        for run in view.post_call
        if run.segments
    )
    step = next((s for s in (1, 2, 5, 10, 15, 30, 60, 120) if d / s <= 14), 300)
    ticks = "".join(f'<span style="left:{_pct(t, d):.3f}%">{t:g} s</span>' for t in np.arange(0, d + 1e-9, step))
    audio = (
        f'<audio id="audio" preload="auto" src="{_e(audio_src)}"></audio>'
        '<button id="play" title="play or pause the whole call">▶ ❚❚</button>'
        if audio_src
        else '<span class="muted">'
        + ("audio left out (redacted page)" if view.redacted else "no recording of the caller audio")
        + "</span>"
    )
    legend = "".join(
        f'<span><i class="k-{k}"></i>{label}</span>'
        for k, label in (
            ("turn", "caller turn (click to play)"),
            ("model", "the realtime model's speech start to stop"),
            ("unheard", "speech the realtime model did not report"),
            ("post", "post-call segment"),
            ("proposed", "proposed"),
            ("rejected", "rejected"),
            ("confirmed", "confirmed"),
            ("refused", "step refused"),
            ("failed", "capture failed"),
            ("engine_failed", "engine failed"),
            ("tool", "tool call"),
        )
    )
    return (
        '<section id="timeline"><h2>Timeline</h2>'
        f'<div class="player">{audio}<span class="clock" id="clock">0.00 s</span>'
        f'<span class="muted">of {d:.2f} s</span></div>'
        f'<div class="timeline"><div class="wave" id="wave" data-duration="{d:.3f}"><canvas></canvas>{spans}'
        '<div class="playhead" id="playhead"></div></div>'
        f'<div class="lane marks" style="height:{lane_px}px">{flags}</div>{post}<div class="axis">{ticks}</div></div>'
        f'<div class="legend">{legend}</div>'
        f'<script type="application/json" id="peaks">{json.dumps(list(peaks))}</script></section>'
    )


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


def _post_call(run: PostCallView) -> str:
    verdict = run.verdict or run.status
    alert = " alert" if run.verdict in ("disagrees", "not_in_recording", "recovered") else ""
    rows = ""
    if run.live is not None:
        rows += f"<span>confirmed live</span><span>{_number(run.live)}</span>"
    rows += "<span>post-call transcript</span><span>" + (_number(run.found) if run.found else "no number") + "</span>"
    if len(run.numbers) > 1:
        rows += f"<span>all numbers in it</span><span>{''.join(_number(n) for n in run.numbers)}</span>"
    if run.audio_sent_s is not None:
        rows += f'<span>cost</span><span class="costs">{_e(run_costs(run.audio_sent_s, run.transcript_s))}</span>'
    segments = "".join(
        f'<li {_span_attrs(s.start_s, s.end_s)}><span class="t">{s.start_s:6.2f}–{s.end_s:6.2f} s</span>'
        f'<span class="transcript pd">{_e(s.nbest[0][0] if s.nbest else "")}</span></li>'
        for s in run.segments
    )
    return (
        f'<div class="card post-call{alert}" data-verdict="{_e(verdict)}">'
        f"<h3>{_e(run.engine_spec)} <span class='t'>[{_e(run.mode)}]</span>"
        f'<span class="badge {_e(verdict)}">{_e(verdict)}</span></h3>'
        + (f"<p>{_e(run.reason)}</p>" if run.reason else "")
        + (f'<p class="muted">{_e(run.error)}</p>' if run.error else "")
        + f'<div class="compare">{rows}</div>'
        + (f'<ul class="events">{segments}</ul>' if segments else "")
        + "</div>"
    )


def _header(view: CallView) -> str:
    when = datetime.datetime.fromtimestamp(view.started_at, tz=datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    outcome = f'<span class="badge {view.live_outcome}">live capture: {view.live_outcome}'
    if view.confirmed is not None:
        outcome += " " + _number(view.confirmed)
    outcome += "</span>"
    badges = [outcome]
    for run in view.post_call:
        if run.verdict is not None:
            badges.append(f'<span class="badge {_e(run.verdict)}">post-call: {_e(run.verdict)}</span>')
    if view.needs_review:
        badges.append(f'<span class="badge review">needs review: {_e(view.review_reason or "")}</span>')
    if not view.complete:
        badges.append('<span class="badge cut">recording cut short</span>')
    if view.redacted:
        badges.append('<span class="badge redacted">redacted: transcripts, numbers and audio hidden</span>')
    engines = ", ".join(view.engines) or "none"
    greeting = "".join(f'<p class="pd">{_e(line)}</p>' for line in view.greeting)
    return (
        f"<header><h1>Call {_e(view.call_id)}</h1>"
        f'<p class="meta">{when} · {view.audio_s:.1f} s of caller audio · {len(view.turns)} caller turns · '
        f"sidecar engines: {_e(engines)}</p>"
        f'<p class="meta costs">live engines: {_e(live_costs(view.costs))}</p>'
        f'<div class="badges">{"".join(badges)}</div>'
        + (f'<div class="agent"><h4>agent, before the first turn</h4>{greeting}</div>' if greeting else "")
        + "</header>"
    )


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def render_call_page(stored: StoredCall, *, redact: bool = False, audio_src: str | None = None) -> str:
    """The page as one HTML string. ``audio_src`` is the audio's URL (default: the recording inline as a data
    URI); a redacted page has no audio."""
    view = build_call_view(stored, redact=redact)
    if redact:
        audio_src = None
    elif audio_src is None and stored.audio_path.is_file():
        audio_src = "data:audio/wav;base64," + base64.b64encode(stored.audio_path.read_bytes()).decode("ascii")
    columns = max((len(t.sources) for t in view.turns), default=1)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>Call {_e(view.call_id)}</title><style>{_asset('call_page.css')}</style></head>",
        f'<body data-call="{_e(view.call_id)}" data-redacted="{str(view.redacted).lower()}">',
        _header(view),
        _timeline(view, waveform_peaks(stored.audio_path), audio_src),
    ]
    if view.post_call:
        parts.append('<section id="post-call"><h2>After the call</h2>')
        parts.extend(_post_call(run) for run in view.post_call)
        parts.append("</section>")
    parts.append(f'<section id="turns"><h2>Caller turns ({len(view.turns)})</h2>')
    parts.extend(_turn(turn, columns) for turn in view.turns)
    parts.append("</section>")
    if view.unheard:
        parts.append('<section id="unheard"><h2>Speech the realtime model did not report</h2><div class="card">')
        parts.extend(f'<div class="source engine">{_segment_list(s)}</div>' for s in view.unheard)
        parts.append("</div></section>")
    parts.append('<section id="events"><h2>Events</h2><ul class="events">')
    parts.extend(_mark_item(m) for m in view.marks)
    parts.append("</ul></section>")
    parts.append(f"<script>{_asset('call_page.js')}</script></body></html>")
    return "\n".join(parts)


def write_call_page(
    stored: StoredCall, out: str | Path, *, redact: bool = False, audio: AudioPlacement = "inline"
) -> Path:
    """Write the page to ``out``; with ``audio="beside"`` the recording is copied next to it as
    ``<out stem>.wav`` instead of being inlined. Returns the page's path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    audio_src = None
    if audio == "beside" and not redact and stored.audio_path.is_file():
        beside = path.with_suffix(".wav")
        shutil.copyfile(stored.audio_path, beside)
        audio_src = beside.name
    path.write_text(render_call_page(stored, redact=redact, audio_src=audio_src), encoding="utf-8")
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_call_page(page: str | Path, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve the page's folder over HTTP on ``host`` (loopback by default) while the block runs; yields the
    page's URL."""
    path = Path(page).resolve()
    server = ThreadingHTTPServer((host, port), partial(_QuietHandler, directory=str(path.parent)))
    thread = threading.Thread(target=server.serve_forever, name="sidecar-call-page", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/{path.name}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
