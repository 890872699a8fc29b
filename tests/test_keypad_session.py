"""The keypad in a live session: SIP DTMF events from a real ``rtc.Room`` and keypad tones (made with sox) in the
caller's audio reach the phone capture through the sidecar, are read back and confirmed by the caller."""

from __future__ import annotations

import asyncio
import functools
import json
import shutil
import subprocess

import numpy as np
import numpy.typing as npt
import pytest
from livekit import rtc
from livekit.agents import Agent
from livekit.rtc._proto import participant_pb2

from sidecar_stt import Sidecar
from sidecar_stt.adapters.livekit.events import KeypadEntryReceivedEvent
from sidecar_stt.core.instructions import MODEL_TEXTS
from sidecar_stt.core.readback import read_back
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import OfflineCall, offline_call

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(90)]

HELLO = "hei, jeg vil gjerne bestille en time"
YES = "ja, det stemmer"
READ_BACK = read_back("+4792345678", language="nb", style="pairs")
READ_BACK_4 = read_back("+4741234567", language="nb", style="pairs")


@functools.cache
def speech(text: str) -> npt.NDArray[np.int16]:
    return synthesize_speech(text, voice="nb", rate_wpm=190)


def sox_keys(keys: str, *, sample_rate: int = 24000) -> npt.NDArray[np.int16]:
    """Keypad tones for ``keys`` made by sox: 100 ms per key, 60 ms apart."""
    sox = shutil.which("sox")
    if sox is None:
        pytest.fail("sox is not installed (scripts/install-system-deps.sh installs it)")
    low = {"1": 697, "2": 697, "3": 697, "4": 770, "5": 770, "6": 770, "7": 852, "8": 852, "9": 852}
    low |= {"*": 941, "0": 941, "#": 941}
    high = {"1": 1209, "4": 1209, "7": 1209, "*": 1209, "2": 1336, "5": 1336, "8": 1336, "0": 1336}
    high |= {"3": 1477, "6": 1477, "9": 1477, "#": 1477}
    pieces = []
    for key in keys:
        raw = subprocess.run(
            [
                *(sox, "-n", "-t", "raw", "-r", str(sample_rate), "-e", "signed", "-b", "16", "-c", "1", "-"),
                *("synth", "0.1", "sine", str(low[key]), "synth", "0.1", "sine", "mix", str(high[key])),
                *("gain", "-8", "pad", "0.06", "0"),
            ],
            check=True,
            capture_output=True,
        ).stdout
        pieces.append(np.frombuffer(raw, dtype=np.int16))
    return np.concatenate(pieces)


def agent_with(sidecar: Sidecar | None) -> Agent:
    assert sidecar is not None
    return Agent(instructions="Du er en resepsjonist.", tools=sidecar.tools())


def response_instructions(call: OfflineCall) -> list[str]:
    """The instructions of every ``response.create`` the session sent (``generate_reply``)."""
    out = []
    for ev in call.server.client_events:
        if ev.get("type") == "response.create":
            out.append(json.dumps(ev.get("response") or {}, ensure_ascii=False))
    return out


async def test_sip_dtmf_events_from_a_room_are_read_back_and_confirmed() -> None:
    script = [
        CallerTurn(transcript=HELLO, reply="Hva er nummeret ditt?"),
        CallerTurn(
            transcript="ja",
            function_calls=[ScriptedFunctionCall("confirm_phone_number", {})],
            reply=lambda outputs: outputs[0].output if outputs else "",
        ),
    ]
    spans = planned_spans([speech(HELLO), speech(YES)])
    engine = ScriptedEngine(
        [
            ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2)
            for (a, b), t in zip(spans, [HELLO, YES], strict=True)
        ]
    )
    room = rtc.Room()  # never connected: its event API is all the sidecar uses
    entries: list[KeypadEntryReceivedEvent] = []
    async with offline_call(script, agent=agent_with, engines={"azure": engine}, room=room) as call:
        assert call.sidecar is not None
        sidecar = call.sidecar
        sidecar.on("keypad_entry_received", entries.append)
        call.caller.say(speech(HELLO))
        await call.server.wait_for_turns(1, timeout_s=20)
        await call.server.wait_idle(timeout_s=10)
        responses = len(response_instructions(call))
        for digit in "92345678#":
            room.emit("sip_dtmf_received", rtc.SipDTMF(code=11 if digit == "#" else int(digit), digit=digit))
        await call.server.wait_until(lambda: len(response_instructions(call)) > responses, timeout_s=10)
        await call.server.wait_idle(timeout_s=10)
        call.caller.say(speech(YES))
        result = await asyncio.wait_for(sidecar.phone.wait_result(), 20)
        await call.server.wait_for_turns(2, timeout_s=20)

    assert [(e.digits, e.source, e.finished_by) for e in entries] == [("92345678", "sip", "hash")]
    assert any(READ_BACK in text for text in response_instructions(call))
    assert result is not None and result.e164 == "+4792345678" and result.sources == ("keypad",)
    confirm = [o for o in call.server.tool_outputs() if o.name == "confirm_phone_number"]
    assert confirm and "bekreftet" in confirm[0].output


