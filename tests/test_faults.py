"""The fault suite's counters are real: each one moves when the protection it watches is taken away."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from livekit.agents import APIStatusError

from sidecar_stt.core import capture
from sidecar_stt.testing.scripted_engine import ScriptedEngine

pytestmark = pytest.mark.unit


def faults() -> ModuleType:
    path = Path(__file__).parent.parent / "benchmarks" / "faults.py"
    spec = importlib.util.spec_from_file_location("faults_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["faults_bench"] = module
    spec.loader.exec_module(module)
    return module


async def test_the_capture_cases_count_nothing_with_the_guards_in_place() -> None:
    bench = faults()
    tally = bench.Tally()
    for case in bench.CAPTURE_CASES:
        await case(tally)
    assert (tally.wrong_confirmed, tally.unsaid_confirmed) == (0, 0), tally.lines


async def test_wrong_and_unsaid_confirmations_are_counted_without_the_guards(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = faults()
    # take the protections away: every confirm counts, and a reading needs no sidecar engine
    monkeypatch.setattr(capture, "judge_confirm", lambda proposal, answer, reader: "yes")
    monkeypatch.setattr(capture, "proposable", lambda realtime_fallback, ranked: ranked)
    tally = bench.Tally()
    for case in bench.CAPTURE_CASES:
        await case(tally)
    assert tally.wrong_confirmed >= 3, tally.lines
    assert tally.unsaid_confirmed >= 3, tally.lines


async def test_a_blocked_loop_is_measured() -> None:
    bench = faults()
    tally = bench.Tally()

    async def blocking() -> None:
        end = time.thread_time() + 0.08  # 80 ms of our own CPU, as a quadratic parse of a long transcript took
        while time.thread_time() < end:
            pass

    assert await bench._measure(tally, blocking) >= 50
    assert tally.max_loop_block_ms >= 50


class _RevokedKeyEngine(ScriptedEngine):
    """An engine whose key was revoked: every stream is refused with 401, a permanent fault."""

    def stream(self, **kwargs: Any) -> Any:
        raise APIStatusError("invalid subscription key", status_code=401)


async def test_a_dead_engine_is_counted_as_lost() -> None:
    # transient failures never lose an engine now (it is retried ever more slowly); a permanent one does, and counts
    bench = faults()
    tally = bench.Tally()
    dead = _RevokedKeyEngine([])
    await bench._engine_case(tally, "dead", dead, [16000] * 2, settle_s=20.0)  # returns as soon as it is given up
    assert tally.engines_lost == 1, tally.lines
