"""The capture-compute benchmark times the tool's own work: the tool proposes numbers from the six turns it reads,
and CPU work added inside the capture machine shows in the figure."""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np
import pytest

from benchmark_module import load_benchmark
from sidecar_stt.core.capture import PhoneCaptureMachine

pytestmark = pytest.mark.timeout(120)


bench = load_benchmark("bench_capture_compute")


def test_a_window_holds_six_turns_of_two_engines_five_best() -> None:
    sidecar, argument, truth = bench.new_dialogue(random.Random(1))
    turns = sidecar.ledger.turns
    assert len(turns) == 6 and len(truth) == 8 and argument
    for turn in turns:
        finals = sidecar.ledger.finals_for_turn(turn.turn_id)
        assert sorted(s.source for s in finals) == ["azure", "whisper"]
        assert all(len(s.alternatives) == 5 for s in finals)


async def test_the_figure_is_the_tools_work_and_moves_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    await bench.one_pass(2, rng)  # imports and lexicons
    plain, proposed = await bench.one_pass(20, rng)
    assert proposed >= 10  # the tool read the turns and proposed the number they hold

    offer_window = PhoneCaptureMachine.offer_window

    def slower(self: PhoneCaptureMachine, *args: Any, **kwargs: Any) -> Any:
        end = time.process_time() + 0.03
        while time.process_time() < end:
            pass
        return offer_window(self, *args, **kwargs)

    monkeypatch.setattr(PhoneCaptureMachine, "offer_window", slower)
    loaded, _ = await bench.one_pass(20, rng)
    assert np.percentile(loaded, 95) > np.percentile(plain, 95) + 20  # 30 ms more work per call shows
