"""``report.html``: one self-contained page (inline CSS, plots as base64 PNG, no network) of the bake-off.

The page is the Mako template ``templates/report.html.mako``, which HTML-escapes every value it is given; this
module only gathers and formats the values (rows of text, one per table row).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ..errors import ConfigurationError

try:
    from mako.template import Template
    from markupsafe import Markup
except ImportError as e:  # the eval extra brings both
    raise ConfigurationError(
        'the bake-off\'s report.html needs mako, which the eval extra brings: pip install "sidecar-stt[eval]"'
    ) from e

from .plots import colour_for, latency_plot, rate_by_group_plot, success_plot
from .report_text import audio_sent, provenance
from .results import EvalResults
from .scoring import RecordingScore, engine_labels
from .summary import EngineSummary, GroupRate, rates_by

__all__ = ["render_html"]


@dataclass(frozen=True)
class _Plot:
    alt: str
    png_base64: str


@dataclass(frozen=True)
class _SummaryRow:
    colour: str
    tag: str | None  # the short label of a long engine spec, when it has one
    name: Markup
    best: bool
    success: str
    ci95: str
    in_nbest: str
    digit_error_rate: str
    wer: str
    time_to_final: str
    rtf: str
    audio_sent: str
    transcript: str
    failures: int
    n: int


@dataclass(frozen=True)
class _RecordingRow:
    recording_id: str
    engine: str
    style: str
    snr: str
    expected: str
    verdict: str  # the found cell's class: "ok" or "bad"
    found: str
    digit_errors: str
    time_to_final: str
    audio_sent: str
    transcript: str
    text: str


@cache
def _template() -> Template:
    text = files(__package__).joinpath("templates", "report.html.mako").read_text(encoding="utf-8")
    return Template(text, default_filters=["h"], strict_undefined=True)


def _plot(png: bytes, alt: str) -> _Plot:
    return _Plot(alt=alt, png_base64=base64.b64encode(png).decode("ascii"))


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _num(value: float | None, fmt: str) -> str:
    return "–" if value is None else fmt.format(value)


def _breakable(name: str) -> Markup:
    """An engine spec escaped, with line-break opportunities after its separators, so a narrow cell wraps it
    between parts (``whisper:base?`` / ``language=no&`` / ``beam=5``) rather than inside a word."""
    return Markup("<wbr>").join(re.split(r"(?<=[:?&+,/])", name))


def _summary_rows(rows: Sequence[EngineSummary], labels: Mapping[str, str]) -> list[_SummaryRow]:
    engines = [r.engine for r in rows]
    best = max((r.phone_success_rate or 0.0 for r in rows), default=0.0)
    return [
        _SummaryRow(
            colour=colour_for(engines, r.engine),
            tag=None if labels.get(r.engine, r.engine) == r.engine else labels[r.engine],
            name=_breakable(r.engine),
            best=(r.phone_success_rate or 0.0) == best and best > 0,
            success=f"{_pct(r.phone_success_rate)} ({r.successes}/{r.phone_n})",
            ci95=f"{100 * r.ci95[0]:.0f}–{100 * r.ci95[1]:.0f} %",
            in_nbest=_pct(r.phone_success_in_nbest),
            digit_error_rate=_pct(r.digit_error_rate),
            wer=_pct(r.wer),
            time_to_final=_num(r.time_to_final_s_p50, "{:.2f} s"),
            rtf=_num(r.rtf, "{:.3f}"),
            audio_sent=audio_sent(r),
            transcript=f"{r.transcript_s:.1f} s",
            failures=r.failures,
            n=r.n,
        )
        for r in rows
    ]


def _recording_rows(scores: Sequence[RecordingScore]) -> list[_RecordingRow]:
    return [
        _RecordingRow(
            recording_id=s.recording_id,
            engine=s.engine,
            style=s.style or "–",
            snr="clean" if s.snr_db is None else f"{s.snr_db:g} dB",
            expected=s.expected or "–",
            verdict="ok" if s.success else "bad",
            found=s.found or ("error" if s.failed else "–"),
            digit_errors=f"{s.digit_errors}/{s.digit_count}",
            time_to_final=_num(s.time_to_final_s, "{:.2f} s"),
            audio_sent=_sent(s),
            transcript=f"{s.transcript_s:.1f} s",
            text=s.error if s.failed and s.error else s.text,
        )
        for s in scores
    ]


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
    plots = [_plot(success_plot(rows, labels=labels), "phone success per engine")]
    plots.append(_plot(latency_plot(scores, engines=engines, labels=labels), "latency distribution"))
    by_style = rates_by(scores, lambda s: s.style)
    if _groups(by_style) > 1:  # one group would be one bar per engine: the table says it already
        plots.append(
            _plot(
                rate_by_group_plot(
                    by_style, engines=engines, title="Success per spoken style", xlabel="spoken style", labels=labels
                ),
                "success per spoken style",
            )
        )
    by_snr = rates_by(scores, lambda s: "clean" if s.snr_db is None else f"{s.snr_db:g}")
    if _groups(by_snr) > 1:
        plots.append(
            _plot(
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
    page: str = _template().render(
        provenance=provenance(results),
        meta=meta,
        summary=_summary_rows(rows, labels),
        plots=plots,
        recordings=_recording_rows(scores),
    )
    return page
