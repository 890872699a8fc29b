"""The capture simulation's failure metrics can move: its dialogues go through the real tools and guards."""

from __future__ import annotations

import pytest

from benchmark_module import load_benchmark
from sidecar_stt.core import capture

SEEDS = range(60)


sim = load_benchmark("sim_capture")


async def test_a_caller_who_says_yes_to_anything_gets_wrong_numbers_confirmed() -> None:
    outcomes = [await sim.run_dialogue(seed, with_sidecar=False, kind="always_yes") for seed in SEEDS]
    wrong = [o for o in outcomes if o.wrong_confirmed]
    assert wrong, "a caller who confirms every read-back must confirm a misheard number"
    assert sim.Summary.of(outcomes).wrong_confirmed_rate == len(wrong) / len(outcomes)
    assert all(not o.confirmed_correct for o in wrong)


async def test_a_careful_caller_gets_no_wrong_number_confirmed() -> None:
    outcomes = [await sim.run_dialogue(seed, with_sidecar=False, kind="careful") for seed in SEEDS]
    assert not any(o.wrong_confirmed for o in outcomes)
    assert any(o.readbacks > 1 for o in outcomes), "the baseline's sources err, so some read-backs are rejected"


async def test_the_guard_refuses_a_confirm_in_the_same_breath_as_the_read_back() -> None:
    outcomes = [await sim.run_dialogue(seed, with_sidecar=True, kind="eager_model") for seed in SEEDS]
    assert sum(o.premature_confirms for o in outcomes) > 0
    assert sum(o.premature_accepted for o in outcomes) == 0
    assert sum(o.refused_confirms for o in outcomes) >= sum(o.premature_confirms for o in outcomes)


async def test_without_the_guard_premature_confirms_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture, "judge_confirm", lambda proposal, answer, *, reader: "yes")
    outcomes = [await sim.run_dialogue(seed, with_sidecar=True, kind="eager_model") for seed in SEEDS]
    assert sum(o.premature_accepted for o in outcomes) > 0


async def test_a_yes_with_a_correction_in_the_same_breath_is_refused_and_becomes_a_rejection() -> None:
    outcomes = [await sim.run_dialogue(seed, with_sidecar=False, kind="ja_men") for seed in SEEDS]
    assert sum(o.refused_confirms for o in outcomes) > 0
    assert not any(o.wrong_confirmed for o in outcomes)
    assert sum(o.reproposed for o in outcomes) == 0
