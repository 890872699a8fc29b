"""The phone-capture state machine: proposals, confirmation, rejection, corrections, escalation and failure."""

from __future__ import annotations

import itertools

import pytest

from sidecar_stt.core.answer import CallerAnswer
from sidecar_stt.core.capture import PhoneCaptureMachine, Proposal
from sidecar_stt.core.capture_events import (
    CaptureEscalatedEvent,
    PhoneNumberCaptureFailedEvent,
    PhoneNumberConfirmedEvent,
    PhoneNumberProposedEvent,
    PhoneNumberReadBackEvent,
    PhoneNumberRejectedEvent,
)
from sidecar_stt.core.fusion import Evidence, EvidenceKind
from sidecar_stt.core.readback import read_back
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit


def answer_to(
    proposal: Proposal | None, evidence: list[Evidence] | None = None, *, utterance_id: str = "answer"
) -> CallerAnswer:
    """The caller's answer to ``proposal``, as the adapter gathers it (by default the sidecar heard "ja")."""
    proposal_id = proposal.proposal_id if proposal else None
    heard = evidence if evidence is not None else [Evidence("azure", "sidecar", (Alternative("ja", 0.9),))]
    return CallerAnswer(proposal_id=proposal_id, utterance_id=utterance_id, evidence=tuple(heard))


def no_to(proposal: Proposal | None) -> CallerAnswer:
    """The caller's "nei" to ``proposal``, as a sidecar engine heard it (a reject needs a heard no)."""
    return answer_to(proposal, [Evidence("azure", "sidecar", (Alternative("nei", 0.9),))])


NUMBER = "nittito trettifire femtiseks syttiåtte"


def ev(source: str, *alts: tuple[str, float | None], kind: EvidenceKind = "sidecar") -> Evidence:
    return Evidence(source=source, kind=kind, alternatives=tuple(Alternative(t, c) for t, c in alts))


def azure(text: str, confidence: float = 0.9) -> list[Evidence]:
    return [ev("azure", (text, confidence))]


def machine(**kwargs: object) -> PhoneCaptureMachine:
    clock = itertools.count(100)
    return PhoneCaptureMachine(now=lambda: float(next(clock)), **kwargs)  # type: ignore[arg-type]


def test_offer_proposes_with_the_exact_read_back() -> None:
    m = machine()
    initial: str = m.state
    assert initial == "waiting"
    step = m.offer(azure(NUMBER), utterance_id="u1")
    assert step.state == m.state == "proposed"
    assert step.reason == "proposed" and step.accepted
    proposal = step.proposal
    assert proposal is not None
    assert proposal.e164 == "+4792345678"
    assert proposal.read_back == read_back("+4792345678", language="nb", style="pairs")
    assert proposal.style == "pairs"
    assert proposal.attempt == 1
    assert step.instruction == f'Les opp nøyaktig: "{proposal.read_back}" og spør om det stemmer.'
    (event,) = step.events
    assert isinstance(event, PhoneNumberProposedEvent)
    assert event.type == "phone_number_proposed"
    assert event.proposal_id == proposal.proposal_id
    assert event.sources == ("azure",)
    assert event.created_at == 100.0
    assert m.events == step.events


def test_confirm_current_proposal() -> None:
    m = machine()
    proposal = m.offer(azure(NUMBER), utterance_id="u1").proposal
    assert proposal is not None
    step = m.confirm(answer_to(proposal))
    assert step.state == "confirmed" and step.accepted
    assert m.done and m.confirmed == proposal
    (event,) = step.events
    assert isinstance(event, PhoneNumberConfirmedEvent)
    assert (event.e164, event.attempt, event.sources) == ("+4792345678", 1, ("azure",))
    assert "bekreftet" in step.instruction
    # confirming again is idempotent, anything else is refused
    assert m.confirm(answer_to(proposal)).accepted
    assert not m.offer(azure(NUMBER), utterance_id="u2").accepted
    assert m.reject(no_to(proposal)).reason == "finished"


