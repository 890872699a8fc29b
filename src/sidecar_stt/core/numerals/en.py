"""The number words of ``en``; they live in its language pack (:mod:`sidecar_stt.core.languages.en`)."""

from __future__ import annotations

from ..languages.en import NUMBERS as SPEC

__all__ = ["SPEC"]
