"""The demo call as a readable timeline on the terminal, with ``rich``.

:func:`render_timeline` prints, in order: who takes part (and which parts are real and which scripted), the
agent's greeting, then per caller turn the caller's audio span and words, how each party heard the turn side
by side (the realtime model's own transcript and every sidecar engine's, with the phone number our parser finds
in each), the tools the realtime model called with their arguments and results, the capture events, and what the
agent said back; last the confirmed number and the verdict.
"""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..core.phone import extract_phone_numbers
from .record import DemoRecord, EngineInfo, ToolCallRecord, TurnRecord

__all__ = ["engine_caption", "render_timeline"]

_REALTIME_LABEL = "realtime model (scripted fake)"


def engine_caption(engine: EngineInfo) -> str:
    """How an engine is named on screen: ``whisper — Whisper base, local (real)``."""
    return f"{engine.name} — {engine.label}"


def _short_caption(engine: EngineInfo) -> str:
    return f"{engine.name} ({'scripted' if engine.kind == 'scripted-stand-in' else 'real'})"


def _phone(text: str | None, language: str) -> str | None:
    if not text:
        return None
    found = extract_phone_numbers(text, language=language, region="NO")
    return found[0].e164 if found else None


def _number_cell(number: str | None, spoken: str) -> Text:
    if number is None:
        return Text("—", style="dim")
    if number == spoken:
        return Text(f"{number} ✓", style="green")
    return Text(f"{number} ✗", style="red")


def _header(record: DemoRecord) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    voice = "espeak-ng, Norwegian (nb)" if record.language == "nb" else "espeak-ng, English"
    grid.add_row("Caller", f"says {record.spoken_phone} (synthetic voice: {voice}); answers what the agent says")
    grid.add_row(
        "Realtime model",
        "the real LiveKit AgentSession + OpenAI RealtimeModel client, talking to a scripted fake GA realtime "
        "server on 127.0.0.1: its transcripts and tool arguments are scripted, with realistic mistakes",
    )
    for i, engine in enumerate(record.engines):
        style = "yellow" if engine.kind == "scripted-stand-in" else "cyan"
        grid.add_row(
            "Sidecar engines" if i == 0 else "", Text(f"{engine_caption(engine)}   [{engine.spec}]", style=style)
        )
    pace = "as fast as possible" if record.speed is None else f"{record.speed:g}× real time"
    grid.add_row("Caller audio", pace)
    grid.add_row("Real", "AgentSession, RealtimeModel client, audio tap, ledger, fusion, capture tools, local Whisper")
    scripted = "what the realtime model hears, the tools it calls and its arguments"
    if any(e.kind == "scripted-stand-in" for e in record.engines):
        scripted += "; what the Azure stand-in hears (its n-best)"
    grid.add_row("Scripted", scripted)
    title = "Sidecar demo · an offline Norwegian call, end to end"
    if record.language == "en":
        title = "Sidecar demo · an offline call in English, end to end"
    return Panel(grid, title=title, title_align="left", border_style="blue")


def _transcript_cell(turn: TurnRecord, engine: EngineInfo) -> Text:
    text = turn.sidecar.get(engine.name, "")
    if not text:
        return Text("(no final transcript)", style="dim")
    cell = Text(text)
    alternatives = turn.nbest.get(engine.name, [])
    if alternatives and alternatives[0][1] is not None:
        cell.append(f"  conf {alternatives[0][1]:.2f}", style="dim")
    for rank, (alt, conf) in enumerate(alternatives[1:], start=2):
        cell.append(f"\n{rank}. {alt}", style="dim")
        if conf is not None:
            cell.append(f"  conf {conf:.2f}", style="dim")
    return cell