def test_stale_confirm_is_refused_after_the_number_changed() -> None:
    m = machine()
    first = m.offer(azure(NUMBER), utterance_id="u1").proposal
    assert first is not None
    second = m.offer(azure("nittito trettifire femtiseks syttini"), utterance_id="u2").proposal
    assert second is not None and second.proposal_id != first.proposal_id
    step = m.confirm(answer_to(first))
    assert not step.accepted and step.reason == "stale_proposal"
    assert step.state == "proposed" and [e.type for e in step.events] == ["capture_step_refused"]
    assert second.read_back in step.instruction
    assert m.confirm(answer_to(second)).state == "confirmed"
    assert m.confirmed is not None and m.confirmed.digits == "92345679"


def test_hearing_the_same_number_again_keeps_the_proposal() -> None:
    m = machine()
    first = m.offer(azure(NUMBER), utterance_id="u1").proposal
    step = m.offer(azure("92 34 56 78"), utterance_id="u2")
    assert step.reason == "same_proposal" and step.proposal == first and step.events == ()


def test_confirm_without_proposal_is_refused() -> None:
    m = machine()
    step = m.confirm(CallerAnswer(proposal_id="p1", utterance_id="u1"))
    assert not step.accepted and step.reason == "not_proposed" and m.state == "waiting"
    assert m.reject(CallerAnswer(proposal_id=None)).reason == "not_proposed"


def test_reused_utterance_is_refused() -> None:
    m = machine()
    m.offer(azure("nittito trettifire"), utterance_id="u1")
    step = m.offer(azure(NUMBER), utterance_id="u1")
    assert not step.accepted and step.reason == "utterance_reused" and step.proposal is None


def test_an_utterance_heard_without_digits_may_be_offered_again_once_complete() -> None:
    # the first call came while the engine's final of the number was still on its way
    m = machine()
    first = m.offer(azure("ja nummeret mitt er"), utterance_id="u1")
    assert first.proposal is None
    second = m.offer(azure(f"ja nummeret mitt er {NUMBER}"), utterance_id="u1")
    assert second.proposal is not None and second.proposal.digits == "92345678"


def test_rejected_reading_is_never_proposed_again_and_the_same_utterance_is_not_reused() -> None:
    m = machine()
    evidence = [ev("azure", (NUMBER, 0.9), ("nittito trettifire femtiseks syttini", 0.8))]
    proposal = m.offer(evidence, utterance_id="u1").proposal
    assert proposal is not None and proposal.digits == "92345678"
    answer = [ev("azure", (f"nei {NUMBER}", 0.9), ("nei nittito trettifire femtiseks syttini", 0.8))]
    step = m.reject(answer_to(proposal, answer, utterance_id="u1"))
    assert step.state == "asking_again" and step.reason == "rejected"
    (event,) = step.events
    assert isinstance(event, PhoneNumberRejectedEvent) and event.e164 == "+4792345678"
    assert m.rejected == ("+4792345678",)
    step = m.offer(evidence, utterance_id="u2")
    assert step.proposal is not None and step.proposal.digits == "92345679"
    assert step.proposal.attempt == 2
    # the engines keep hearing only the rejected reading: nothing is proposed
    m2 = machine()
    p = m2.offer(azure(NUMBER), utterance_id="u1").proposal
    assert p is not None
    m2.reject(no_to(p))
    step = m2.offer(azure(NUMBER), utterance_id="u2")
    assert step.proposal is None and step.state == "asking_again"


