"""Partial corrections of a read-back: parsing, placing into the right group, and use by the capture machine."""

from __future__ import annotations

import pytest

from sidecar_stt.core.answer import CallerAnswer
from sidecar_stt.core.capture import PhoneCaptureMachine, Proposal
from sidecar_stt.core.correction import Correction, apply_correction, has_correction_cue, parse_correction
from sidecar_stt.core.fusion import Evidence
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit


def answer_to(
    proposal: Proposal | None, evidence: list[Evidence] | None = None, *, utterance_id: str = "answer"
) -> CallerAnswer:
    """The caller's answer to ``proposal``, as the adapter gathers it."""
    return CallerAnswer(
        proposal_id=proposal.proposal_id if proposal else None,
        utterance_id=utterance_id,
        evidence=tuple(evidence or ()),
    )


def no_to(proposal: Proposal | None) -> CallerAnswer:
    """The caller's "nei" to ``proposal``, as a sidecar engine heard it (a reject needs a heard no)."""
    return answer_to(proposal, [Evidence("azure", "sidecar", (Alternative("nei", 0.9),))])


GROUPS = ("92", "34", "45", "79")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("nei, det er førtiseks, ikke førtifem", "nb", Correction("46", "45", None)),
        ("det siste er syttiåtte", "nb", Correction("78", None, -1)),
        ("the last part is seventy-eight", "en", Correction("78", None, -1)),
        ("not forty-five, forty-six", "en", Correction("46", "45", None)),
        ("it is forty-six not forty-five", "en", Correction("46", "45", None)),
        ("førtiseks i stedet for førtifem", "nb", Correction("46", "45", None)),
        ("nei, ikke syttini men syttiåtte", "nb", Correction("78", "79", None)),
        ("nei, den første er nittitre", "nb", Correction("93", None, 0)),
        ("de fire siste sifrene er fem seks sju åtte", "nb", Correction("5678", None, -1)),
        ("the last two digits are seven eight", "en", Correction("78", None, -1)),
    ],
)
def test_parse_correction(text: str, language: str, expected: Correction) -> None:
    assert parse_correction(text, language=language) == expected


@pytest.mark.parametrize("text", ["nei", "nei, det er feil", "ikke førtifem", "nei, ikke det"])
def test_no_correction(text: str) -> None:
    assert parse_correction(text, language="nb") is None


def test_two_new_values_are_not_one_correction() -> None:
    assert parse_correction("det første er nittito, det siste er syttiåtte", language="nb") is None


@pytest.mark.parametrize(
    ("correction", "expected"),
    [
        (Correction("46", "45"), ("92344679", (2,))),
        (Correction("78", position=-1), ("92344578", (3,))),
        (Correction("93", position=0), ("93344579", (0,))),
        (Correction("35", position=1), ("92354579", (1,))),
        (Correction("5678", position=-1), ("92345678", (2, 3))),
        (Correction("8", position=-1), ("92344578", (3,))),
        (Correction("76"), ("92344576", (3,))),  # only 79 differs by one digit
    ],
)
def test_apply_correction(correction: Correction, expected: tuple[str, tuple[int, ...]]) -> None:
    assert apply_correction(correction, GROUPS) == expected


def test_apply_correction_refuses_ambiguity_and_no_ops() -> None:
    assert apply_correction(Correction("35"), GROUPS) is None  # 34 and 45 both differ by one digit
    assert apply_correction(Correction("45", "45"), GROUPS) is None  # changes nothing
    assert apply_correction(Correction("46", "12"), GROUPS) is None  # the wrong value was never read
    assert apply_correction(Correction("46", "45"), ("45", "12", "45", "12")) is None
    assert apply_correction(Correction("46", "45", position=-2), ("45", "12", "45", "12")) == ("45124612", (2,))
    assert apply_correction(Correction("78", position=5), GROUPS) is None


def test_correction_cues() -> None:
    assert has_correction_cue("nei, det er førtiseks, ikke førtifem", language="nb")
    assert has_correction_cue("the last part is seventy-eight", language="en")
    assert not has_correction_cue("nittito trettifire", language="nb")
    assert not has_correction_cue("notably ninety", language="en")


def evidence(text: str, source: str = "azure", confidence: float = 0.8) -> list[Evidence]:
    return [Evidence(source, "sidecar", (Alternative(text, confidence),))]


@pytest.mark.parametrize(
    ("language", "said", "correction", "expected", "group"),
    [
        ("nb", "nittito trettifire førtifem syttini", "nei, det er førtiseks, ikke førtifem", "92344679", 2),
        ("nb", "nittito trettifire førtifem syttini", "det siste er syttiåtte", "92344578", 3),
        ("en", "nine two three four four five seven nine", "the last part is seventy-eight", "92344578", 3),
        ("en", "nine two three four four five seven nine", "not forty-five, forty-six", "92344679", 2),
    ],
)
def test_machine_applies_partial_corrections(
    language: str, said: str, correction: str, expected: str, group: int
) -> None:
    m = PhoneCaptureMachine(language=language, now=lambda: 0.0)
    first = m.offer(evidence(said), utterance_id="u1").proposal
    assert first is not None and first.digits == "92344579"
    step = m.reject(answer_to(first, evidence(correction), utterance_id="u2"))
    assert step.state == "proposed"
    assert step.proposal is not None
    assert step.proposal.digits == expected
    assert step.proposal.attempt == 2
    if language == "nb":
        assert step.proposal.corrected_groups == (group,)
        assert step.instruction.startswith("Les opp det rettede nummeret nøyaktig")


def test_correction_after_asking_again_needs_a_cue() -> None:
    m = PhoneCaptureMachine(now=lambda: 0.0)
    p = m.offer(evidence("nittito trettifire førtifem syttini"), utterance_id="u1").proposal
    assert p is not None
    m.reject(no_to(p))
    assert m.offer(evidence("førtiseks"), utterance_id="u2").reason == "partial_number"
    step = m.offer(evidence("det siste er syttiåtte"), utterance_id="u3")
    assert step.proposal is not None and step.proposal.digits == "92344578"


def test_correction_evidence_is_voted_across_sources() -> None:
    m = PhoneCaptureMachine(now=lambda: 0.0)
    p = m.offer(evidence("nittito trettifire førtifem syttini"), utterance_id="u1").proposal
    assert p is not None
    answer = [
        Evidence("azure", "sidecar", (Alternative("nei, det er førtiseks, ikke førtifem", 0.6),)),
        Evidence("whisper", "sidecar", (Alternative("nei, det er 47, ikke 45", 0.9),)),
        Evidence("deepgram", "sidecar", (Alternative("nei, det er 47, ikke 45", 0.5),)),
    ]
    step = m.reject(answer_to(p, answer, utterance_id="u2"))
    assert step.proposal is not None and step.proposal.digits == "92344779"
    assert step.proposal.sources == ("whisper", "deepgram")


def test_correction_to_a_rejected_reading_is_not_proposed() -> None:
    m = PhoneCaptureMachine(now=lambda: 0.0)
    p = m.offer(evidence("92 34 45 79"), utterance_id="u1").proposal
    assert p is not None
    step = m.reject(answer_to(p, evidence("92 34 46 79"), utterance_id="u2"))
    assert step.proposal is not None
    step = m.reject(answer_to(step.proposal, evidence("nei, det er førtiseks"), utterance_id="u3"))
    # the only reading of the correction is the just-rejected 92344679
    assert step.proposal is None and step.state == "asking_again"
