"""An app's event handler cannot stop a confirmation or put personal data in a log; the capture waits for an
engine being restarted instead of failing."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from livekit import rtc

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.adapters.livekit.call_state import EngineHearing
from sidecar_stt.adapters.livekit.events import SidecarTranscriptEvent
from sidecar_stt.core.instructions import model_texts
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.testing.scripted_engine import ScriptedEngine

pytestmark = pytest.mark.livekit

NUMBER = "92345678"


class Call:
    """A never-attached sidecar whose ledger is written by hand: one engine, ``azure``."""

    def __init__(self, options: SidecarOptions | None = None, **kwargs: Any) -> None:
        self.sidecar = Sidecar(engines={"azure": ScriptedEngine([])}, options=options, **kwargs)
        self.clock_s = 0.0

    def say(self, text: str, *, heard: bool = True) -> str:
        ledger = self.sidecar.ledger
        turn = ledger.begin_turn(start_s=self.clock_s + 0.2)
        end_s = self.clock_s + 1.5
        ledger.end_turn(end_s=end_s)
        if heard:
            self.hear(turn.turn_id, text, self.clock_s + 0.3, end_s - 0.1)
        self.clock_s = end_s
        return turn.turn_id

    def hear(self, segment_id: str, text: str, start_s: float, end_s: float) -> None:
        segment = Segment("azure", segment_id, start_s, end_s, True, (Alternative(text, 0.9),))
        self.sidecar.ledger.add(segment)


def _logged(records: list[logging.LogRecord]) -> str:
    return "\n".join(f"{r.getMessage()} {r.__dict__} {r.exc_text or ''}" for r in records if r.levelno >= logging.INFO)


@pytest.mark.parametrize("error", [TypeError, ValueError, KeyError])
async def test_a_raising_confirmed_handler_stops_neither_the_confirmation_nor_the_hook(
    error: type[Exception], caplog: pytest.LogCaptureFixture
) -> None:
    hooked: list[Any] = []
    call = Call(on_phone_confirmed=hooked.append)

    def handler(ev: Any) -> None:
        raise error(f"no customer for {ev.e164}")

    call.sidecar.on("phone_number_confirmed", handler)
    call.say("nittito trettifire femtiseks syttiåtte")
    await call.sidecar.phone.on_number_said()
    call.say("ja, det stemmer")
    with caplog.at_level(logging.DEBUG):
        text = await call.sidecar.phone.on_confirm()
        result = await asyncio.wait_for(call.sidecar.phone.wait_result(), 1.0)
    assert "bekreftet" in text and result is not None and result.digits == NUMBER
    assert [r.digits for r in hooked] == [NUMBER]
    assert call.sidecar.handler_errors == 1
    logged = _logged(caplog.records)
    assert "sidecar event handler failed" in logged and error.__name__ in logged
    assert NUMBER not in logged  # the message, with the number, only at DEBUG
    assert any(r.levelno == logging.DEBUG and r.exc_info for r in caplog.records)


@pytest.mark.parametrize("event", ["phone_number_proposed", "sidecar_transcript"])
async def test_a_raising_handler_puts_no_number_or_transcript_in_the_logs(
    event: str, caplog: pytest.LogCaptureFixture
) -> None:
    call = Call()
    seen: list[Any] = []

    def handler(ev: Any) -> None:
        raise RuntimeError(f"cannot store {ev!r}")

    call.sidecar.on(event, handler)  # type: ignore[arg-type]
    call.sidecar.on(event, seen.append)  # type: ignore[arg-type]  # the next handler still runs
    with caplog.at_level(logging.INFO):
        call.say("nittito trettifire femtiseks syttiåtte")
        transcript = SidecarTranscriptEvent(segment=call.sidecar.ledger.segments()[0])
        call.sidecar.state.events.emit("sidecar_transcript", transcript)  # as the engine pool emits
        await call.sidecar.phone.on_number_said()
    assert seen and call.sidecar.handler_errors >= 1
    logged = _logged(caplog.records)
    assert "nittito" not in logged and "23 45 67" not in logged and "4792345678" not in logged


async def test_without_the_guard_a_type_error_stops_the_confirmation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's counterpart: with LiveKit's own emitter the handler's TypeError breaks the capture."""
    monkeypatch.setattr(Sidecar, "emit", rtc.EventEmitter.emit)
    hooked: list[Any] = []
    call = Call(on_phone_confirmed=hooked.append)

    def handler(ev: Any) -> None:
        raise TypeError("no customer")

    call.sidecar.on("phone_number_confirmed", handler)
    call.say("nittito trettifire femtiseks syttiåtte")
    await call.sidecar.phone.on_number_said()
    call.say("ja, det stemmer")
    with pytest.raises(TypeError):
        await call.sidecar.phone.on_confirm()
    assert hooked == [] and call.sidecar.phone.is_open  # no hook, and wait_result() would not resolve