def test_the_models_own_hearing_never_stands_alone() -> None:
    # the evidence rule: a reading needs a sidecar engine; the tool argument and the realtime transcript may rank
    m = machine(max_unheard=10)
    tool = ev("tool_argument", ("92345679", None), kind="tool_argument")
    realtime = ev("realtime", ("ni to tre fire fem seks sju ni", None), kind="realtime_transcript")
    for weak in ([tool], [realtime], [tool, realtime]):
        step = m.offer(weak, utterance_id=f"weak-{len(weak)}-{weak[0].source}")
        assert step.proposal is None and step.reason == "no_sidecar_number"
        assert "Ikke les opp nummeret slik du selv hørte det" in step.instruction
        assert [e.type for e in step.events] == ["capture_step_refused"]
    # a caller who said no number at all: the model's argument is never read back
    step = m.offer([*azure("hei, jeg vil bestille en time"), tool], utterance_id="u-hei")
    assert step.proposal is None
    step = m.offer([*azure(NUMBER), tool], utterance_id="u3")
    assert step.proposal is not None and step.proposal.digits == "92345678"
    event = step.events[-1]
    assert isinstance(event, PhoneNumberProposedEvent) and event.rule == "sidecar"


def test_realtime_fallback_is_opt_in_labelled_and_ends_at_the_first_rejection() -> None:
    m = machine(allow_realtime_only=True)
    realtime = ev("realtime", ("nittito trettifire femtiseks syttini", None), kind="realtime_transcript")
    tool = ev("tool_argument", ("92345677", None), kind="tool_argument")
    assert m.offer([tool], utterance_id="u0").proposal is None  # the tool argument alone, never
    step = m.offer([realtime], utterance_id="u1")
    assert step.proposal is not None and step.proposal.digits == "92345679"
    event = step.events[-1]
    assert isinstance(event, PhoneNumberProposedEvent) and event.rule == "realtime_fallback"
    assert step.instruction.startswith("Bare din egen hørsel fant dette nummeret.")
    m.reject(no_to(step.proposal))
    again = ev("realtime", ("nittito trettifire femtiseks syttisju", None), kind="realtime_transcript")
    assert m.offer([again], utterance_id="u3").proposal is None


def test_tool_argument_and_realtime_transcript_are_ignored_after_a_rejection() -> None:
    m = machine()
    p = m.offer(azure("nittito trettifire femtiseks syttini"), utterance_id="u1").proposal
    assert p is not None
    m.reject(no_to(p))
    tool = ev("tool_argument", ("92345678", None), kind="tool_argument")
    realtime = ev("realtime", ("nittito trettifire femtiseks syttiåtte", None), kind="realtime_transcript")
    step = m.offer([tool, realtime], utterance_id="u2")
    assert step.proposal is None
    # the sidecar's weak second hypothesis is not outvoted into the model's reading by the model's two sources
    step = m.offer([ev("azure", ("nittito trettifire femtiseks syttisju", 0.9)), tool, realtime], utterance_id="u3")
    assert step.proposal is not None and step.proposal.sources == ("azure",)
    assert step.proposal.digits == "92345677"


def test_reject_with_a_whole_new_number_proposes_it_at_once() -> None:
    m = machine()
    p = m.offer(azure("nittito trettifire femtiseks syttini"), utterance_id="u1").proposal
    assert p is not None
    step = m.reject(answer_to(p, azure(f"nei, det er {NUMBER}"), utterance_id="u2"))
    assert step.state == "proposed"
    assert [e.type for e in step.events] == ["phone_number_rejected", "phone_number_proposed"]
    assert step.proposal is not None and step.proposal.digits == "92345678"
    assert step.proposal.corrected_groups == ()


def test_stale_reject_is_refused() -> None:
    m = machine()
    m.offer(azure(NUMBER), utterance_id="u1")
    step = m.reject(CallerAnswer(proposal_id="p99", utterance_id="u2"))
    assert not step.accepted and step.reason == "stale_proposal" and m.rejected == ()


def test_reject_before_the_caller_answered_is_refused() -> None:
    m = machine()
    proposal = m.offer(azure(NUMBER), utterance_id="u1").proposal
    assert proposal is not None
    for unanswered in (CallerAnswer(proposal_id=None, utterance_id="u1"), CallerAnswer(proposal_id="p1")):
        step = m.reject(unanswered)
        assert not step.accepted and step.reason == "not_answered" and m.rejected == ()
        assert step.instruction == (
            f'Innringeren har ikke svart på dette nummeret ennå. Les opp nøyaktig: "{proposal.read_back}" og vent '
            "på svaret."
        )


