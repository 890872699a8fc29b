"""The capture reads every caller turn since it began or its last read-back, not only the latest one."""

from __future__ import annotations

import pytest

from sidecar_stt import Sidecar
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.testing.scripted_engine import ScriptedEngine


class Ledger:
    """Caller turns heard by one engine, written straight into a never-attached sidecar's ledger."""

    def __init__(self) -> None:
        self.sidecar = Sidecar(engines={"azure": ScriptedEngine([])})
        self.clock_s = 0.0

    def say(self, text: str) -> None:
        ledger = self.sidecar.ledger
        turn = ledger.begin_turn(start_s=self.clock_s + 0.2)
        end_s = self.clock_s + 1.5
        ledger.end_turn(end_s=end_s)
        ledger.add(
            Segment(
                source="azure",
                segment_id=turn.turn_id,
                start_s=self.clock_s + 0.3,
                end_s=end_s - 0.1,
                is_final=True,
                alternatives=(Alternative(text, 0.9),),
            )
        )
        self.clock_s = end_s


async def test_a_number_cut_into_turns_with_no_tool_call_between_is_joined() -> None:
    call = Ledger()
    call.say("ja, det er nittito trettifire")  # the model answered "mm" without a tool call
    call.say("femtiseks syttiåtte")
    text = await call.sidecar.phone.on_number_said("5678")  # the model passes only the part it heard last
    proposal = call.sidecar.phone.machine.proposal
    assert proposal is not None and proposal.e164 == "+4792345678"
    assert proposal.read_back in text


async def test_turns_before_the_last_read_back_are_not_read_again() -> None:
    call = Ledger()
    call.say("nittito trettifire femtiseks syttiåtte")
    await call.sidecar.phone.on_number_said()
    call.say("nei")
    await call.sidecar.phone.on_reject()
    call.say("førtien tjuetre")  # the start of a new number only: the old number must not be joined to it
    text = await call.sidecar.phone.on_number_said()
    machine = call.sidecar.phone.machine
    assert machine.proposal is None and machine.state == "asking_again"
    assert "resten" in text


@pytest.mark.parametrize("filler", ["mm", "hei, jeg vil bestille en time"])
async def test_earlier_turns_without_digits_neither_count_nor_break_the_number(filler: str) -> None:
    call = Ledger()
    call.say(filler)
    call.say(filler)
    call.say("nittito trettifire femtiseks syttiåtte")
    await call.sidecar.phone.on_number_said()
    proposal = call.sidecar.phone.machine.proposal
    assert proposal is not None and proposal.digits == "92345678"


async def test_a_failing_hook_is_logged_with_its_type_only_and_the_number_only_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def lookup(number: object) -> str:
        raise RuntimeError("no customer with number 92345678")

    call = Ledger()
    call.sidecar = Sidecar(engines={"azure": ScriptedEngine([])}, on_phone_confirmed=lookup)
    call.say("nittito trettifire femtiseks syttiåtte")
    await call.sidecar.phone.on_number_said()
    call.say("ja, det stemmer")
    with caplog.at_level("INFO", logger="sidecar_stt"):
        text = await call.sidecar.phone.on_confirm()
    assert call.sidecar.phone.machine.state == "confirmed" and "bekreftet" in text
    logged = "\n".join(
        f"{r.getMessage()} {r.__dict__.get('error_type', '')} {r.exc_text or ''}" for r in caplog.records
    )
    assert "on_confirmed hook failed" in logged and "RuntimeError" in logged
    assert "92345678" not in logged
    with caplog.at_level("DEBUG", logger="sidecar_stt"):
        caplog.clear()
        call.sidecar.phone.start()
        call.say("førtien tjuetre førtifem sekstisju")
        await call.sidecar.phone.on_number_said()
        call.say("ja")
        await call.sidecar.phone.on_confirm()
    assert any(r.levelname == "DEBUG" and r.exc_info for r in caplog.records)
