"""The package root's public API is pinned, and core never imports livekit."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import sidecar_stt
from sidecar_stt._lazy import type_checking_exports

pytestmark = pytest.mark.unit


def test_all_is_what_the_package_provides() -> None:
    # one list: the TYPE_CHECKING imports of sidecar_stt/__init__.py are both what type checkers see and what
    # resolves at run time; __all__ is exactly those names, sorted
    exports = type_checking_exports(sidecar_stt.__file__, "sidecar_stt")
    assert sidecar_stt.__all__ == sorted([*exports, "__version__"], key=str.casefold)
    for name, module in exports.items():
        assert getattr(sidecar_stt, name) is getattr(importlib.import_module(module), name), name
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = sidecar_stt.Nope  # type: ignore[attr-defined]


def test_the_adapter_and_the_capture_events_are_all_public_at_the_root() -> None:
    import sidecar_stt.adapters.livekit as adapter
    import sidecar_stt.core.capture_events as events

    wanted = {*adapter.__all__, *(n for n in events.__all__ if n.endswith("Event"))} - {"SidecarEventTypes"}
    assert wanted - set(sidecar_stt.__all__) == set()
    for name in ("PhoneCaptureMachine", "CallerAnswer", "Proposal", "extract_phone_numbers", "read_back"):
        assert name in sidecar_stt.__all__


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
