"""Keypad digits in the capture: proposed directly, outranking speech, validated, read back and confirmed; the
keypad is asked for after failed attempts or when the caller asks."""

from __future__ import annotations

import itertools

import pytest

from sidecar_stt.core.answer import CallerAnswer
from sidecar_stt.core.capture import PhoneCaptureMachine, Proposal
from sidecar_stt.core.capture_events import PhoneNumberProposedEvent
from sidecar_stt.core.fusion import Evidence, FusionWeights, fuse_phone_evidence
from sidecar_stt.core.instructions import MODEL_TEXTS
from sidecar_stt.core.readback import read_back
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit

NB = MODEL_TEXTS["nb"]


def azure(text: str, confidence: float = 0.9) -> list[Evidence]:
    return [Evidence("azure", "sidecar", (Alternative(text, confidence),))]


def yes_to(proposal: Proposal | None, utterance_id: str = "yes") -> CallerAnswer:
    assert proposal is not None
    return CallerAnswer(proposal.proposal_id, utterance_id, tuple(azure("ja, det stemmer")))


def no_to(proposal: Proposal | None, utterance_id: str) -> CallerAnswer:
    assert proposal is not None
    return CallerAnswer(proposal.proposal_id, utterance_id, tuple(azure("nei")))


def machine(**kwargs: object) -> PhoneCaptureMachine:
    clock = itertools.count(100)
    return PhoneCaptureMachine(now=lambda: float(next(clock)), **kwargs)  # type: ignore[arg-type]


def test_a_keypad_entry_is_proposed_read_back_and_confirmed() -> None:
    m = machine(keypad_after=2)
    step = m.keypad("92345678", entry_id="k1")
    assert step.reason == "proposed" and step.state == "proposed"
    proposal = step.proposal
    assert proposal is not None and proposal.e164 == "+4792345678"
    assert proposal.read_back == read_back("+4792345678", language="nb", style="pairs")
    assert step.instruction == NB["propose_keypad"].format(read_back=proposal.read_back)
    (event,) = step.events
    assert isinstance(event, PhoneNumberProposedEvent)
    assert event.rule == "keypad" and event.sources == ("keypad",)
    confirmed = m.confirm(yes_to(proposal))
    assert confirmed.state == "confirmed" and m.confirmed == proposal


def test_keypad_digits_with_the_country_code_are_the_same_number() -> None:
    step = machine().keypad("004792345678", entry_id="k1")
    assert step.proposal is not None and step.proposal.e164 == "+4792345678"


@pytest.mark.parametrize("typed", ["1234", "12345678", "923456789", "", "00"])
def test_a_keypad_entry_that_is_no_valid_number_asks_to_type_again(typed: str) -> None:
    m = machine()
    step = m.keypad(typed, entry_id="k1")
    assert step.reason == "keypad_invalid" and step.state == "waiting" and step.proposal is None
    assert step.instruction == NB["keypad_invalid"]
    assert m.events == ()
    # a proposal on the table stays there
    on_table = m.offer(azure("nittito trettifire femtiseks syttiåtte"), utterance_id="u1").proposal
    step = m.keypad(typed, entry_id="k2")
    assert step.reason == "keypad_invalid" and step.proposal == on_table and m.state == "proposed"


def test_a_typed_number_the_caller_rejected_is_not_proposed_again() -> None:
    m = machine()
    proposal = m.offer(azure("nittito trettifire femtiseks syttiåtte"), utterance_id="u1").proposal
    assert m.reject(no_to(proposal, "u2")).reason == "rejected"
    step = m.keypad("92345678", entry_id="k1")
    assert step.reason == "keypad_invalid" and step.instruction == NB["keypad_rejected"]
    assert step.proposal is None
    step = m.keypad("92345679", entry_id="k2")
    assert step.proposal is not None and step.proposal.e164 == "+4792345679"


def test_the_keypad_outranks_speech_on_the_table() -> None:
    m = machine()
    heard = m.offer(azure("nittito trettifire femtiseks syttiåtte"), utterance_id="u1").proposal
    typed = m.keypad("92345679", entry_id="k1").proposal
    assert heard is not None and typed is not None and typed.proposal_id != heard.proposal_id
    assert typed.e164 == "+4792345679"
    # the caller speaks a number while the typed one is on the table: the typed one stays
    step = m.offer(azure("nittito trettifire femtiseks syttiåtte"), utterance_id="u2")
    assert step.reason == "same_proposal" and step.proposal == typed
    # the caller rejects the typed reading: speech counts again
    step = m.reject(CallerAnswer(typed.proposal_id, "u3", tuple(azure("nei, nittito trettifire femtiseks syttiåtte"))))
    assert step.proposal is not None and step.proposal.e164 == "+4792345678"


