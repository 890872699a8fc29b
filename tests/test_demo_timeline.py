"""The demo's timeline explains itself: why a wrong read-back was wrong, and what its times measure."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from sidecar_stt.demo import DemoRecord
from sidecar_stt.demo.record import EngineInfo, TurnRecord
from sidecar_stt.demo.timeline import render_timeline

pytestmark = pytest.mark.unit

ENGINES = [
    EngineInfo("azure-stand-in", "stand-in for Azure Speech nb-NO (scripted)", "scripted-stand-in", "scripted"),
    EngineInfo("whisper", "Whisper base, local (real)", "local", "whisper:base?language=no"),
]


def _record(proposed: str) -> DemoRecord:
    turn = TurnRecord(
        index=0,
        kind="number",
        caller_said="nummeret mitt er nittito trettifire femtiseks syttiåtte",
        start_s=0.0,
        end_s=3.6,
        realtime_transcript="nummeret mitt er nittito trettifire sekstiseks syttisju",
        sidecar={
            "azure-stand-in": "nummeret mitt er nittito trettifire sekstiseks syttiåtte",
            "whisper": "Nyttito trettifire femtiseks syttiåtte.",
        },
        nbest={"azure-stand-in": [("nummeret mitt er nittito trettifire sekstiseks syttiåtte", 0.6)]},
        agent_said="Stemmer det?",
    )
    event = {"type": "phone_number_proposed", "turn": 0, "e164": proposed, "read_back": "…", "attempt": 1}
    return DemoRecord(
        language="nb",
        spoken_phone="+4792345678",
        speed=None,
        engines=ENGINES,
        turns=[turn],
        events=[event],
        call_audio_s=10.0,
        elapsed_s=23.3,
    )


def _render(record: DemoRecord) -> str:
    out = io.StringIO()
    render_timeline(record, Console(file=out, width=200, highlight=False))
    return " ".join(out.getvalue().split())


def test_a_wrong_read_back_names_who_heard_the_wrong_pair_and_who_was_outvoted() -> None:
    text = _render(_record("+4792346678"))
    assert (
        "why ✗: pair 3 (66 for 56): realtime model and azure-stand-in's top hypothesis heard it so, "
        "outvoting whisper, which heard it right" in text
    )


def test_a_right_read_back_has_no_why() -> None:
    assert "why ✗" not in _render(_record("+4792345678"))


def test_the_time_says_what_it_measures() -> None:
    text = _render(_record("+4792345678"))
    assert "took 23.3 s of wall time for the whole demo: loading the local Whisper, the call" in text
    assert "10.0 s of caller audio played as fast as possible" in text
