"""Writing the bake-off's results: ``results.json``, ``results.csv``, ``report.md`` (and ``report.html``).

``results.json`` holds ``{"rows": [...], "per_recording": [...], "settings": {...}}``; each row has the keys
``engine, phone_success_rate, phone_success_in_nbest, digit_error_rate, wer, time_to_final_s_p50, rtf,
failures, n`` (plus the Wilson interval and counts) and the cost and data figures ``audio_sent_s,
audio_sent_cached_s, transcript_s, cached``. ``results.csv`` is the rows as a table.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Final

from .report_text import audio_sent, provenance
from .results import EvalResults
from .summary import EngineSummary

__all__ = ["CSV_COLUMNS", "audio_sent", "provenance", "render_markdown", "results_json", "write_reports"]

CSV_COLUMNS: Final = (
    "engine",
    "phone_success_rate",
    "phone_success_in_nbest",
    "digit_error_rate",
    "wer",
    "time_to_final_s_p50",
    "rtf",
    "failures",
    "n",
    "successes",
    "phone_n",
    "audio_sent_s",
    "audio_sent_cached_s",
    "transcript_s",
    "cached",
)


def results_json(results: EvalResults) -> dict[str, Any]:
    """The content of ``results.json``."""
    return {
        "rows": [r.to_json() for r in results.rows],
        "per_recording": [s.to_json() for s in results.scores],
        "settings": {
            **results.settings,
            "engines": results.specs,
            "recordings": len(results.recordings),
            "cache_hits": results.cache_hits,
            "runs": results.runs,
            "wall_s": round(results.wall_s, 2),
        },
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if value is None else fmt.format(value)


def _md_row(r: EngineSummary) -> str:
    cells = [
        f"`{r.engine}`",
        f"{_pct(r.phone_success_rate)} ({r.successes}/{r.phone_n})",
        f"{100 * r.ci95[0]:.0f}–{100 * r.ci95[1]:.0f} %",
        _pct(r.phone_success_in_nbest),
        _pct(r.digit_error_rate),
        _pct(r.wer),
        _num(r.time_to_final_s_p50, "{:.2f} s"),
        _num(r.rtf, "{:.3f}"),
        audio_sent(r),
        f"{r.transcript_s:.1f} s",
        str(r.failures),
        str(r.n),
    ]
    return "| " + " | ".join(cells) + " |"


def render_markdown(results: EvalResults) -> str:
    """``report.md``: the table of rows and how it was measured."""
    settings = results.settings
    lines = [
        "# STT bake-off",
        "",
        provenance(results),
        "",
        f"{len(results.recordings)} recordings, engines: {', '.join(f'`{s}`' for s in results.specs)}; "
        f"pace `{settings.get('pace')}`, mode `{settings.get('mode')}`, concurrency {settings.get('concurrency')}; "
        f"{results.runs} runs, {results.cache_hits} from the cache, {results.wall_s:.1f} s wall time.",
        "",
        "| engine | phone success (top-1) | 95 % CI | in n-best | digit error rate | WER | time to final p50 "
        "| RTF | audio sent | transcript | failures | n |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_md_row(r) for r in results.rows),
        "",
        "- *phone success*: the best number our parser finds in the best transcript is the expected one; "
        "*in n-best*: it is among the candidates of any alternative transcript (fusion: of any fused candidate).",
        "- *digit error rate*: edit distance between expected and found digits over expected digits.",
        "- *WER*: normalised words against the reference (the spoken text); printed digits count as errors.",
        "- *time to final*: from the end of speech to the last final for streaming engines; the decode time "
        "for engines given the whole recording (`recognize`). Fusion: the slowest member.",
        "- *RTF*: processing wall time over audio time (for streams fed at real-time pace it is ≥ 1).",
        "- *audio sent*: seconds of audio this run passed to the engine (what a cloud engine bills): the whole "
        "recording for `recognize`, the frames pushed for a stream; results read from the cache sent none, and "
        "what their earlier run sent is shown as *cached*. Fusion: its members' summed.",
        "- *transcript*: seconds of transcript the results hold: the engine's finals' spans, or the recording's "
        "speech span when the engine gives no times.",
        "",
    ]
    return "\n".join(lines)


def _csv(results: EvalResults) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CSV_COLUMNS), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in results.rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.to_json().items()})
    return buf.getvalue()


def write_reports(results: EvalResults, out_dir: str | Path, *, html: bool = True) -> dict[str, Path]:
    """Write every report file into ``out_dir``; returns their paths by kind. Blocking (plots, files)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out / "results.json",
        "csv": out / "results.csv",
        "markdown": out / "report.md",
    }
    paths["json"].write_text(json.dumps(results_json(results), ensure_ascii=False, indent=1), encoding="utf-8")
    paths["csv"].write_text(_csv(results), encoding="utf-8")
    paths["markdown"].write_text(render_markdown(results), encoding="utf-8")
    if html:
        from .html import render_html

        paths["html"] = out / "report.html"
        paths["html"].write_text(render_html(results), encoding="utf-8")
    return paths
