"""The number words of ``nn``; they live in its language pack (:mod:`sidecar_stt.core.languages.nn`)."""

from __future__ import annotations

from ..languages.nn import NUMBERS as SPEC

__all__ = ["SPEC"]