def _hearing_table(turn: TurnRecord, record: DemoRecord) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False)
    table.add_column("heard by", min_width=16, max_width=26, overflow="fold")  # labels wrap at spaces only
    table.add_column("transcript", ratio=7, overflow="fold")
    table.add_column("number found", width=14, no_wrap=True)
    rt = turn.realtime_transcript
    table.add_row(
        Text(_REALTIME_LABEL, style="magenta"),
        Text(rt or "(none)", style="" if rt else "dim"),
        _number_cell(_phone(rt, record.language), record.spoken_phone),
    )
    for engine in record.engines:
        style = "yellow" if engine.kind == "scripted-stand-in" else "cyan"
        table.add_row(
            Text(_short_caption(engine), style=style),
            _transcript_cell(turn, engine),
            _number_cell(_phone(turn.sidecar.get(engine.name), record.language), record.spoken_phone),
        )
    return table


def _lines() -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=6, no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _tool_text(call: ToolCallRecord) -> Text:
    args = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in call.arguments.items())
    line = Text(f"{call.name}({args})", style="blue")
    line.append("\n→ ", style="dim")
    line.append(call.output)
    return line


def _event_text(event: dict[str, Any], spoken: str) -> Text:
    kind = str(event.get("type", ""))
    e164 = event.get("e164")
    style = {"phone_number_rejected": "red", "phone_number_confirmed": "green"}.get(kind, "bold")
    line = Text(kind, style=style)
    if isinstance(e164, str):
        line.append(f"  {e164} {'✓' if e164 == spoken else '✗'}")
    details: list[str] = []
    if kind == "phone_number_proposed":
        details.append(f"read back “{event.get('read_back', '')}”")
        details.append(f"attempt {event.get('attempt')}")
        if event.get("corrected_groups"):
            details.append(f"corrected pair {', '.join(str(g + 1) for g in event['corrected_groups'])}")
    elif kind == "phone_number_confirmed":
        details.append(f"attempt {event.get('attempt')}")
    elif kind == "phone_number_capture_failed":
        details.append(f"reason {event.get('reason')}")
    elif kind == "engine_failed":
        details += [f"engine {event.get('source')}", str(event.get("error", ""))]
    elif kind == "frames_dropped":
        details += [f"engine {event.get('source')}", f"{event.get('count')} frames"]
    sources = event.get("sources")
    if sources:
        details.append(f"sources: {', '.join(sources)}")
    if details:
        line.append("\n" + " · ".join(details), style="dim")
    return line


def _national_digits(e164: str) -> str:
    return e164.removeprefix("+47")


