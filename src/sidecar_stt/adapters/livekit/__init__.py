"""The LiveKit adapter: the only package that imports ``livekit``."""

from .engine_runner import EngineStats
from .events import EngineFailedEvent, FramesDroppedEvent, SidecarEventTypes, SidecarTranscriptEvent
from .phone_capture import CapturedPhoneNumber, ConfirmedHook, PhoneNumberCapture
from .sidecar import Sidecar, SidecarOptions, TurnTranscript
from .tap import AudioTap
from .task import CapturePhoneNumberTask

__all__ = [
    "AudioTap",
    "CapturePhoneNumberTask",
    "CapturedPhoneNumber",
    "ConfirmedHook",
    "EngineFailedEvent",
    "EngineStats",
    "FramesDroppedEvent",
    "PhoneNumberCapture",
    "Sidecar",
    "SidecarEventTypes",
    "SidecarOptions",
    "SidecarTranscriptEvent",
    "TurnTranscript",
]
