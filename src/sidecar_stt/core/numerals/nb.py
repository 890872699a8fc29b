"""The number words of ``nb``; they live in its language pack (:mod:`sidecar_stt.core.languages.nb`)."""

from __future__ import annotations

from ..languages.nb import NORWEGIAN_FILLER_PHRASES, NORWEGIAN_FILLERS, NORWEGIAN_LABELS, NORWEGIAN_QUANTITIES
from ..languages.nb import NUMBERS as SPEC

__all__ = ["NORWEGIAN_FILLERS", "NORWEGIAN_FILLER_PHRASES", "NORWEGIAN_LABELS", "NORWEGIAN_QUANTITIES", "SPEC"]