def test_escalates_to_digits_after_the_second_rejection_and_fails_after_max_attempts() -> None:
    m = machine(max_attempts=3)
    numbers = ["92 34 56 78", "92 34 56 79", "92 34 56 77"]
    styles = []
    for i, text in enumerate(numbers):
        step = m.offer(azure(text), utterance_id=f"u{i}")
        assert step.proposal is not None
        styles.append(step.proposal.style)
        if i == 2:
            assert step.proposal.read_back == read_back("92345677", style="digits")
            assert step.proposal.groups == tuple("92345677")
        step = m.reject(no_to(step.proposal))
        if i == 1:
            assert "ett siffer" in step.instruction
    assert styles == ["pairs", "pairs", "digits"]
    assert step.state == "failed" and m.done
    assert [e.type for e in step.events] == ["phone_number_rejected", "phone_number_capture_failed"]
    failed = step.events[-1]
    assert isinstance(failed, PhoneNumberCaptureFailedEvent)
    assert failed.reason == "max_attempts" and failed.rejected_count == 3 and failed.sources == ("azure",)
    assert len(m.rejected) == 3


def test_decline() -> None:
    m = machine()
    step = m.decline()
    assert step.state == "declined" and m.done
    (event,) = step.events
    assert isinstance(event, PhoneNumberCaptureFailedEvent) and event.reason == "declined"
    assert not m.decline().accepted


def test_fails_after_utterances_without_a_number() -> None:
    m = machine(max_unheard=2)
    step = m.offer(azure("jeg må finne det fram"), utterance_id="u1")
    assert step.state == "waiting" and step.reason == "no_number"
    step = m.offer(azure("et øyeblikk"), utterance_id="u2")
    assert step.state == "failed"
    assert isinstance(step.events[-1], PhoneNumberCaptureFailedEvent)
    assert step.events[-1].reason == "not_heard"


def test_number_given_over_two_utterances_is_joined() -> None:
    m = machine()
    evidence = [ev("azure", ("nittito trettifire", 0.9)), ev("realtime", ("92 34", None), kind="realtime_transcript")]
    step = m.offer(evidence, utterance_id="u1")
    assert step.state == "waiting" and step.reason == "partial_number"
    assert "resten" in step.instruction
    rest = [ev("azure", ("femtiseks syttiåtte", 0.8)), ev("realtime", ("56 78", None), kind="realtime_transcript")]
    step = m.offer(rest, utterance_id="u2")
    assert step.proposal is not None and step.proposal.digits == "92345678"
    assert set(step.proposal.sources) == {"azure", "realtime"}


def test_three_pieces_are_joined() -> None:
    m = machine()
    assert m.offer(azure("nittito"), utterance_id="u1").reason == "partial_number"
    assert m.offer(azure("trettifire femtiseks"), utterance_id="u2").reason == "partial_number"
    step = m.offer(azure("syttiåtte"), utterance_id="u3")
    assert step.proposal is not None and step.proposal.digits == "92345678"


def test_uncertain_group_is_singled_out() -> None:
    m = machine()
    evidence = [
        ev("azure", (NUMBER, 0.9)),
        ev("whisper", ("92 34 56 78", 0.8)),
        ev("deepgram", ("92 34 55 78", 0.7)),
    ]
    step = m.offer(evidence, utterance_id="u1")
    assert step.proposal is not None and step.proposal.digits == "92345678"
    assert step.proposal.uncertain_group == 2
    assert step.instruction.endswith('særlig "femtiseks".')


def test_english_instructions_and_digit_read_back() -> None:
    m = machine(language="en")
    step = m.offer(azure("nine two three four five six seven eight"), utterance_id="u1")
    assert step.proposal is not None
    assert step.proposal.read_back == "nine two, three four, five six, seven eight"
    assert step.instruction.startswith('Read back exactly: "nine two, three four')
    assert "ask whether it is correct" in step.instruction


