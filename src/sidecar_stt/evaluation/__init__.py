"""The STT bake-off: datasets (JSONL manifests, synthetic espeak-ng sets), engine runs, scores and reports.

Importing this package loads neither LiveKit nor matplotlib; :func:`run_evaluation` (LiveKit) and
:func:`write_reports` (matplotlib for the HTML plots) load on first attribute access. See ``docs/DATASET.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr
from .dataset import ManifestError, Recording, load_manifest, write_manifest
from .output import EngineOutput, FinalTranscript
from .results import EvalResults
from .scoring import RecordingScore
from .summary import EngineSummary
from .synth import SynthOptions, synthesize_dataset

if TYPE_CHECKING:
    from .report import write_reports
    from .runner import run_evaluation

__all__ = [
    "EngineOutput",
    "EngineSummary",
    "EvalResults",
    "FinalTranscript",
    "ManifestError",
    "Recording",
    "RecordingScore",
    "SynthOptions",
    "load_manifest",
    "run_evaluation",
    "synthesize_dataset",
    "write_manifest",
    "write_reports",
]

_LAZY = {"run_evaluation": ".runner", "write_reports": ".report"}


__getattr__ = lazy_getattr(__name__, _LAZY)
