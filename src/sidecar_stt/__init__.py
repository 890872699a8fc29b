"""Sidecar: an accurate STT beside a realtime speech-to-speech model in LiveKit Agents.

The public API lives here. Names are resolved lazily so that ``import sidecar_stt.core`` (pure Python) never
imports livekit; the LiveKit adapter loads on first use of a name that needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # core (pure Python)
    "Alternative": "sidecar_stt.core.segment",
    "Segment": "sidecar_stt.core.segment",
    "Word": "sidecar_stt.core.segment",
    "TranscriptLedger": "sidecar_stt.core.ledger",
    "UserTurn": "sidecar_stt.core.ledger",
    # errors
    "AudioError": "sidecar_stt.errors",
    "ConfigurationError": "sidecar_stt.errors",
    "EngineError": "sidecar_stt.errors",
    "EngineTimeoutError": "sidecar_stt.errors",
    "SidecarError": "sidecar_stt.errors",
    # LiveKit adapter
    "AudioTap": "sidecar_stt.adapters.livekit",
    "EngineFailedEvent": "sidecar_stt.adapters.livekit",
    "EngineStats": "sidecar_stt.adapters.livekit",
    "FramesDroppedEvent": "sidecar_stt.adapters.livekit",
    "Sidecar": "sidecar_stt.adapters.livekit",
    "SidecarOptions": "sidecar_stt.adapters.livekit",
    "SidecarTranscriptEvent": "sidecar_stt.adapters.livekit",
    "TurnTranscript": "sidecar_stt.adapters.livekit",
}

__all__ = sorted([*_EXPORTS, "__version__"], key=str.casefold)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sidecar_stt' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)


if TYPE_CHECKING:
    from .adapters.livekit import (
        AudioTap,
        EngineFailedEvent,
        EngineStats,
        FramesDroppedEvent,
        Sidecar,
        SidecarOptions,
        SidecarTranscriptEvent,
        TurnTranscript,
    )
    from .core.ledger import TranscriptLedger, UserTurn
    from .core.segment import Alternative, Segment, Word
    from .errors import AudioError, ConfigurationError, EngineError, EngineTimeoutError, SidecarError
