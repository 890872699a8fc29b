"""The LiveKit adapter: the only package that imports ``livekit``."""

from .capture_tools import ConfirmedHook, PhoneCaptureResult, PhoneCaptureTools
from .engine_runner import EngineStats
from .events import EngineFailedEvent, FramesDroppedEvent, SidecarEventTypes, SidecarTranscriptEvent
from .sidecar import Sidecar, SidecarOptions, TurnTranscript
from .tap import AudioTap
from .task import CapturePhoneNumberTask

__all__ = [
    "AudioTap",
    "CapturePhoneNumberTask",
    "ConfirmedHook",
    "EngineFailedEvent",
    "EngineStats",
    "FramesDroppedEvent",
    "PhoneCaptureResult",
    "PhoneCaptureTools",
    "Sidecar",
    "SidecarEventTypes",
    "SidecarOptions",
    "SidecarTranscriptEvent",
    "TurnTranscript",
]
