"""The results of one bake-off run: what the reports (Markdown, JSON, CSV, HTML) are made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .dataset import Recording
from .output import EngineOutput
from .scoring import RecordingScore
from .summary import EngineSummary

__all__ = ["EvalResults"]


@dataclass(slots=True)
class EvalResults:
    """Everything the reports are made from."""

    specs: list[str]
    recordings: list[Recording]
    outputs: dict[str, dict[str, EngineOutput]]
    """spec → recording id → output."""
    scores: list[RecordingScore]
    rows: list[EngineSummary]
    cache_hits: int = 0
    runs: int = 0
    wall_s: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)
