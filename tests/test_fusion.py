"""Fusion of phone-number evidence: engines, n-best, the realtime transcript and the tool argument as a weak prior."""

from __future__ import annotations

import pytest

from sidecar_stt.core.alignment import align
from sidecar_stt.core.fusion import (
    DEFAULT_WEIGHTS,
    Evidence,
    EvidenceKind,
    FusionWeights,
    fuse_phone_evidence,
    join_evidence,
)
from sidecar_stt.core.readback import pair_groups
from sidecar_stt.core.segment import Alternative

pytestmark = pytest.mark.unit


def ev(source: str, *alts: tuple[str, float | None], kind: EvidenceKind = "sidecar") -> Evidence:
    return Evidence(source=source, kind=kind, alternatives=tuple(Alternative(t, c) for t, c in alts))


def test_two_engines_agree() -> None:
    one = fuse_phone_evidence([ev("azure", ("nittito trettifire femtiseks syttiåtte", 0.9))])
    both = fuse_phone_evidence(
        [ev("azure", ("nittito trettifire femtiseks syttiåtte", 0.9)), ev("whisper", ("92 34 56 78", 0.8))]
    )
    assert [c.e164 for c in both] == ["+4792345678"]
    best = both[0]
    assert best.digits == "92345678"
    assert best.groups == ("92", "34", "56", "78")
    assert set(best.sources) == {"azure", "whisper"}
    assert best.score > one[0].score
    assert 0.0 < best.score < 1.0
    assert all(c == pytest.approx(best.score) for c in best.group_confidence)


def test_two_engines_disagree_confident_one_wins_and_the_differing_group_is_weakest() -> None:
    out = fuse_phone_evidence(
        [
            ev("azure", ("nittito trettifire femtiseks syttiåtte", 0.9)),
            ev("whisper", ("nittito trettifire femtifem syttiåtte", 0.5)),
        ]
    )
    assert [c.digits for c in out] == ["92345678", "92345578"]
    best = out[0]
    assert best.sources == ("azure",)
    assert best.weakest_group == 2
    assert best.group_confidence[2] < best.group_confidence[0]
    assert best.group_confidence[0] == pytest.approx(best.group_confidence[3])
    # shared digits are backed by both engines
    assert best.digit_confidence[0] > best.score
    assert out[1].score < best.score


def test_nbest_second_reading_confirmed_by_another_source() -> None:
    azure = ev(
        "azure",
        ("nittito trettifire femtiseks syttini", 0.8),
        ("nittito trettifire femtiseks syttiåtte", 0.75),
    )
    alone = fuse_phone_evidence([azure])
    assert alone[0].digits == "92345679"
    fused = fuse_phone_evidence([azure, ev("whisper", ("92 34 56 78", 0.7))])
    assert fused[0].digits == "92345678"
    assert fused[0].sources == ("whisper", "azure")
    azure_support = next(s for s in fused[0].support if s.source == "azure")
    assert azure_support.rank == 1


def test_tool_argument_alone_is_a_low_score_candidate() -> None:
    out = fuse_phone_evidence([ev("tool_argument", ("92345678", None), kind="tool_argument")])
    assert [c.digits for c in out] == ["92345678"]
    assert out[0].sources == ("tool_argument",)
    assert out[0].score < 0.5


def test_tool_argument_never_outweighs_a_sidecar_engine() -> None:
    sidecar = ev("azure", ("nittito trettifire femtiseks syttiåtte", 0.3))
    tool = ev("tool_argument", ("+47 92 34 56 79", 1.0), kind="tool_argument")
    out = fuse_phone_evidence([tool, sidecar])
    assert out[0].digits == "92345678"
    assert out[1].digits == "92345679"
    # the same evidence with the kinds swapped flips the result: the kind weight decides, not the order
    swapped = fuse_phone_evidence(
        [
            ev("azure", ("92345679", 1.0)),
            ev("tool_argument", ("nittito trettifire femtiseks syttiåtte", 0.3), kind="tool_argument"),
        ]
    )
    assert swapped[0].digits == "92345679"


def test_realtime_transcript_counts_less_than_a_sidecar() -> None:
    out = fuse_phone_evidence(
        [
            ev("realtime", ("nittito trettifire femtiseks syttini", None), kind="realtime_transcript"),
            ev("azure", ("nittito trettifire femtiseks syttiåtte", None)),
        ]
    )
    assert out[0].digits == "92345678"


def test_nothing_usable() -> None:
    assert fuse_phone_evidence([]) == []
    assert fuse_phone_evidence([ev("azure")]) == []
    assert fuse_phone_evidence([ev("azure", ("jeg vet ikke hva nummeret er", 0.9), ("", 0.5))]) == []
    assert fuse_phone_evidence([ev("azure", ("nittito trettifire", 0.9))]) == []


