"""Texts every bake-off report shows the same way (the Markdown report and the HTML page)."""

from __future__ import annotations

from .results import EvalResults
from .summary import EngineSummary

__all__ = ["audio_sent", "provenance"]


def audio_sent(row: EngineSummary) -> str:
    """``12.4 s``; ``0.0 s + 12.4 s cached`` when results came from the cache (what their earlier run sent)."""
    text = f"{row.audio_sent_s:.1f} s"
    if not row.cached:
        return text
    earlier = "uncounted" if row.audio_sent_cached_s is None else f"{row.audio_sent_cached_s:.1f} s"
    return f"{text} + {earlier} cached"


def provenance(results: EvalResults) -> str:
    """What was measured, when and with what: ``dataset data/nb/manifest.jsonl · 2026-11-29 22:40 UTC ·
    sidecar-stt 0.1.0``."""
    settings = results.settings
    parts = [f"dataset {settings['dataset']}" if settings.get("dataset") else "dataset given in code"]
    if settings.get("started_at"):
        parts.append(str(settings["started_at"]))
    parts.append(f"sidecar-stt {settings.get('sidecar_version', 'unknown')}")
    return " · ".join(parts)
