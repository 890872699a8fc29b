"""The LiveKit adapter: the only package that imports ``livekit``."""

from .engine_runner import EngineStats
from .events import EngineFailedEvent, FramesDroppedEvent, SidecarEventTypes, SidecarTranscriptEvent
from .sidecar import Sidecar, SidecarOptions, TurnTranscript
from .tap import AudioTap

__all__ = [
    "AudioTap",
    "EngineFailedEvent",
    "EngineStats",
    "FramesDroppedEvent",
    "Sidecar",
    "SidecarEventTypes",
    "SidecarOptions",
    "SidecarTranscriptEvent",
    "TurnTranscript",
]
