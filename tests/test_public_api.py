"""The package root's public API is pinned, and core never imports livekit."""

from __future__ import annotations

import subprocess
import sys

import pytest

import sidecar_stt

pytestmark = pytest.mark.unit

EXPECTED = [
    "__version__",
    "Alternative",
    "AudioError",
    "AudioTap",
    "AzureSpeechSTT",
    "CallRecord",
    "CallRecorder",
    "CallStore",
    "CapturedPhoneNumber",
    "CapturePhoneNumberTask",
    "CaptureStep",
    "ConfigurationError",
    "describe_engine",
    "EngineError",
    "EngineFailedEvent",
    "EngineStats",
    "EngineTimeoutError",
    "export_dataset",
    "Evidence",
    "extract_phone_numbers",
    "FramesDroppedEvent",
    "from_spec",
    "fuse_phone_evidence",
    "FusedCandidate",
    "FusionWeights",
    "LANGUAGES",
    "load_call_record",
    "normalize_language",
    "parse_digit_readings",
    "phone_capture_instructions",
    "PhoneCandidate",
    "PhoneCapture",
    "PhoneNumberCapture",
    "PhoneNumberCaptureFailedEvent",
    "PhoneNumberConfirmedEvent",
    "PhoneNumberProposedEvent",
    "PhoneNumberRejectedEvent",
    "Proposal",
    "read_back",
    "read_back_groups",
    "reconcile",
    "Reconciliation",
    "reprocess_call",
    "ReviewNeededEvent",
    "Segment",
    "Sidecar",
    "SidecarError",
    "SidecarOptions",
    "SidecarTranscriptEvent",
    "TranscriptLedger",
    "TurnTranscript",
    "UserTurn",
    "WhisperSTT",
    "Word",
]


def test_root_all_is_pinned_and_sorted() -> None:
    assert sidecar_stt.__all__ == sorted(EXPECTED, key=str.casefold)


def test_every_public_name_resolves() -> None:
    for name in sidecar_stt.__all__:
        assert getattr(sidecar_stt, name) is not None, name


def test_core_imports_with_livekit_blocked() -> None:
    code = (
        "import sys\n"
        "for m in ('livekit', 'livekit.agents', 'livekit.rtc'): sys.modules[m] = None\n"
        "import importlib, pkgutil, sidecar_stt.core as core\n"
        "for info in pkgutil.walk_packages(core.__path__, 'sidecar_stt.core.'):\n"
        "    importlib.import_module(info.name)\n"
        "import sidecar_stt\n"
        "sidecar_stt.TranscriptLedger\n"
        "assert not any(k.startswith('livekit') and sys.modules[k] is not None for k in sys.modules)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_testing_fakes_are_public_and_resolve() -> None:
    import sidecar_stt.testing as testing

    for name in ("FakeRealtimeServer", "ScriptedEngine", "CallerAudioInput", "offline_call", "synthesize_speech"):
        assert name in testing.__all__
    for name in testing.__all__:
        assert getattr(testing, name) is not None, name