def test_clock_is_injected() -> None:
    m = machine()
    m.offer(azure(NUMBER), utterance_id="u1")
    p = m.proposal
    assert p is not None
    m.reject(no_to(p))
    assert [e.created_at for e in m.events] == [100.0, 101.0]


def test_invalid_configuration() -> None:
    with pytest.raises(ValueError):
        PhoneCaptureMachine(max_attempts=0)
    with pytest.raises(ValueError):
        PhoneCaptureMachine(language="xx")


@pytest.mark.parametrize(("decay", "expected"), [(0.5, "92345678"), (0.0, "92345578")])
def test_earlier_utterances_help_rank_the_latest_readings(decay: float, expected: str) -> None:
    m = machine(history_decay=decay)
    p = m.offer(azure("92 34 56 79"), utterance_id="u1").proposal
    assert p is not None
    m.reject(no_to(p))
    latest = [ev("azure", ("92 34 55 78", 0.6), ("92 34 56 78", 0.55))]
    step = m.offer(latest, utterance_id="u2")
    assert step.proposal is not None and step.proposal.digits == expected


def test_earlier_utterances_alone_never_make_a_proposal() -> None:
    m = machine()
    p = m.offer([ev("azure", ("92 34 56 79", 0.9), ("92 34 56 78", 0.8))], utterance_id="u1").proposal
    assert p is not None
    m.reject(no_to(p))
    step = m.offer(azure("nei, det var feil"), utterance_id="u2")
    assert step.proposal is None and step.state == "asking_again"


def test_model_argument_does_not_fill_in_a_number_the_transcripts_heard_only_in_part() -> None:
    machine = PhoneCaptureMachine()
    first = machine.offer([Evidence("azure", "sidecar", (Alternative("nittito trettifire", 0.9),))], utterance_id="u1")
    assert first.reason == "partial_number"
    second = machine.offer(
        [
            Evidence("azure", "sidecar", (Alternative("femtiseks syttiåtte", 0.9),)),
            Evidence("realtime", "realtime_transcript", (Alternative("femtiseks syttisju"),)),
            Evidence("tool_argument", "tool_argument", (Alternative("92345677"),)),
        ],
        utterance_id="u2",
    )
    assert second.proposal is not None and second.proposal.e164 == "+4792345678"


def test_a_correction_heard_as_a_new_number_rejects_the_reading_on_the_table() -> None:
    m = machine()
    first = m.offer(azure("nittito trettifire femtiseks syttini"), utterance_id="u1")
    assert first.proposal is not None and first.proposal.digits == "92345679"
    # the caller's "no" carries the whole number again; the old reading is only the engine's second guess
    step = m.offer(
        [ev("azure", (f"nei det er {NUMBER}", 0.8), ("nei det er nittito trettifire femtiseks syttini", 0.5))],
        utterance_id="u2",
    )
    assert step.proposal is not None and step.proposal.digits == "92345678"
    assert m.rejected == ("+4792345679",)
    assert [e.type for e in step.events] == ["phone_number_rejected", "phone_number_proposed"]


def test_joining_a_long_turn_stays_small() -> None:
    from sidecar_stt.core.fusion import join_evidence

    pieces = [[ev("azure", *((f"ord {i} {j}", 0.9 - j / 10) for j in range(5)))] for i in range(30)]
    (joined,) = join_evidence(pieces)
    assert 1 <= len(joined.alternatives) <= 5
    assert joined.alternatives[0].text == " ".join(f"ord {i} 0" for i in range(30))