async def test_keypad_tones_in_the_audio_are_found_through_the_tap() -> None:
    tones = sox_keys("41234567#")
    script = [
        CallerTurn(transcript=HELLO, reply="Hva er nummeret ditt?"),
        CallerTurn(transcript="", reply=""),  # the tones: the realtime model hears a noise
        CallerTurn(
            transcript="ja",
            function_calls=[ScriptedFunctionCall("confirm_phone_number", {})],
            reply=lambda outputs: outputs[0].output if outputs else "",
        ),
    ]
    spans = planned_spans([speech(HELLO), tones, speech(YES)])
    engine = ScriptedEngine(
        [
            ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2)
            for (a, b), t in zip([spans[0], spans[2]], [HELLO, YES], strict=True)
        ]
    )
    entries: list[KeypadEntryReceivedEvent] = []
    async with offline_call(script, agent=agent_with, engines={"azure": engine}) as call:
        assert call.sidecar is not None
        sidecar = call.sidecar
        sidecar.on("keypad_entry_received", entries.append)
        for i, pcm in enumerate([speech(HELLO), tones], start=1):
            call.caller.say(pcm)
            await call.caller.wait_idle(timeout_s=20)
            await call.server.wait_for_turns(i, timeout_s=20)
        await call.server.wait_until(lambda: any(READ_BACK_4 in t for t in response_instructions(call)), timeout_s=20)
        await call.server.wait_idle(timeout_s=10)
        call.caller.say(speech(YES))
        result = await asyncio.wait_for(sidecar.phone.wait_result(), 20)
        await call.server.wait_for_turns(3, timeout_s=20)

    assert [(e.digits, e.source, e.finished_by) for e in entries] == [("41234567", "tones", "hash")]
    assert result is not None and result.e164 == "+4741234567"


async def test_an_invalid_keypad_entry_asks_to_type_again() -> None:
    script = [CallerTurn(transcript=HELLO, reply="Hva er nummeret ditt?")]
    spans = planned_spans([speech(HELLO)])
    engine = ScriptedEngine([ScriptedUtterance(start_s=spans[0][0], end_s=spans[0][1], text=HELLO, delay_s=0.2)])
    room = rtc.Room()
    async with offline_call(script, agent=agent_with, engines={"azure": engine}, room=room) as call:
        assert call.sidecar is not None
        call.caller.say(speech(HELLO))
        await call.server.wait_for_turns(1, timeout_s=20)
        await call.server.wait_idle(timeout_s=10)
        for digit in "1234#":
            room.emit("sip_dtmf_received", rtc.SipDTMF(code=11 if digit == "#" else int(digit), digit=digit))
        await call.server.wait_until(
            lambda: any("ikke et gyldig telefonnummer" in t for t in response_instructions(call)), timeout_s=10
        )
        assert call.sidecar.phone.machine.state == "waiting"


def room_with_caller(kind: participant_pb2.ParticipantKind.ValueType) -> rtc.Room:
    """A never-connected room holding one remote participant of ``kind``, as a connected room holds the caller once
    it joined (a room fills that map from the server's events; there is no server here)."""
    owned = participant_pb2.OwnedParticipant()
    owned.info.identity, owned.info.kind = "caller", kind
    room = rtc.Room()
    room._remote_participants["caller"] = rtc.RemoteParticipant(owned)
    return room


@pytest.mark.parametrize(
    ("kind", "asked_to_type"),
    [(rtc.ParticipantKind.PARTICIPANT_KIND_SIP, True), (rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD, False)],
)
async def test_only_a_caller_on_a_phone_line_is_asked_to_type(
    kind: participant_pb2.ParticipantKind.ValueType, asked_to_type: bool
) -> None:
    misses = ["ehm, vent litt", "hva var det du spurte om"]
    spans = planned_spans([speech(t) for t in misses])
    engine = ScriptedEngine(
        [ScriptedUtterance(start_s=a, end_s=b, text=t, delay_s=0.2) for (a, b), t in zip(spans, misses, strict=True)]
    )
    script = [
        CallerTurn(
            transcript=t,
            function_calls=[ScriptedFunctionCall("capture_phone_number", {})],
            reply=lambda outputs: outputs[0].output if outputs else "",
        )
        for t in misses
    ]
    room = room_with_caller(kind)
    async with offline_call(script, agent=agent_with, engines={"azure": engine}, room=room) as call:
        assert call.sidecar is not None
        assert call.sidecar.caller_can_type is asked_to_type
        for i, text in enumerate(misses, start=1):
            call.caller.say(speech(text))
            await call.caller.wait_idle(timeout_s=20)
            await call.server.wait_for_turns(i, timeout_s=20)
            await call.server.wait_idle(timeout_s=10)
        outputs = [o.output for o in call.server.tool_outputs()]
    # two failed attempts (keypad_after_failures=2): a phone caller is asked to type, a web caller to say it again
    assert len(outputs) == 2
    assert (outputs[1] == MODEL_TEXTS["nb"]["ask_keypad"]) is asked_to_type
    assert all("tast" not in o.lower() for o in outputs) is not asked_to_type