def test_rejected_readings_are_excluded_by_e164_or_digits() -> None:
    evidence = [
        ev("azure", ("nittito trettifire femtiseks syttiåtte", 0.9), ("nittito trettifire femtiseks syttini", 0.8))
    ]
    assert fuse_phone_evidence(evidence)[0].digits == "92345678"
    for key in ("+4792345678", "92345678"):
        out = fuse_phone_evidence(evidence, rejected=[key])
        assert [c.digits for c in out] == ["92345679"]
    assert fuse_phone_evidence(evidence, rejected={"92345678", "+4792345679"}) == []


def test_deterministic_regardless_of_evidence_order() -> None:
    evidence = [
        ev("azure", ("nittito trettifire femtiseks syttiåtte", 0.6)),
        ev("whisper", ("92 34 56 79", 0.6)),
        ev("deepgram", ("92 34 56 77", 0.6)),
    ]
    forward = fuse_phone_evidence(evidence)
    backward = fuse_phone_evidence(list(reversed(evidence)))
    assert [c.digits for c in forward] == [c.digits for c in backward]
    assert [c.score for c in forward] == [c.score for c in backward]
    # a three-way tie of equal supports: the tie-break is the E.164 string
    assert [c.digits for c in forward] == ["92345677", "92345678", "92345679"]


def test_unknown_confidence_and_source_overrides() -> None:
    weights = FusionWeights(source_weights={"whisper": 0.1})
    evidence = [ev("azure", ("92 34 56 78", None)), ev("whisper", ("92 34 56 79", 0.9))]
    assert fuse_phone_evidence(evidence)[0].digits == "92345679"
    assert fuse_phone_evidence(evidence, weights=weights)[0].digits == "92345678"
    assert DEFAULT_WEIGHTS.confidence(None) == DEFAULT_WEIGHTS.unknown_confidence
    assert DEFAULT_WEIGHTS.confidence(0.0) == DEFAULT_WEIGHTS.min_confidence
    assert DEFAULT_WEIGHTS.confidence(3.0) == 1.0


def test_weights_are_validated() -> None:
    with pytest.raises(ValueError):
        FusionWeights(tool_argument=1.0, sidecar=1.0)
    with pytest.raises(ValueError):
        FusionWeights(rank_decay=0.0)


def test_english_and_foreign_numbers() -> None:
    out = fuse_phone_evidence([ev("azure", ("nine two three four five six seven eight", 0.9))], language="en")
    assert out[0].e164 == "+4792345678"
    foreign = fuse_phone_evidence([ev("azure", ("+46 70 123 45 67", 0.9))])
    assert foreign[0].e164 == "+46701234567"
    assert "".join(foreign[0].groups) == foreign[0].digits
    assert len(foreign[0].group_confidence) == len(foreign[0].groups)
    assert len(foreign[0].digit_confidence) == len(foreign[0].digits)


def test_pair_groups_and_alignment() -> None:
    assert pair_groups("92345678") == ("92", "34", "56", "78")
    assert pair_groups("923456789") == ("923", "45", "67", "89")
    assert pair_groups("") == ()
    assert align("92345678", "92345679") == tuple("92345679")
    assert align("92345678", "9234678") == ("9", "2", "3", "4", None, "6", "7", "8")
    assert align("9234", "912345") == ("9", "2", "3", "4")


def test_rejected_reading_still_votes_on_digits() -> None:
    rejected_engine = ev("azure", ("92 34 56 79", 0.9))
    others = [ev("whisper", ("92 34 55 88", 0.5)), ev("deepgram", ("92 34 56 88", 0.45))]
    assert fuse_phone_evidence(others)[0].digits == "92345588"
    out = fuse_phone_evidence([rejected_engine, *others], rejected=["+4792345679"])
    # the rejected reading is no candidate, but its "56" backs the reading that shares it
    assert [c.digits for c in out] == ["92345688", "92345588"]


def test_evidence_weight_scales_support() -> None:
    full = fuse_phone_evidence([ev("azure", ("92 34 56 78", 0.9))])
    half = fuse_phone_evidence([Evidence("azure", "sidecar", (Alternative("92 34 56 78", 0.9),), weight=0.5)])
    assert half[0].support[0].support == pytest.approx(full[0].support[0].support / 2)


def test_join_evidence_of_a_number_said_in_two_utterances() -> None:
    first = [ev("azure", ("nittito trettifire", 0.9), ("nittito tretti", 0.5)), ev("whisper", ("92 34", 0.8))]
    second = [
        ev("azure", ("femtiseks syttiåtte", 0.8)),
        ev("tool_argument", ("92345678", None), kind="tool_argument"),
    ]
    joined = join_evidence([first, second])
    assert [e.source for e in joined] == ["azure", "tool_argument"]  # whisper missed the second piece
    azure = joined[0]
    assert [a.text for a in azure.alternatives] == [
        "nittito trettifire femtiseks syttiåtte",
        "nittito tretti femtiseks syttiåtte",
    ]
    assert azure.alternatives[0].confidence == pytest.approx(0.72)
    assert fuse_phone_evidence(joined)[0].digits == "92345678"
    assert join_evidence([]) == []
