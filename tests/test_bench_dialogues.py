"""The dialogue benchmark's smallest run: real offline calls driven turn by turn from a dialogue file, and figures
that can move (an always-wrong-yes caller confirms wrong numbers; the metrics see it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark_module import load_benchmark

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(240)]

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / "tests" / "data" / "dialogues" / "own.jsonl"


bench = load_benchmark("bench_dialogues")


def dialogues(*ids: str) -> list[dict[str, object]]:
    chosen = {d["id"]: d for d in bench.load_dialogues(OWN)}
    return [chosen[i] for i in ids]


def test_the_agents_replies_are_read_as_the_caller_hears_them() -> None:
    from sidecar_stt.core.reader import TextReader

    reader = TextReader(language="nb", region="NO")
    read = 'Les opp nøyaktig: "nittito, trettifire, femtiseks, syttiåtte" og spør om det stemmer.'
    assert bench.situation_of(read, reader) == ("read_back", "+4792345678")
    assert bench.situation_of("Be innringeren taste nummeret på tastaturet.", reader)[0] == "asked_keypad"
    assert bench.situation_of("Be innringeren si resten av nummeret.", reader)[0] == "asked_rest"
    assert bench.situation_of("Be innringeren si nummeret ett siffer om gangen.", reader)[0] == "asked_digits"


async def test_a_small_run_confirms_right_and_the_wrong_yes_caller_moves_the_wrong_confirm_metric() -> None:
    chosen = dialogues("own-model-mishears-01", "own-slow-no-heard-yes-01", "own-hae-01")
    honest = await bench.run_all(chosen, wrong_yes=False, jobs=1)
    assert [o.error for o in honest] == [None, None, None]
    assert all(o.confirmed_correct and not o.loop for o in honest), [bench.describe(o) for o in honest]
    assert not any(o.confirm_without_yes or o.unsaid_confirm for o in honest)
    # the caller saying yes to the number the engine misheard: a wrong confirmation, and the metric counts it
    (wrong,) = await bench.run_all(dialogues("own-slow-no-heard-yes-01"), wrong_yes=True, jobs=1)
    assert wrong.wrong_confirm and wrong.confirmed == "+4792345679"
    assert "wrong_confirms=1" in bench.summary([wrong], "caller=always_wrong_yes")
