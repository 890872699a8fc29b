"""The on-demand benchmark's figures can move: a number its engine mishears is confirmed wrong (the caller says yes
to it) and counts against the confirmed-correct rate; every dialogue sends the engine audio it bills."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load_bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))  # it imports its sibling bench_reprocess, as it does when run
    try:
        spec = importlib.util.spec_from_file_location("bench_on_demand", BENCHMARKS / "bench_on_demand.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses resolve their annotations through sys.modules
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


bench = _load_bench()


async def test_a_misheard_number_the_caller_says_yes_to_is_not_confirmed_correct() -> None:
    said = "nummeret mitt er ni to tre fire fem seks sju åtte"
    misheard = "nummeret mitt er ni to tre fire fem seks sju sju"
    dialogue = bench.Dialogue(
        "volunteered",
        [
            bench.Turn(bench.CHAT[0], bench.CHAT[0], "Mm, skjønner."),
            bench.Turn(said, misheard, "", "capture_phone_number"),
            bench.Turn(bench.YES, bench.YES, "", "confirm_phone_number"),
        ],
        "92345678",
    )
    outcome = await bench.run(dialogue, mode="on_demand", connect_s=0.4, max_speed=3.0, grace_s=None)
    assert not outcome.correct
    assert outcome.engine_s > 0
    assert len(outcome.waits_s) == 2  # the capture call and the confirm call each waited for the transcript