def _recovering(call: Call) -> None:
    call.sidecar.state.hearing["azure"] = EngineHearing(running=True, recovering=True)


async def test_the_capture_waits_for_an_engine_being_restarted_and_gets_its_transcript() -> None:
    options = SidecarOptions(transcript_timeout_s=0.1, recovery_wait_s=2.0)
    call = Call(options)
    _recovering(call)
    turn_id = call.say("nittito trettifire femtiseks syttiåtte", heard=False)

    async def replayed() -> None:  # the restarted engine hears the replay and is back
        await asyncio.sleep(0.3)
        call.hear(turn_id, "nittito trettifire femtiseks syttiåtte", 0.3, 1.4)
        call.sidecar.state.engine_heard("azure", until_s=call.clock_s)
        call.sidecar.state.engine_recovered("azure")

    task = asyncio.create_task(replayed())
    await call.sidecar.phone.on_number_said()
    await task
    proposal = call.sidecar.phone.machine.proposal
    assert proposal is not None and proposal.digits == NUMBER


async def test_an_engine_still_recovering_gets_one_moment_once_per_turn() -> None:
    options = SidecarOptions(transcript_timeout_s=0.05, recovery_wait_s=0.1)
    call = Call(options)
    _recovering(call)
    call.say("nittito trettifire femtiseks syttiåtte", heard=False)
    texts = model_texts("nb")
    first = await call.sidecar.phone.on_number_said()
    assert first == texts["engine_recovering"] and "Et øyeblikk" in first
    second = await call.sidecar.phone.on_number_said()
    assert second != texts["engine_recovering"]  # bounded: the second call for the same turn goes on


async def test_an_engine_not_recovering_is_not_waited_for() -> None:
    options = SidecarOptions(transcript_timeout_s=0.05, recovery_wait_s=30.0)
    call = Call(options)
    call.sidecar.state.hearing["azure"] = EngineHearing(running=True)
    call.say("nittito trettifire femtiseks syttiåtte", heard=False)
    began = asyncio.get_running_loop().time()
    text = await call.sidecar.phone.on_number_said()
    assert text != model_texts("nb")["engine_recovering"]
    assert asyncio.get_running_loop().time() - began < 15.0  # not the 30 s of a recovery wait


async def test_without_the_guard_a_raising_handler_logs_the_transcript(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The counterpart of the log check above: LiveKit's emitter logs the handler's message and traceback."""
    monkeypatch.setattr(Sidecar, "emit", rtc.EventEmitter.emit)
    call = Call()

    def handler(ev: Any) -> None:
        raise RuntimeError(f"cannot store {ev!r}")

    call.sidecar.on("sidecar_transcript", handler)
    call.say("nittito trettifire femtiseks syttiåtte")
    with caplog.at_level(logging.INFO):
        call.sidecar.emit("sidecar_transcript", SidecarTranscriptEvent(segment=call.sidecar.ledger.segments()[0]))
    assert "nittito" in _logged(caplog.records)
