"""The number words of ``sv``; they live in its language pack (:mod:`sidecar_stt.core.languages.sv`)."""

from __future__ import annotations

from ..languages.sv import NUMBERS as SPEC

__all__ = ["SPEC"]
