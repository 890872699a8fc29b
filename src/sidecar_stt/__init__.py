"""Sidecar: an accurate STT beside a realtime speech-to-speech model in LiveKit Agents.

The public API lives here. Names are resolved lazily so that ``import sidecar_stt.core`` (pure Python) never
imports livekit; the LiveKit adapter and the engines load on first use of a name that needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_getattr

__version__ = "0.1.0"

# name -> module it resolves from on first access; tests/test_public_api.py pins it to the TYPE_CHECKING
# imports below (what type checkers read)
_EXPORTS: dict[str, str] = {
    "AudioFormatDetectedEvent": "sidecar_stt.adapters.livekit",
    "AudioTap": "sidecar_stt.adapters.livekit",
    "CapturePhoneNumberTask": "sidecar_stt.adapters.livekit",
    "ConfirmedHook": "sidecar_stt.adapters.livekit",
    "EngineFailedEvent": "sidecar_stt.adapters.livekit",
    "EngineOutputRepairedEvent": "sidecar_stt.adapters.livekit",
    "EngineRecoveredEvent": "sidecar_stt.adapters.livekit",
    "EngineStats": "sidecar_stt.adapters.livekit",
    "FramesDroppedEvent": "sidecar_stt.adapters.livekit",
    "KeypadEntryReceivedEvent": "sidecar_stt.adapters.livekit",
    "KeypadListener": "sidecar_stt.adapters.livekit",
    "PhoneCaptureResult": "sidecar_stt.adapters.livekit",
    "PhoneCaptureTools": "sidecar_stt.adapters.livekit",
    "Sidecar": "sidecar_stt.adapters.livekit",
    "SidecarOptions": "sidecar_stt.adapters.livekit",
    "SidecarTranscriptEvent": "sidecar_stt.adapters.livekit",
    "TapLostEvent": "sidecar_stt.adapters.livekit",
    "TapReinstalledEvent": "sidecar_stt.adapters.livekit",
    "TurnSourceSelectedEvent": "sidecar_stt.adapters.livekit",
    "TurnTranscript": "sidecar_stt.adapters.livekit",
    "CallStore": "sidecar_stt.calls",
    "Reconciliation": "sidecar_stt.calls",
    "ReviewNeededEvent": "sidecar_stt.calls",
    "export_dataset": "sidecar_stt.calls",
    "reconcile": "sidecar_stt.calls",
    "reprocess_call": "sidecar_stt.calls",
    "write_call_page": "sidecar_stt.calls",
    "CallerAnswer": "sidecar_stt.core.answer",
    "CaptureStep": "sidecar_stt.core.capture",
    "PhoneCaptureMachine": "sidecar_stt.core.capture",
    "CaptureEvent": "sidecar_stt.core.capture_events",
    "CaptureEscalatedEvent": "sidecar_stt.core.capture_events",
    "CaptureStepRefusedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberCaptureFailedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberConfirmedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberProposedEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberReadBackEvent": "sidecar_stt.core.capture_events",
    "PhoneNumberRejectedEvent": "sidecar_stt.core.capture_events",
    "DtmfDetector": "sidecar_stt.core.dtmf",
    "Evidence": "sidecar_stt.core.fusion",
    "FusedCandidate": "sidecar_stt.core.fusion",
    "FusionWeights": "sidecar_stt.core.fusion",
    "fuse_phone_evidence": "sidecar_stt.core.fusion",
    "phone_capture_instructions": "sidecar_stt.core.instructions",
    "KeypadEntry": "sidecar_stt.core.keypad",
    "Kind": "sidecar_stt.core.kinds",
    "KindCandidate": "sidecar_stt.core.kinds",
    "SpokenValue": "sidecar_stt.core.kinds",
    "app_code": "sidecar_stt.core.kinds",
    "kind": "sidecar_stt.core.kinds",
    "TranscriptLedger": "sidecar_stt.core.ledger",
    "TurnTiming": "sidecar_stt.core.ledger",
    "UserTurn": "sidecar_stt.core.ledger",
    "LANGUAGES": "sidecar_stt.core.numerals",
    "normalize_language": "sidecar_stt.core.numerals",
    "parse_digit_readings": "sidecar_stt.core.numerals",
    "NumberChoice": "sidecar_stt.core.number_choice",
    "choose_number": "sidecar_stt.core.number_choice",
    "PhoneCandidate": "sidecar_stt.core.phone",
    "extract_phone_numbers": "sidecar_stt.core.phone",
    "Proposal": "sidecar_stt.core.proposal",
    "read_back": "sidecar_stt.core.readback",
    "read_back_groups": "sidecar_stt.core.readback",
    "Alternative": "sidecar_stt.core.segment",
    "Segment": "sidecar_stt.core.segment",
    "Word": "sidecar_stt.core.segment",
    "AzureSpeechSTT": "sidecar_stt.engines",
    "WhisperSTT": "sidecar_stt.engines",
    "describe_engine": "sidecar_stt.engines",
    "from_spec": "sidecar_stt.engines",
    "AudioError": "sidecar_stt.errors",
    "ConfigurationError": "sidecar_stt.errors",
    "EngineError": "sidecar_stt.errors",
    "EngineTimeoutError": "sidecar_stt.errors",
    "SidecarError": "sidecar_stt.errors",
    "CallRecord": "sidecar_stt.recording",
    "CallRecorder": "sidecar_stt.recording",
    "load_call_record": "sidecar_stt.recording",
}

__all__ = sorted([*_EXPORTS, "__version__"], key=str.casefold)


__getattr__ = lazy_getattr(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return list(__all__)


if TYPE_CHECKING:
    from .adapters.livekit import AudioFormatDetectedEvent as AudioFormatDetectedEvent
    from .adapters.livekit import AudioTap as AudioTap
    from .adapters.livekit import CapturePhoneNumberTask as CapturePhoneNumberTask
    from .adapters.livekit import ConfirmedHook as ConfirmedHook
    from .adapters.livekit import EngineFailedEvent as EngineFailedEvent
    from .adapters.livekit import EngineOutputRepairedEvent as EngineOutputRepairedEvent
    from .adapters.livekit import EngineRecoveredEvent as EngineRecoveredEvent
    from .adapters.livekit import EngineStats as EngineStats
    from .adapters.livekit import FramesDroppedEvent as FramesDroppedEvent
    from .adapters.livekit import KeypadEntryReceivedEvent as KeypadEntryReceivedEvent
    from .adapters.livekit import KeypadListener as KeypadListener
    from .adapters.livekit import PhoneCaptureResult as PhoneCaptureResult
    from .adapters.livekit import PhoneCaptureTools as PhoneCaptureTools
    from .adapters.livekit import Sidecar as Sidecar
    from .adapters.livekit import SidecarOptions as SidecarOptions
    from .adapters.livekit import SidecarTranscriptEvent as SidecarTranscriptEvent
    from .adapters.livekit import TapLostEvent as TapLostEvent
    from .adapters.livekit import TapReinstalledEvent as TapReinstalledEvent
    from .adapters.livekit import TurnSourceSelectedEvent as TurnSourceSelectedEvent
    from .adapters.livekit import TurnTranscript as TurnTranscript
    from .calls import CallStore as CallStore
    from .calls import Reconciliation as Reconciliation
    from .calls import ReviewNeededEvent as ReviewNeededEvent
    from .calls import export_dataset as export_dataset
    from .calls import reconcile as reconcile
    from .calls import reprocess_call as reprocess_call
    from .calls import write_call_page as write_call_page
    from .core.answer import CallerAnswer as CallerAnswer
    from .core.capture import CaptureStep as CaptureStep
    from .core.capture import PhoneCaptureMachine as PhoneCaptureMachine
    from .core.capture_events import CaptureEscalatedEvent as CaptureEscalatedEvent
    from .core.capture_events import CaptureEvent as CaptureEvent
    from .core.capture_events import CaptureStepRefusedEvent as CaptureStepRefusedEvent
    from .core.capture_events import PhoneNumberCaptureFailedEvent as PhoneNumberCaptureFailedEvent
    from .core.capture_events import PhoneNumberConfirmedEvent as PhoneNumberConfirmedEvent
    from .core.capture_events import PhoneNumberProposedEvent as PhoneNumberProposedEvent
    from .core.capture_events import PhoneNumberReadBackEvent as PhoneNumberReadBackEvent
    from .core.capture_events import PhoneNumberRejectedEvent as PhoneNumberRejectedEvent
    from .core.dtmf import DtmfDetector as DtmfDetector
    from .core.fusion import Evidence as Evidence
    from .core.fusion import FusedCandidate as FusedCandidate
    from .core.fusion import FusionWeights as FusionWeights
    from .core.fusion import fuse_phone_evidence as fuse_phone_evidence
    from .core.instructions import phone_capture_instructions as phone_capture_instructions
    from .core.keypad import KeypadEntry as KeypadEntry
    from .core.kinds import Kind as Kind
    from .core.kinds import KindCandidate as KindCandidate
    from .core.kinds import SpokenValue as SpokenValue
    from .core.kinds import app_code as app_code
    from .core.kinds import kind as kind
    from .core.ledger import TranscriptLedger as TranscriptLedger
    from .core.ledger import TurnTiming as TurnTiming
    from .core.ledger import UserTurn as UserTurn
    from .core.number_choice import NumberChoice as NumberChoice
    from .core.number_choice import choose_number as choose_number
    from .core.numerals import LANGUAGES as LANGUAGES
    from .core.numerals import normalize_language as normalize_language
    from .core.numerals import parse_digit_readings as parse_digit_readings
    from .core.phone import PhoneCandidate as PhoneCandidate
    from .core.phone import extract_phone_numbers as extract_phone_numbers
    from .core.proposal import Proposal as Proposal
    from .core.readback import read_back as read_back
    from .core.readback import read_back_groups as read_back_groups
    from .core.segment import Alternative as Alternative
    from .core.segment import Segment as Segment
    from .core.segment import Word as Word
    from .engines import AzureSpeechSTT as AzureSpeechSTT
    from .engines import WhisperSTT as WhisperSTT
    from .engines import describe_engine as describe_engine
    from .engines import from_spec as from_spec
    from .errors import AudioError as AudioError
    from .errors import ConfigurationError as ConfigurationError
    from .errors import EngineError as EngineError
    from .errors import EngineTimeoutError as EngineTimeoutError
    from .errors import SidecarError as SidecarError
    from .recording import CallRecord as CallRecord
    from .recording import CallRecorder as CallRecorder
    from .recording import load_call_record as load_call_record
