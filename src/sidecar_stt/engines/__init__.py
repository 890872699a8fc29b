"""Sidecar STT engines: Azure Speech with n-best, local Whisper, and engine specs (``from_spec``).

Importing this package loads no vendor SDK; :class:`AzureSpeechSTT` and :class:`WhisperSTT` load on first
attribute access, and their SDKs only when an engine is built or used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_getattr
from .spec import EngineSpec, check_requirements, describe_engine, from_spec, parse_spec

if TYPE_CHECKING:
    from .azure import AzureSpeechSTT
    from .whisper import WhisperSTT, whisper_stream_stt

__all__ = [
    "AzureSpeechSTT",
    "EngineSpec",
    "WhisperSTT",
    "check_requirements",
    "describe_engine",
    "from_spec",
    "parse_spec",
    "whisper_stream_stt",
]

_LAZY = {"AzureSpeechSTT": ".azure", "WhisperSTT": ".whisper", "whisper_stream_stt": ".whisper"}


__getattr__ = lazy_getattr(__name__, _LAZY)
