"""The on-demand benchmark's figures can move: a number its engine mishears is confirmed wrong (the caller says yes
to it) and counts against the confirmed-correct rate; every dialogue sends the engine audio it bills."""

from __future__ import annotations

import pytest

from benchmark_module import load_benchmark

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]


bench = load_benchmark("bench_on_demand")


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