def test_an_entry_is_used_once_and_a_finished_capture_refuses() -> None:
    m = machine()
    m.keypad("92345678", entry_id="k1")
    assert m.keypad("41234567", entry_id="k1").reason == "utterance_reused"
    m.decline()
    assert m.keypad("41234567", entry_id="k2").reason == "finished"


def test_fusion_weighs_keypad_digits_far_above_speech() -> None:
    evidence = [
        *(
            Evidence(f"engine{i}", "sidecar", (Alternative("nittito trettifire femtiseks syttiåtte", 1.0),))
            for i in range(5)
        ),
        Evidence("keypad", "keypad", (Alternative("92345679", 1.0),)),
    ]
    best = fuse_phone_evidence(evidence)[0]
    assert best.e164 == "+4792345679" and best.sources[0] == "keypad"
    with pytest.raises(ValueError):
        FusionWeights(keypad=0.5)


def test_the_keypad_is_asked_for_after_failed_attempts() -> None:
    m = machine(keypad_after=2, max_attempts=4)
    first = m.offer(azure("nittito trettifire femtiseks syttiåtte"), utterance_id="u1").proposal
    assert m.reject(no_to(first, "u2")).instruction == NB["ask_again"]
    second = m.offer(azure("nittito trettifire femtiseks syttini"), utterance_id="u3").proposal
    step = m.reject(no_to(second, "u4"))
    assert step.reason == "rejected" and step.instruction == NB["ask_keypad"]
    step = m.keypad("92345677", entry_id="k1")
    assert step.proposal is not None and step.proposal.e164 == "+4792345677"
    assert m.confirm(yes_to(step.proposal, "u5")).state == "confirmed"


def test_utterances_without_a_number_count_as_failed_attempts() -> None:
    m = machine(keypad_after=2, max_unheard=5)
    assert m.offer(azure("ehm, vent litt"), utterance_id="u1").instruction == NB["not_heard"]
    step = m.offer(azure("hva var det du spurte om"), utterance_id="u2")
    assert step.reason == "no_number" and step.instruction == NB["ask_keypad"]


def test_without_a_keypad_it_is_never_asked_for() -> None:
    m = machine(max_attempts=4)
    for i in range(3):
        p = m.offer(
            azure(f"nittito trettifire femtiseks {['syttiåtte', 'syttini', 'syttisju'][i]}"), utterance_id=f"u{i}"
        )
        step = m.reject(no_to(p.proposal, f"n{i}"))
        assert step.instruction != NB["ask_keypad"]
    assert m.offer(azure("kan jeg taste det inn?"), utterance_id="t").reason != "keypad_requested"


def test_a_caller_known_to_have_no_keypad_is_never_asked_to_type() -> None:
    has_keypad = False  # a web caller
    m = machine(keypad_after=1, max_unheard=10, keypad_available=lambda: has_keypad)
    assert m.offer(azure("ehm, vent litt"), utterance_id="u1").instruction == NB["not_heard"]
    assert m.offer(azure("hva var det du spurte om"), utterance_id="u2").instruction != NB["ask_keypad"]
    assert m.offer(azure("kan jeg taste det inn?"), utterance_id="u3").reason != "keypad_requested"
    has_keypad = True  # a key arrived after all: the caller has one
    assert m.offer(azure("hmm"), utterance_id="u4").instruction == NB["ask_keypad"]


def test_the_caller_asking_to_type_gets_the_keypad_instruction() -> None:
    m = machine(keypad_after=3)
    step = m.offer(azure("kan jeg heller taste det inn?"), utterance_id="u1")
    assert step.reason == "keypad_requested" and step.instruction == NB["ask_keypad"]
    en = machine(language="en", keypad_after=3)
    step = en.offer(azure("can I use the keypad instead"), utterance_id="u1")
    assert step.instruction == MODEL_TEXTS["en"]["ask_keypad"]


def test_keypad_texts_exist_in_every_language() -> None:
    keys = {"ask_keypad", "propose_keypad", "keypad_invalid", "keypad_rejected"}
    for table in MODEL_TEXTS.values():
        assert keys <= set(table)
        assert "{read_back}" in table["propose_keypad"]
