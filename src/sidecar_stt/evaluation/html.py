"""``report.html``: one self-contained page (inline CSS, plots as base64 PNG, no network) of the bake-off."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from typing import Final

from .plots import colour_for, latency_plot, rate_by_group_plot, success_plot
from .report import audio_sent, provenance
from .results import EvalResults
from .scoring import RecordingScore, engine_labels
from .summary import EngineSummary, GroupRate, rates_by

__all__ = ["render_html"]

_CSS: Final = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto; max-width: 1100px;
       color: #111827; background: #ffffff; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.meta { color: #4b5563; margin: 0 0 16px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e5e7eb; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; font-weight: 600; }
td.name, th.name { text-align: left; white-space: normal; overflow-wrap: break-word; }
td.best { font-weight: 700; }
b.tag { display: inline-block; min-width: 18px; margin-right: 6px; color: #374151; }
span.dot { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; background: #fff; }
.card img { width: 100%; height: auto; display: block; }
ul.notes { color: #374151; font-size: 13px; }
details { margin-top: 12px; }
td.text { text-align: left; white-space: normal; max-width: 420px; color: #374151; }
td.ok { color: #15803d; } td.bad { color: #b91c1c; }
"""


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<div class="card"><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></div>'


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _num(value: float | None, fmt: str) -> str:
    return "–" if value is None else fmt.format(value)


def _breakable(name: str) -> str:
    """An engine spec escaped, with line-break opportunities after its separators, so a narrow cell wraps it
    between parts (``whisper:base?`` / ``language=no&`` / ``beam=5``) rather than inside a word."""
    return re.sub(r"([:?&+,/])", r"\1<wbr>", html.escape(name))


def _tag(labels: Mapping[str, str], engine: str) -> str:
    label = labels.get(engine, engine)
    return "" if label == engine else f"<b class='tag'>{html.escape(label)}</b>"