def test_a_turn_answers_the_read_back_made_before_it_began() -> None:
    m = machine()
    first = m.offer_window([("turn-1", azure("nittito trettifire femtiseks syttiåtte"))], turns_heard=1)
    assert first.reason == "proposed" and first.proposal is not None
    # turn index 0 was heard before the read-back: it answers nothing; turn index 1 (the next) answers it
    assert m.answer(turn_index=0, utterance_id="turn-1", evidence=()).proposal_id is None
    assert m.answer(turn_index=1, utterance_id="turn-2", evidence=()).proposal_id == first.proposal.proposal_id
    assert m.window_from == 1
    rejected = m.reject(
        m.answer(turn_index=1, utterance_id="turn-2", evidence=azure("nei, det er førtifem tolv trettifire femti")),
        turns_heard=2,
    )
    assert rejected.reason == "proposed" and rejected.proposal is not None  # the number in the no is read back
    assert m.answer(turn_index=1, utterance_id="turn-2", evidence=()).proposal_id == first.proposal.proposal_id
    assert m.answer(turn_index=2, utterance_id="turn-3", evidence=()).proposal_id == rejected.proposal.proposal_id


def test_a_step_without_turns_heard_records_no_read_back() -> None:
    m = machine()
    m.offer(azure("nittito trettifire femtiseks syttiåtte"), utterance_id="u1")
    assert m.answer(turn_index=5, utterance_id="u2", evidence=()).proposal_id is None


def test_restart_begins_a_new_capture_in_the_same_machine() -> None:
    m = machine()
    step = m.offer_window([("turn-1", azure("nittito trettifire femtiseks syttiåtte"))], turns_heard=1)
    assert step.proposal is not None
    done = m.confirm(m.answer(turn_index=1, utterance_id="turn-2", evidence=azure("ja, det stemmer")))
    assert done.state == "confirmed" and m.done
    held = m
    m.restart(turns_heard=3)
    assert held is m and not m.done and m.state == "waiting" and m.proposal is None and m.events == ()
    assert m.window_from == 3
    # what the last capture read back answers nothing now; "turn-1" may be read again in the new capture
    assert m.answer(turn_index=3, utterance_id="turn-4", evidence=()).proposal_id is None
    again = m.offer_window([("turn-1", azure("nittito trettifire femtiseks syttiåtte"))], turns_heard=4)
    assert again.reason == "proposed"


def test_a_reading_said_again_is_recorded_as_a_read_back() -> None:
    m = machine()
    p = m.offer_window([("u1", azure(NUMBER))], turns_heard=1).proposal
    assert p is not None
    step = m.offer_window([("u2", azure(NUMBER))], turns_heard=2)
    assert step.reason == "same_proposal"
    assert isinstance(step.events[-1], PhoneNumberReadBackEvent) and step.events[-1].repeated
    answer = m.answer(turn_index=2, utterance_id="u3", evidence=tuple(azure("ja, det stemmer")))
    assert m.confirm(answer).state == "confirmed"


def test_the_ladder_when_the_sidecar_hears_only_the_rejected_reading() -> None:
    m = machine(keypad_after=None)
    wrong, right = "nittito trettifire femtiseks syttini", "nittito trettifire femtiseks syttiåtte"
    first = [ev("azure", (wrong, 0.8), (right, 0.5))]
    realtime = ev("realtime", (right, None), kind="realtime_transcript")
    p = m.offer_window([("u1", [*first, realtime])], turns_heard=1).proposal
    assert p is not None and p.digits == "92345679"
    # "nei" alone: asked again; the engine hears the rejected reading again
    assert m.reject(m.answer(turn_index=1, utterance_id="u2", evidence=tuple(azure("nei"))), turns_heard=2).accepted
    step = m.offer_window([("u3", [ev("azure", (wrong, 0.8)), realtime])], turns_heard=3)
    rungs = [e.rung for e in step.events if isinstance(e, CaptureEscalatedEvent)]
    assert rungs == ["earlier_alternative"] and step.proposal is not None and step.proposal.digits == "92345678"
    assert "hvert par" in step.instruction
    assert "resten" not in step.instruction


