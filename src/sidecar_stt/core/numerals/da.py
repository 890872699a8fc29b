"""The number words of ``da``; they live in its language pack (:mod:`sidecar_stt.core.languages.da`)."""

from __future__ import annotations

from ..languages.da import NUMBERS as SPEC

__all__ = ["SPEC"]