def _summary_table(rows: Sequence[EngineSummary], labels: Mapping[str, str]) -> str:
    engines = [r.engine for r in rows]
    best = max((r.phone_success_rate or 0.0 for r in rows), default=0.0)
    head = (
        "<tr><th class='name'>engine</th><th>phone success</th><th>95 % CI</th><th>in n-best</th>"
        "<th>digit error rate</th><th>WER</th><th>time to final p50</th><th>RTF</th><th>audio sent</th>"
        "<th>transcript</th><th>failures</th><th>n</th></tr>"
    )
    body = []
    for r in rows:
        colour = colour_for(engines, r.engine)
        cls = " class='best'" if rows and (r.phone_success_rate or 0.0) == best and best > 0 else ""
        body.append(
            "<tr>"
            f"<td class='name'><span class='dot' style='background:{colour}'></span>{_tag(labels, r.engine)}"
            f"{_breakable(r.engine)}</td>"
            f"<td{cls}>{_pct(r.phone_success_rate)} ({r.successes}/{r.phone_n})</td>"
            f"<td>{100 * r.ci95[0]:.0f}–{100 * r.ci95[1]:.0f} %</td>"
            f"<td>{_pct(r.phone_success_in_nbest)}</td>"
            f"<td>{_pct(r.digit_error_rate)}</td>"
            f"<td>{_pct(r.wer)}</td>"
            f"<td>{_num(r.time_to_final_s_p50, '{:.2f} s')}</td>"
            f"<td>{_num(r.rtf, '{:.3f}')}</td>"
            f"<td>{html.escape(audio_sent(r))}</td><td>{r.transcript_s:.1f} s</td>"
            f"<td>{r.failures}</td><td>{r.n}</td>"
            "</tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _recording_table(scores: Sequence[RecordingScore]) -> str:
    head = (
        "<tr><th class='name'>recording</th><th class='name'>engine</th><th>style</th><th>SNR</th>"
        "<th>expected</th><th>found</th><th>digit errors</th><th>time to final</th><th>audio sent</th>"
        "<th>transcript</th>"
        "<th class='name'>transcript</th></tr>"
    )
    body = []
    for s in scores:
        ok = "ok" if s.success else "bad"
        found = html.escape(s.found or ("error" if s.failed else "–"))
        snr = "clean" if s.snr_db is None else f"{s.snr_db:g} dB"
        text = html.escape(s.error if s.failed and s.error else s.text)
        body.append(
            "<tr>"
            f"<td class='name'>{html.escape(s.recording_id)}</td><td class='name'>{html.escape(s.engine)}</td>"
            f"<td>{html.escape(s.style or '–')}</td><td>{snr}</td>"
            f"<td>{html.escape(s.expected or '–')}</td><td class='{ok}'>{found}</td>"
            f"<td>{s.digit_errors}/{s.digit_count}</td><td>{_num(s.time_to_final_s, '{:.2f} s')}</td>"
            f"<td>{_sent(s)}</td><td>{s.transcript_s:.1f} s</td>"
            f"<td class='text'>{text}</td>"
            "</tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _sent(score: RecordingScore) -> str:
    if not score.cached:
        return f"{score.audio_sent_s:.1f} s"
    earlier = "uncounted" if score.audio_sent_cached_s is None else f"{score.audio_sent_cached_s:.1f} s"
    return f"cached ({earlier} earlier)"


def _groups(rates: Sequence[GroupRate]) -> int:
    return len({r.group for r in rates})


def render_html(results: EvalResults) -> str:
    """The whole page as a string."""
    rows = results.rows
    engines = [r.engine for r in rows]
    scores = results.scores
    labels = engine_labels(results.specs)
    plots = [_img(success_plot(rows, labels=labels), "phone success per engine")]
    plots.append(_img(latency_plot(scores, engines=engines, labels=labels), "latency distribution"))
    by_style = rates_by(scores, lambda s: s.style)
    if _groups(by_style) > 1:  # one group would be one bar per engine: the table says it already
        plots.append(
            _img(
                rate_by_group_plot(
                    by_style, engines=engines, title="Success per spoken style", xlabel="spoken style", labels=labels
                ),
                "success per spoken style",
            )
        )
    by_snr = rates_by(scores, lambda s: "clean" if s.snr_db is None else f"{s.snr_db:g}")
    if _groups(by_snr) > 1:
        plots.append(
            _img(
                rate_by_group_plot(by_snr, engines=engines, title="Success per SNR", xlabel="SNR (dB)", labels=labels),
                "success per SNR",
            )
        )
    settings = results.settings
    engine_s = sum(o.processing_s for per in results.outputs.values() for o in per.values())
    meta = (
        f"{len(results.recordings)} recordings · {len(results.specs)} engine(s) · pace {settings.get('pace')} · "
        f"mode {settings.get('mode')} · concurrency {settings.get('concurrency')} · {results.runs} runs, "
        f"{results.cache_hits} cached · engine time {engine_s:.1f} s · this run {results.wall_s:.1f} s"
    )
    notes = (
        "<ul class='notes'>"
        "<li><b>phone success</b>: the best number our parser finds in the best transcript is the expected one "
        "(bars, with 95 % Wilson intervals); <b>in n-best</b>: it is among the candidates of any alternative "
        "(◆ in the first plot).</li>"
        "<li><b>digit error rate</b>: edit distance between expected and found digits over expected digits; "
        "<b>WER</b> on normalised words against the spoken text (printed digits count as errors).</li>"
        "<li><b>time to final</b>: end of speech → last final for streams; decode time for recognize(). "
        "Fusion rows wait for their slowest member.</li>"
        "<li><b>audio sent</b>: seconds of audio this run passed to the engine (what a cloud engine bills); "
        "results read from the cache sent none, what their earlier run sent is shown as cached. "
        "<b>transcript</b>: seconds of transcript the results hold (the finals' spans, or the recording's speech "
        "span when the engine gives no times). Fusion rows add their members'.</li>"
        "</ul>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>STT bake-off</title><style>{_CSS}</style></head><body>"
        f"<h1>STT bake-off</h1><p class='meta'>{html.escape(provenance(results))}</p>"
        f"<p class='meta'>{html.escape(meta)}</p>"
        f"{_summary_table(rows, labels)}{notes}"
        f"<h2>Plots</h2><div class='grid'>{''.join(plots)}</div>"
        f"<details><summary>Per recording ({len(scores)} rows)</summary>{_recording_table(scores)}</details>"
        "</body></html>"
    )