def _why_wrong(event: dict[str, Any], turn: TurnRecord, record: DemoRecord) -> Text | None:
    """For a read-back that is not the spoken number: which hearings gave its wrong pairs, and who was outvoted."""
    proposed = event.get("e164")
    if event.get("type") != "phone_number_proposed" or not isinstance(proposed, str) or proposed == record.spoken_phone:
        return None
    wrong, right = _national_digits(proposed), _national_digits(record.spoken_phone)
    if len(wrong) != len(right):
        return Text("why ✗: the read-back has another length than the spoken number", style="red")
    pairs = sorted({i // 2 for i, (w, r) in enumerate(zip(wrong, right, strict=True)) if w != r})
    hearings = [(_REALTIME_LABEL.removesuffix(" (scripted fake)"), _phone(turn.realtime_transcript, record.language))]
    for engine in record.engines:
        label = f"{engine.name}'s top hypothesis" if turn.nbest.get(engine.name) else engine.name
        hearings.append((label, _phone(turn.sidecar.get(engine.name), record.language)))

    def agrees(number: str | None, digits: str) -> bool:
        if number is None:
            return False
        heard = _national_digits(number)
        return len(heard) == len(digits) and all(heard[2 * p : 2 * p + 2] == digits[2 * p : 2 * p + 2] for p in pairs)

    misled = [label for label, number in hearings if agrees(number, wrong)]
    heard_right = [label for label, number in hearings if agrees(number, right)]
    where = ", ".join(f"pair {p + 1} ({wrong[2 * p : 2 * p + 2]} for {right[2 * p : 2 * p + 2]})" for p in pairs)
    why = f"why ✗: {where}"
    if misled:
        why += f": {' and '.join(misled)} heard it so"
        if heard_right:
            why += f", outvoting {' and '.join(heard_right)}, which heard it right"
    why += "; the read-back is there for the caller to put it right"
    return Text(why, style="red")


def _turn_panel(turn: TurnRecord, record: DemoRecord) -> Panel:
    said = _lines()
    said.add_row(Text("caller", style="bold green"), Text(f"“{turn.caller_said}”"))
    happened = _lines()
    for call in record.tool_calls:
        if call.turn_index == turn.index:
            happened.add_row(Text("tool", style="bold blue"), _tool_text(call))
    for event in record.events:
        if event.get("turn") == turn.index:
            happened.add_row(Text("event", style="bold"), _event_text(event, record.spoken_phone))
            why = _why_wrong(event, turn, record)
            if why is not None:
                happened.add_row(Text(""), why)
    agent = Text(f"“{turn.agent_said}”" if turn.agent_said is not None else "(said nothing)")
    happened.add_row(Text("agent", style="bold magenta"), agent)
    title = f"turn {turn.index + 1} · caller audio {turn.start_s:.2f}–{turn.end_s:.2f} s · {turn.kind}"
    return Panel(
        Group(said, _hearing_table(turn, record), happened), title=title, title_align="left", border_style="white"
    )


def _summary(record: DemoRecord) -> Panel:
    lines: list[Text] = []
    confirmed = Text("confirmed number  ", style="bold")
    confirmed.append_text(_number_cell(record.confirmed_phone, record.spoken_phone))
    lines.append(confirmed)
    rejected = [e for e in record.events if e.get("type") == "phone_number_rejected"]
    if rejected:
        lines.append(Text(f"rejected readings {', '.join(str(e.get('e164')) for e in rejected)}", style="dim"))
    for engine in record.engines:
        if engine.kind != "local" or engine.name not in record.sidecar_phones:
            continue
        heard = record.sidecar_phones[engine.name]
        backed = any(
            e.get("type") == "phone_number_confirmed" and engine.name in e.get("sources", ()) for e in record.events
        )
        if heard is None:
            note = "heard no valid number when the caller first said it"
        elif heard == record.spoken_phone:
            note = f"heard the right number ({heard}) when the caller first said it"
        else:
            note = f"heard a wrong number ({heard}) when the caller first said it; the fusion was not misled"
        if backed:
            note += "; it backs the confirmed number"
        elif record.language == "nb":
            note += "; it does not back the confirmed number"
        lines.append(Text(f"{engine_caption(engine)}: {note}", style="cyan"))
    verdict = Text(record.verdict(), style="bold green" if record.ok else "bold red")
    lines.append(verdict)
    reason = record.failure_reason()
    if reason:
        lines.append(Text(f"why: {reason}", style="red"))
    for name, cost in record.costs.items():
        lines.append(
            Text(
                f"{name}: {cost['audio_sent_s']:.1f} s of audio sent of {record.call_audio_s:.1f} s of caller audio, "
                f"{cost['transcript_s']:.1f} s of transcript stored",
                style="dim",
            )
        )
    pace = "as fast as possible" if record.speed is None else f"at {record.speed:g}× real time"
    lines.append(
        Text(
            f"took {record.elapsed_s:.1f} s of wall time for the whole demo: loading the local Whisper, the call "
            f"({record.call_audio_s:.1f} s of caller audio played {pace}) and the engines' last transcripts",
            style="dim",
        )
    )
    return Panel(Group(*lines), title="result", title_align="left", border_style="green" if record.ok else "red")


def render_timeline(record: DemoRecord, console: Console) -> None:
    """Print the whole call on ``console``."""
    console.print(_header(record))
    greeting = _lines()
    greeting.add_row(Text("agent", style="bold magenta"), Text(f"“{record.greeting}”"))
    console.print(greeting)
    for turn in record.turns:
        console.print(_turn_panel(turn, record))
    console.print(_summary(record))
