"""The rules that decide whether the caller's answer confirms or rejects the reading on the table."""

from __future__ import annotations

import pytest

from sidecar_stt.core.answer import CallerAnswer, judge_confirm, judge_reject, read_answer
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
        ([heard("hæ? hva sa du?")], "repeat_requested"),  # no yes in it: a request to hear it again
        ([heard("ja"), heard("hva", "realtime_transcript", "realtime")], "yes"),  # the engine decides
        ([heard("hæ"), heard("ja", "realtime_transcript", "realtime")], "repeat_requested"),
        ([heard("ja nei, det stemmer det")], "yes"),
        ([heard("mhm")], "yes"),
        ([heard("stemmer")], "yes"),
        ([heard("ja", "realtime_transcript", "realtime")], "yes"),  # no engine ran: the model's ear decides
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


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ja, det stemmer", "yes"),
        ("ja nei, det stemmer det", "yes"),
        ("Ja nei – det stemmer det!", "yes"),
        ("stemmer", "yes"),
        ("mhm", "yes"),
        ("jepp, det er riktig", "yes"),
        ("nei", "no"),
        ("nei, det stemmer ikke", "no"),
        ("ja, men det siste er åttiåtte", "correction"),
        ("nei, det er førtiseks, ikke førtifem", "correction"),
        ("nittito trettifire femtiseks syttiåtte", "number"),
        ("hæ?", "repeat_request"),
        ("hva?", "repeat_request"),
        ("unnskyld?", "repeat_request"),
        ("hva sa du", "repeat_request"),
        ("vent litt", "other"),
    ],
)
def test_read_answer_reads_a_yes_and_a_no_the_way_a_person_means_them(text: str, kind: str) -> None:
    assert read_answer(text, reader=TextReader(language="nb", region="NO")) == kind


def reject_verdict(proposal: Proposal, *evidence: Evidence, due: tuple[str, ...] = ()) -> str:
    answer = CallerAnswer(proposal_id=proposal.proposal_id, utterance_id="u2", evidence=evidence, finals_due=due)
    return judge_reject(proposal, answer, reader=TextReader(language="nb", region="NO"))


def test_a_reject_needs_a_heard_no_or_correction() -> None:
    _, proposal = proposed()
    realtime_no = heard("nei", "realtime_transcript", "realtime")
    assert reject_verdict(proposal, heard("nei")) == "answered"
    assert reject_verdict(proposal, heard("det siste er syttini")) == "answered"
    assert reject_verdict(proposal, heard("nittito trettifire femtiseks syttini")) == "answered"
    # the engine heard a yes, the realtime model a no: the yes refuses the reject with its own reason
    assert reject_verdict(proposal, heard("ja, det er riktig"), realtime_no) == "answer_is_yes"
    assert reject_verdict(proposal, heard("hæ?")) == "repeat_requested"
    assert reject_verdict(proposal, heard("vent litt")) == "answer_not_no"
    assert reject_verdict(proposal, heard("nittito trettifire femtiseks syttiåtte")) == "answer_not_no"
    assert reject_verdict(proposal, realtime_no) == "answered"  # no engine runs: the model's ear decides
    assert reject_verdict(proposal) == "answer_not_heard"


def test_an_answer_whose_engine_final_is_due_is_not_an_answer_yet() -> None:
    _, proposal = proposed()
    realtime_yes = heard("ja", "realtime_transcript", "realtime")
    pending = CallerAnswer(
        proposal_id=proposal.proposal_id, utterance_id="u2", evidence=(realtime_yes,), finals_due=("azure",)
    )
    assert confirm_verdict(proposal, pending) == "answer_pending"
    assert reject_verdict(proposal, heard("nei", "realtime_transcript", "realtime"), due=("azure",)) == "answer_pending"
    # one engine heard it while another is still due: the one that heard decides
    both = CallerAnswer(
        proposal_id=proposal.proposal_id, utterance_id="u2", evidence=(heard("nei"), realtime_yes), finals_due=("dg",)
    )
    assert confirm_verdict(proposal, both) == "answer_not_yes"
