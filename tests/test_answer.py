"""The rules that decide whether the caller's answer confirms or rejects the reading on the table."""

from __future__ import annotations

import pytest

from sidecar_stt.core.answer import CallerAnswer, judge_confirm, judge_reject
from sidecar_stt.core.capture import PhoneCaptureMachine
from sidecar_stt.core.capture_events import CaptureStepRefusedEvent
from sidecar_stt.core.fusion import Evidence, EvidenceKind
from sidecar_stt.core.proposal import Proposal
from sidecar_stt.core.reader import TextReader
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit


def heard(text: str, kind: EvidenceKind = "sidecar", source: str = "azure") -> Evidence:
    return Evidence(source, kind, (Alternative(text, 0.9),))


def proposed(text: str = "nittito trettifire femtiseks syttiåtte") -> tuple[PhoneCaptureMachine, Proposal]:
    machine = PhoneCaptureMachine()
    proposal = machine.offer([heard(text)], utterance_id="u1").proposal
    assert proposal is not None
    return machine, proposal


def confirm_verdict(proposal: Proposal, answer: CallerAnswer) -> str:
    return judge_confirm(proposal, answer, reader=TextReader(language="nb", region="NO"))


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        (CallerAnswer(proposal_id=None, utterance_id="u1"), "not_answered"),
        (CallerAnswer(proposal_id="p1"), "not_answered"),
        (CallerAnswer(proposal_id="p0", utterance_id="u2"), "stale_proposal"),
        (CallerAnswer(proposal_id="p1", utterance_id="u2"), "answered"),
    ],
)
def test_judge_reject(answer: CallerAnswer, verdict: str) -> None:
    _, proposal = proposed()
    assert judge_reject(proposal, answer) == verdict


@pytest.mark.parametrize(
    ("evidence", "verdict"),
    [
        ([heard("ja")], "yes"),
        ([heard("ja det stemmer"), heard("ja", "realtime_transcript", "realtime")], "yes"),
        ([heard("ja nittito trettifire femtiseks syttiåtte")], "yes"),
        ([], "answer_not_heard"),  # nothing heard the answer: the model's word alone is no yes
        ([heard("hæ? hva sa du?")], "answer_not_yes"),  # no yes in it
        ([heard("ja"), heard("hva", "realtime_transcript", "realtime")], "yes"),
        ([heard("nei")], "answer_not_yes"),
        ([heard("ja"), heard("nei det er feil", "realtime_transcript", "realtime")], "answer_not_yes"),
        ([heard("ja men det siste er syttini")], "answer_not_yes"),
        ([heard("nittito trettifire femtiseks syttini")], "answer_not_yes"),
        # the model's own argument is not the caller's answer: it can neither say no nor give a number
        ([heard("ja"), heard("92345679", "tool_argument", "tool_argument")], "yes"),
    ],
)
def test_judge_confirm_reads_the_answer(evidence: list[Evidence], verdict: str) -> None:
    _, proposal = proposed()
    answer = CallerAnswer(proposal_id=proposal.proposal_id, utterance_id="u2", evidence=tuple(evidence))
    assert confirm_verdict(proposal, answer) == verdict


def test_judge_confirm_checks_the_turn_before_the_words() -> None:
    _, proposal = proposed()
    assert confirm_verdict(proposal, CallerAnswer(proposal_id=None, evidence=(heard("ja"),))) == "not_answered"
    stale = CallerAnswer(proposal_id="p0", utterance_id="u2", evidence=(heard("ja"),))
    assert confirm_verdict(proposal, stale) == "stale_proposal"


@pytest.mark.parametrize(
    ("answer", "reason", "text"),
    [
        (CallerAnswer(proposal_id=None), "not_answered", "har ikke svart"),
        (CallerAnswer(proposal_id="p0", utterance_id="u2"), "stale_proposal", "Nummeret er endret"),
        (CallerAnswer(proposal_id="p1", utterance_id="u2", evidence=(heard("nei"),)), "answer_not_yes", "sa ikke ja"),
        (CallerAnswer(proposal_id="p1", utterance_id="u2"), "answer_not_heard", "ble ikke hørt"),
    ],
)
def test_every_refusal_reaches_the_model_in_the_capture_language(answer: CallerAnswer, reason: str, text: str) -> None:
    machine, proposal = proposed()
    step = machine.confirm(answer)
    assert not step.accepted and step.reason == reason and text in step.instruction
    assert machine.state == "proposed" and machine.proposal == proposal
    (event,) = step.events  # the refusal is an event naming the rule that decided
    assert isinstance(event, CaptureStepRefusedEvent) and event.reason == reason
    assert event.proposal_id == proposal.proposal_id


def test_english_refusals_are_english() -> None:
    machine = PhoneCaptureMachine(language="en")
    proposal = machine.offer([heard("nine two three four five six seven eight")], utterance_id="u1").proposal
    assert proposal is not None
    step = machine.confirm(CallerAnswer(proposal_id=None))
    assert step.instruction.startswith("The caller has not answered this number yet.")
