"""TranscriptLedger: replacement of interims, turn alignment, queries and waiting for a final."""

from __future__ import annotations

import asyncio

import pytest

from sidecar_stt.core.ledger import TranscriptLedger
from sidecar_stt.core.segment import Alternative, Segment

pytestmark = pytest.mark.unit


def seg(source: str, sid: str, start: float, end: float, text: str, *, final: bool = True) -> Segment:
    return Segment(
        source=source,
        segment_id=sid,
        start_s=start,
        end_s=end,
        is_final=final,
        alternatives=(Alternative(text=text, confidence=0.9),),
    )


def test_interim_is_replaced_by_final_and_final_is_never_replaced() -> None:
    ledger = TranscriptLedger()
    ledger.add(seg("azure", "a1", 0.0, 1.0, "ni to", final=False))
    ledger.add(seg("azure", "a1", 0.0, 1.5, "ni to tre", final=False))
    assert [s.text for s in ledger.segments(finals_only=False)] == ["ni to tre"]
    ledger.add(seg("azure", "a1", 0.0, 2.0, "ni to tre fire"))
    ledger.add(seg("azure", "a1", 0.0, 2.0, "something else"))
    assert [s.text for s in ledger.segments()] == ["ni to tre fire"]
    assert ledger.segments(finals_only=False)[0].is_final


def test_segments_align_to_the_turn_they_overlap_most() -> None:
    ledger = TranscriptLedger()
    early = ledger.add(seg("azure", "a1", 1.0, 2.0, "hei"))
    assert early.turn_id is None  # no turn yet
    t1 = ledger.begin_turn(start_s=1.2)
    ledger.end_turn(end_s=2.5)
    t2 = ledger.begin_turn(start_s=5.0)
    ledger.end_turn(end_s=7.0)
    late = ledger.add(seg("azure", "a2", 5.1, 6.8, "nittito"))
    assert ledger.segments()[0].turn_id == t1.turn_id  # realigned when the turn opened
    assert late.turn_id == t2.turn_id
    labelled = ledger.label_turn(item_id="item_A", transcript="hei")
    assert labelled is not None and labelled.turn_id == t1.turn_id
    ledger.label_turn(item_id="item_B", transcript="nitti")
    assert [s.text for s in ledger.finals_for_turn("item_B")] == ["nittito"]
    assert [s.text for s in ledger.latest_turn_finals()] == ["nittito"]
    assert ledger.turn("item_A") == ledger.turns[0]


def test_window_and_source_filters() -> None:
    ledger = TranscriptLedger()
    ledger.add(seg("azure", "a1", 0.0, 1.0, "en"))
    ledger.add(seg("whisper", "w1", 0.1, 1.1, "én"))
    ledger.add(seg("azure", "a2", 3.0, 4.0, "to"))
    assert [s.text for s in ledger.window(0.5, 2.0)] == ["en", "én"]
    assert [s.text for s in ledger.window(0.5, 5.0, source="azure")] == ["en", "to"]
    assert ledger.sources == ("azure", "whisper")


def test_unclosed_turn_is_closed_by_the_next() -> None:
    ledger = TranscriptLedger()
    ledger.begin_turn(start_s=0.0)
    ledger.begin_turn(start_s=3.0)
    assert ledger.turns[0].end_s == 3.0
    assert ledger.turns[1].end_s is None


async def test_wait_for_final_returns_a_final_that_arrives_later() -> None:
    ledger = TranscriptLedger()
    ledger.add(seg("azure", "a1", 0.0, 1.0, "old"))

    async def deliver() -> None:
        await asyncio.sleep(0.05)
        ledger.add(seg("azure", "a2", 2.0, 3.0, "new", final=False))
        await asyncio.sleep(0.05)
        ledger.add(seg("azure", "a2", 2.0, 3.0, "new"))

    task = asyncio.create_task(deliver())
    got = await ledger.wait_for_final(after_s=1.5, timeout_s=2.0)
    await task
    assert got is not None and got.text == "new"


async def test_wait_for_final_times_out_with_none() -> None:
    ledger = TranscriptLedger()
    assert await ledger.wait_for_final(after_s=0.0, timeout_s=0.05) is None


def test_a_segment_after_the_last_turn_waits_for_the_next_turn() -> None:
    ledger = TranscriptLedger()
    ledger.begin_turn(start_s=2.4)
    ledger.end_turn(end_s=4.8)
    answer = ledger.add(seg("azure", "a1", 4.8, 5.26, "ja"))
    assert answer.turn_id is None
    t2 = ledger.begin_turn(start_s=6.1)  # the realtime model reports speech late: after the segment
    assert ledger.segments()[0].turn_id == t2.turn_id


def test_owned_span_runs_from_the_previous_turns_end() -> None:
    ledger = TranscriptLedger()
    first = ledger.begin_turn(start_s=1.0)
    ledger.end_turn(end_s=2.5)
    second = ledger.begin_turn(start_s=4.0)
    assert ledger.owned_span(first.turn_id) == (0.0, 2.5)
    assert ledger.owned_span(second.turn_id) == (2.5, None)
    assert ledger.owned_span("nope") is None
