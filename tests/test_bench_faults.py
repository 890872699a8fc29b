"""The fault suite runs at its small size through the real session, and each of its counters can move.

These tests hold on any runner: the suite completes and its baseline call confirms, and a configuration broken on
purpose (an engine that never comes back, one that lies, one that blocks the loop or hoards memory, a model that
never confirms, an app that logs the number) moves the counter that measures it. Whether the fix's targets hold
is the benchmark's exit code: ``benchmarks/bench_faults.py --size small --check-targets``.
"""

from __future__ import annotations

import logging
import math
import random
import time
from typing import Any

import numpy as np
import pytest

from benchmark_module import load_benchmark

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(400)]


engines = load_benchmark("fault_engines")
bench = load_benchmark("bench_faults")  # it imports its sibling fault_engines, as it does when run

SMALL = bench.SIZES["small"]


async def _one(case: Any, *, probe_wait_s: float = 4.0, close_limit_s: float = 10.0) -> Any:
    return await bench.run_case(case, SMALL, random.Random(7), probe_wait_s=probe_wait_s, close_limit_s=close_limit_s)


def test_the_small_suite_runs_every_case_and_prints_its_results(capsys: pytest.CaptureFixture[str]) -> None:
    status = bench.main(["--size", "small", "--seed", "29"])
    lines = capsys.readouterr().out.splitlines()
    names = {c.name for c in bench.cases(SMALL)}
    per_case = [line for line in lines if line.startswith("RESULT case=")]
    assert {line.split()[1].removeprefix("case=") for line in per_case} == names
    assert all(all(f" {bad}=" not in line for bad in ("timed_out", "error", "unheard")) for line in per_case), per_case
    clean = next(line for line in per_case if line.startswith("RESULT case=clean "))
    assert " confirmed=1 " in clean and " engines_lost=0 " in clean and " wrong_confirms=0 " in clean
    total = next(line for line in lines if line.startswith("RESULT total "))
    assert f"cases={len(names)} " in total
    assert status == 0  # without --check-targets the exit code does not judge the runner


async def test_an_engine_that_never_comes_back_is_lost() -> None:
    dead = engines.Fault(kind="outage", at_s=1.0, duration_s=math.inf)
    outcome = await _one(bench.Case("dead_vendor", dead))
    assert outcome.fired and outcome.lost and not outcome.recovered
    assert outcome.recover_s is None


async def test_an_engine_restarted_after_a_dropped_connection_is_recovered_and_timed() -> None:
    outcome = await _one(bench.Case("dropped", engines.Fault(kind="raise", at_s=1.0)))  # APIConnectionError
    assert outcome.recovered and not outcome.lost
    assert outcome.recover_s is not None and 0.0 <= outcome.recover_s < 10.0


def _other_number(said: str) -> str:
    """What a lying engine hears: the caller's number words with another valid number in place."""
    rng = random.Random(11)
    while True:
        other = bench.random_mobile(rng)
        words: str = bench.number_words(other)
        if words != said:
            return words


async def test_a_careless_caller_who_says_yes_to_a_misheard_number_is_a_wrong_confirm() -> None:
    def hears(said: str) -> str:
        return _other_number(said) if said.startswith("nummeret") else said

    outcome = await _one(bench.Case("misheard", hears=hears, careless_caller=True))
    assert outcome.wrong_confirms == 1
    assert outcome.unsaid_confirms == 0  # the caller did say yes to what was read back


async def test_a_confirmation_after_the_caller_said_no_is_unsaid() -> None:
    def hears(said: str) -> str:  # hears another number, and "yes" where the caller says no
        if said.startswith("nummeret"):
            return _other_number(said)
        return bench.YES if said == bench.NO else said

    def model_hears(said: str) -> str:
        return bench.YES if said == bench.NO else said

    case = bench.Case("hears_yes", hears=hears, model_hears=model_hears, model_confirms_always=True)
    outcome = await _one(case)
    assert outcome.unsaid_confirms >= 1


def _blocking(ev: Any) -> Any:
    time.sleep(0.4)  # an engine's own code blocking the loop
    return ev


async def test_an_engine_that_blocks_the_loop_moves_loop_block() -> None:
    outcome = await _one(bench.Case("blocks", engines.Fault(kind="malformed", mutate=_blocking)))
    assert outcome.loop_block_ms >= 350.0
    assert outcome.loop_busy_ms < 50.0  # asleep, the loop thread spent no CPU: blocked, not busy


BALLAST: list[Any] = []


def _hoarding(ev: Any) -> Any:
    BALLAST.append(np.ones(12_500_000))  # 100 MB the engine keeps, every page touched
    return ev


async def test_an_engine_that_hoards_memory_moves_peak_rss() -> None:
    try:
        outcome = await _one(bench.Case("hoards", engines.Fault(kind="malformed", mutate=_hoarding)))
    finally:
        BALLAST.clear()
    assert outcome.peak_rss_mb >= 80.0


async def test_a_hung_stream_holds_audio_pushed_into_it() -> None:
    outcome = await _one(bench.Case("hung", engines.Fault(kind="hang", at_s=1.0), silent_audio_s=30.0))
    assert outcome.fired and outcome.backlog_s > 1.0


async def test_a_close_that_hangs_is_counted_and_a_call_that_cannot_close_in_time_is_stuck() -> None:
    fault = engines.Fault(kind="close_hangs", at_s=1.0)
    outcome = await _one(bench.Case("close_hangs", fault, quiet_s=3.0), close_limit_s=1e-3)
    assert outcome.closes_hanging_max >= 1
    assert outcome.close_stuck  # no call closes in a millisecond


async def test_a_model_that_never_confirms_breaks_confirmation_hook_and_wait_result() -> None:
    outcome = await _one(bench.Case("never_confirms", model_never_confirms=True))
    assert outcome.handler_breaks == 4  # no confirmation, the model not told, no hook, wait_result() unresolved
    assert outcome.confirmed is None


async def test_an_app_logging_the_number_at_info_is_a_pii_record() -> None:
    def hook(result: Any) -> None:
        logging.getLogger("my_app").info("customer called from %s", result.e164)

    outcome = await _one(bench.Case("app_logs_number", hook=hook))
    assert outcome.pii_log_records >= 1
    assert "my_app" in outcome.pii_loggers


def test_targets_name_what_the_fix_must_hold() -> None:
    lost = bench.Outcome("key_error", transient=True, lost=True)
    leak = bench.Outcome("handler", transient=True, confirmed="92345678", pii_log_records=2)
    ok = bench.Outcome("clean", transient=True, confirmed="92345678")
    misses = bench.target_misses([lost, leak, ok])
    assert any("case=key_error a transient fault lost the engine" in m for m in misses)
    assert any("case=handler a log record" in m for m in misses)
    assert not any("case=clean" in m for m in misses)
