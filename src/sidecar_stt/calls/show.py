"""Plain-text views of a stored call and of a reconciliation (``sidecar calls show`` / ``reprocess``).
Personal data: for the operator's terminal, never for logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .call_view import HIDDEN_NUMBER, HIDDEN_TEXT
from .reprocess import ReprocessResult
from .store import StoredCall

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    TextOut = SupportsWrite[str]

__all__ = ["live_costs", "render_call", "render_reconciliation", "run_costs"]


class _Mask:
    """With ``redact``, every free text (transcripts, tool data, errors) and every number is masked."""

    def __init__(self, redact: bool) -> None:
        self.redact = redact

    def text(self, value: object) -> str:
        text = "" if value is None else str(value)
        return HIDDEN_TEXT if self.redact and text.strip() else text

    def number(self, value: object) -> str:
        return HIDDEN_NUMBER if self.redact and value else ("" if value is None else str(value))


def render_call(stored: StoredCall, out: TextOut, *, redact: bool = False) -> None:
    """The call as text; ``redact`` masks numbers, transcripts, tool arguments and output, and error texts
    (times, verdicts, engines and costs stay)."""
    m = _Mask(redact)
    record = stored.record
    s = stored.summary
    print(
        f"call {record.call_id}  {record.audio_s:.1f} s of caller audio  engines: {', '.join(record.engines)}", file=out
    )
    confirmed = f" {m.number(record.confirmed_e164)}" if record.confirmed_e164 else ""
    print(f"  live capture: {s.live_outcome}{confirmed}", file=out)
    print(f"  live engines: {live_costs(record.costs)}", file=out)
    if not s.complete:
        print("  the recording was cut short (the process stopped mid-call)", file=out)
    if record.audio_failed or record.gaps:
        missing = sum(float(g.get("duration_s") or 0.0) for g in record.gaps)
        print(f"  the recording lacks {missing:.1f} s of caller audio (the rest of the record is whole)", file=out)
    if record.skipped:
        print(f"  {len(record.skipped)} journal lines were left out: " + "; ".join(map(str, record.skipped)), file=out)
    if s.needs_review:
        print(f"  NEEDS REVIEW: {s.review_reason}", file=out)
    for turn in record.turns:
        begin, end = record.owned_span(turn)
        print(f"  {turn.turn_id}  {begin:6.2f}–{end:6.2f} s", file=out)
        print(f"    realtime: {m.text(turn.realtime_transcript) or '—'}", file=out)
        for segment in record.segments:
            if segment.turn_id != turn.turn_id:
                continue
            nbest = " | ".join(
                m.text(a.text) + ("" if a.confidence is None else f" ({a.confidence:.2f})")
                for a in segment.alternatives
            )
            print(f"    {segment.source}: {nbest}", file=out)
    for call in record.tool_calls:
        arguments = {k: m.text(v) for k, v in call.arguments.items()} if redact else call.arguments
        print(f"  tool {call.name}({arguments}) at {call.at_s:.2f} s → {m.text(call.output)}", file=out)
    for event in record.capture_events:
        number = m.number(event.get("e164")) or str(event.get("reason") or "")
        print(f"  {event['type']} {number} at {event.get('at_s') or 0:.2f} s", file=out)
    for event in record.engine_events:
        detail = m.text(event.get("error") or "")
        print(f"  {event.get('type')} {event.get('source') or ''} {detail} at {event.get('at_s') or 0:.2f} s", file=out)
    for run in stored.runs:
        print(f"  post-call {run.engine_spec} [{run.mode}]: {run.status}", file=out, end="")
        if run.status == "done":
            groups = ", ".join(str(g + 1) for g in run.differing_groups)
            print(
                f", {run.verdict}"
                + (f" (groups {groups})" if groups else "")
                + f", found {m.number(run.found_e164) or '—'}",
                file=out,
            )
            print(f"    {run_costs(run.audio_sent_s, run.transcript_s)}", file=out)
            for data in run.segments:
                alternatives = data.get("alternatives") or [{}]
                text = m.text(alternatives[0].get("text", ""))
                print(f"    {data['start_s']:6.2f}–{data['end_s']:6.2f} s: {text}", file=out)
        else:
            print(f" {m.text(run.error)}", file=out)
            if run.audio_sent_s:
                print(f"    {run.audio_sent_s:.1f} s of audio sent before it stopped", file=out)


def render_reconciliation(result: ReprocessResult, out: TextOut) -> None:
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
