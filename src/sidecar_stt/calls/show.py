"""Plain-text views of a stored call and of a reconciliation (``sidecar calls show`` / ``reprocess``).
Personal data: for the operator's terminal, never for logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from .reprocess import ReprocessResult
from .store import StoredCall

__all__ = ["live_costs", "render_call", "render_reconciliation", "run_costs"]


def render_call(stored: StoredCall, out: TextIO) -> None:
    record = stored.record
    s = stored.summary
    print(
        f"call {record.call_id}  {record.audio_s:.1f} s of caller audio  engines: {', '.join(record.engines)}", file=out
    )
    print(
        f"  live capture: {s.live_outcome}" + (f" {record.confirmed_e164}" if record.confirmed_e164 else ""), file=out
    )
    print(f"  live engines: {live_costs(record.costs)}", file=out)
    if not s.complete:
        print("  the recording was cut short (the process stopped mid-call)", file=out)
    if s.needs_review:
        print(f"  NEEDS REVIEW: {s.review_reason}", file=out)
    for turn in record.turns:
        begin, end = record.owned_span(turn)
        print(f"  {turn.turn_id}  {begin:6.2f}–{end:6.2f} s", file=out)
        print(f"    realtime: {turn.realtime_transcript or '—'}", file=out)
        for segment in record.segments:
            if segment.turn_id != turn.turn_id:
                continue
            nbest = " | ".join(
                a.text + ("" if a.confidence is None else f" ({a.confidence:.2f})") for a in segment.alternatives
            )
            print(f"    {segment.source}: {nbest}", file=out)
    for call in record.tool_calls:
        print(f"  tool {call.name}({call.arguments}) at {call.at_s:.2f} s → {call.output}", file=out)
    for event in record.capture_events:
        number = event.get("e164") or event.get("reason") or ""
        print(f"  {event['type']} {number} at {event.get('at_s') or 0:.2f} s", file=out)
    for run in stored.runs:
        print(f"  post-call {run.engine_spec} [{run.mode}]: {run.status}", file=out, end="")
        if run.status == "done":
            groups = ", ".join(str(g + 1) for g in run.differing_groups)
            print(
                f", {run.verdict}" + (f" (groups {groups})" if groups else "") + f", found {run.found_e164 or '—'}",
                file=out,
            )
            print(f"    {run_costs(run.audio_sent_s, run.transcript_s)}", file=out)
            for data in run.segments:
                print(f"    {data['start_s']:6.2f}–{data['end_s']:6.2f} s: {data['alternatives'][0]['text']}", file=out)
        else:
            print(f" {run.error or ''}", file=out)
            if run.audio_sent_s:
                print(f"    {run.audio_sent_s:.1f} s of audio sent before it stopped", file=out)


def render_reconciliation(result: ReprocessResult, out: TextIO) -> None:
    r = result.reconciliation
    minutes = result.audio_s / 60 if result.audio_s else 0.0
    print(f"post-call transcription of {result.call_id} with {result.engine_spec} [{result.mode}]", file=out)
    for segment in result.segments:
        print(f"  {segment.start_s:6.2f}–{segment.end_s:6.2f} s: {segment.text}", file=out)
    print(f"  live capture confirmed: {r.live_e164 or '—'}", file=out)
    print(
        f"  post-call transcript:   {r.post_e164 or '—'}"
        + (f" (all: {', '.join(r.numbers)})" if len(r.numbers) > 1 else ""),
        file=out,
    )
    print(f"  verdict: {r.verdict}" + (f" — {r.reason}" if r.reason else ""), file=out)
    per_minute = f", {result.processing_s / minutes:.1f} s per audio minute" if minutes else ""
    print(f"  took {result.processing_s:.1f} s for {result.audio_s:.1f} s of audio{per_minute}", file=out)
    print(f"  {run_costs(result.audio_sent_s, result.transcript_s)}", file=out)


def live_costs(costs: Mapping[str, Mapping[str, float]] | None) -> str:
    """``azure 61.2 s of audio sent, 9.8 s of transcript kept; …``: what the live sidecar engines cost (a
    record's ``costs``)."""
    if costs is None:
        return "audio sent and transcript kept not known (the call did not end normally)"
    if not costs:
        return "none"
    return "; ".join(
        f"{name} {c['audio_sent_s']:.1f} s of audio sent, {c['transcript_s']:.1f} s of transcript kept"
        for name, c in costs.items()
    )


def run_costs(audio_sent_s: float | None, transcript_s: float | None) -> str:
    """``8.4 s of audio sent, 6.1 s of transcript stored``: what a post-call run cost."""
    sent = "–" if audio_sent_s is None else f"{audio_sent_s:.1f} s"
    kept = "–" if transcript_s is None else f"{transcript_s:.1f} s"
    return f"{sent} of audio sent, {kept} of transcript stored"