def test_the_ladder_ends_in_a_clean_give_up() -> None:
    m = machine(keypad_after=None, max_attempts=5)
    wrong = "nittito trettifire femtiseks syttini"
    p = m.offer_window([("u1", azure(wrong))], turns_heard=1).proposal
    assert p is not None
    m.reject(m.answer(turn_index=1, utterance_id="u2", evidence=tuple(azure("nei"))), turns_heard=2)
    seen = []
    for turn in range(3, 9):
        step = m.offer_window([(f"u{turn}", azure(wrong))], turns_heard=turn)
        seen += [e.rung for e in step.events if isinstance(e, CaptureEscalatedEvent)]
        assert "resten" not in step.instruction
        if step.state == "failed":
            break
    assert seen == ["digit_by_digit", "give_up"]
    failed = [e for e in m.events if isinstance(e, PhoneNumberCaptureFailedEvent)]
    assert failed and failed[-1].reason == "no_new_reading"


def test_read_backs_are_bounded() -> None:
    m = machine(max_read_backs=3)
    p = m.offer_window([("u1", azure(NUMBER))], turns_heard=1).proposal
    assert p is not None
    states = []
    for turn in range(1, 6):
        answer = m.answer(turn_index=turn, utterance_id=f"a{turn}", evidence=tuple(azure("hæ?")))
        states.append(m.confirm(answer, turns_heard=turn + 1).state)
    assert states[-1] == "failed" and states.count("proposed") == 2


def test_a_whole_length_number_that_is_no_valid_one_is_asked_again_never_for_the_rest() -> None:
    m = machine()
    step = m.offer(azure("tolv trettifire femtiseks syttiåtte"), utterance_id="u1")  # 12345678: no such number
    assert step.proposal is None and "resten" not in step.instruction
    assert "hele nummeret" in step.instruction
    assert m.offer(azure("nittito trettifire"), utterance_id="u2").reason == "partial_number"


def test_where_the_caller_can_type_the_keypad_comes_before_giving_up() -> None:
    m = machine(keypad_after=None, max_attempts=2)
    typing = machine(keypad_after=5, max_attempts=2)
    for capture in (m, typing):
        for turn, text in enumerate(("92 34 56 79", "92 34 56 77"), start=1):
            p = capture.offer_window([(f"u{turn}", azure(text))], turns_heard=2 * turn - 1).proposal
            assert p is not None
            nei = capture.answer(turn_index=2 * turn - 1, utterance_id=f"a{turn}", evidence=tuple(azure("nei")))
            step = capture.reject(nei, turns_heard=2 * turn)
    assert m.state == "failed"  # no keypad: a clean give-up
    assert step.state == "asking_again" and "taste" in step.instruction  # the typing caller is asked to type
    assert [e.rung for e in typing.events if isinstance(e, CaptureEscalatedEvent)] == ["keypad"]


def test_an_utterance_the_engines_are_still_transcribing_is_no_miss() -> None:
    m = machine(max_unheard=1)
    step = m.offer_window([("u1", [])], turns_heard=1, pending=True)
    assert step.reason == "sidecar_pending" and m.state == "waiting"
    assert m.offer_window([("u2", azure(NUMBER))], turns_heard=2).proposal is not None
    m2 = machine(max_unheard=1, max_pending=1)
    m2.offer_window([("u1", [])], turns_heard=1, pending=True)
    assert m2.offer_window([("u2", [])], turns_heard=2, pending=True).state == "failed"  # pending is bounded too


def test_a_yes_phrase_given_to_capture_is_no_rejection() -> None:
    m = machine()
    p = m.offer_window([("u1", azure(NUMBER))], turns_heard=1).proposal
    assert p is not None
    step = m.offer_window([("u2", azure("ja nei, det stemmer det"))], turns_heard=2)
    assert not m.rejected and step.proposal == p
    assert (
        m.confirm(m.answer(turn_index=1, utterance_id="u2", evidence=tuple(azure("ja nei, det stemmer det")))).state
        == "confirmed"
    )
