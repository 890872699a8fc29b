"""Phone capture in real dialogue: confirmed-correct, wrong and unsaid confirmations, read-backs and loops.

Reads dialogues from JSON lines (the format is ``tests/data/dialogues/FORMAT.md``; ``own.jsonl`` was written beside
the capture code for development, the other files blind, by people who had not read it): each is a caller with a
true number, opening turns, and reactions to what the agent says. Every dialogue is a real offline call — the real
``AgentSession`` and ``RealtimeModel`` against the fake server, scripted engines hearing the n-best lists the
dialogue gives, a scripted realtime model hearing and calling what the dialogue says — driven turn by turn through
:class:`~sidecar_stt.testing.LiveDialogue`: after each caller turn the agent's reply is played out, read (a
read-back of which number, a request for the number, the rest, digits, the keypad ...) and the caller's next turn is
the reaction to it.

Per dialogue: confirmed number (the app's ``on_phone_confirmed`` hook), whether it is the true one, whether it was
ever read back to the caller (an *unsaid* confirmation otherwise), the caller turn it was confirmed at and what
that turn meant (a confirmation *without a heard yes* when it was not a yes), read-backs (every reply that reads a
number to the caller), a *loop* (more than 4 read-backs), and the end (confirmed, a clean give-up, declined,
still open when the caller ran out of turns).

Printed: one line per dialogue, then ``RESULT`` lines overall and per kind, and the same dialogues again with an
*always-wrong-yes* caller (who answers a wrong read-back with their yes turn): its ``wrong_confirms`` must move, or
the metric could not see a wrong confirmation. Dialogues run ``--jobs`` at a time (each its own server and
session); the spread of wall time per dialogue is printed.

    python benchmarks/bench_dialogues.py                                   # every file in tests/data/dialogues
    python benchmarks/bench_dialogues.py tests/data/dialogues/own.jsonl    # one file
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livekit import rtc
from livekit.agents import Agent
from livekit.rtc._proto import participant_pb2

from sidecar_stt import PhoneCaptureResult, Sidecar, phone_capture_instructions
from sidecar_stt.core.reader import TextReader
from sidecar_stt.testing import (
    CallerTurn,
    LiveDialogue,
    ScriptedEngine,
    ScriptedFunctionCall,
    ToolOutput,
    offline_call,
)

DIALOGUES = Path(__file__).resolve().parents[1] / "tests" / "data" / "dialogues"
"""Every ``*.jsonl`` here is run when no file is named (``make bench``)."""
CAPTURE_TOOLS = ("capture_phone_number", "confirm_phone_number", "reject_phone_number", "decline_phone_number_capture")
LOOP_READ_BACKS = 4
"""More read-backs than this in one dialogue is a loop."""
_QUOTED = re.compile(r"\"([^\"]+)\"")


# -- reading a dialogue ---------------------------------------------------------------------------------------


def load_dialogues(path: Path) -> list[dict[str, Any]]:
    """The dialogues of a JSON-lines file (blank lines skipped), each checked for the fields the runner needs."""
    dialogues = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        dialogue = json.loads(line)
        for key in ("id", "kind", "turns", "expect"):
            if key not in dialogue:
                raise ValueError(f"{path}:{number}: dialogue has no {key!r}")
        dialogues.append(dialogue)
    return dialogues


def situation_of(reply: str, reader: TextReader) -> tuple[str, str | None]:
    """What the agent's reply does: ``read_back`` (with the E.164 number read), or the request it makes."""
    for quoted in _QUOTED.findall(reply):
        numbers = reader.phones(quoted)
        if numbers:
            return "read_back", numbers[0].e164
    lowered = reply.lower()
    if "tast" in lowered:
        return "asked_keypad", None
    if "ett siffer" in lowered or "siffer om gangen" in lowered:
        return "asked_digits", None
    if "resten" in lowered:
        return "asked_rest", None
    if "nummer" in lowered or "gjenta" in lowered:
        return "asked_number", None
    return "asked_other", None


# -- the result of one dialogue -------------------------------------------------------------------------------


@dataclass
class Outcome:
    dialogue_id: str
    kind: str
    expect: str
    true_e164: str | None
    confirmed: str | None = None
    confirmed_at_means: str | None = None
    read_back_numbers: list[str] = field(default_factory=list)
    end: str = "open"
    """``confirmed``, ``gave_up`` (the capture failed), ``declined``, ``hung_up`` (no reaction fits), ``open``."""
    caller_turns: int = 0
    replies: list[str] = field(default_factory=list)
    """What the agent did after each caller turn (its situation), in order."""
    wall_s: float = 0.0
    error: str | None = None

    @property
    def read_backs(self) -> int:
        return len(self.read_back_numbers)

    @property
    def confirmed_correct(self) -> bool:
        return self.confirmed is not None and self.confirmed == self.true_e164

    @property
    def wrong_confirm(self) -> bool:
        return self.confirmed is not None and self.confirmed != self.true_e164

    @property
    def unsaid_confirm(self) -> bool:
        return self.confirmed is not None and self.confirmed not in self.read_back_numbers

    @property
    def confirm_without_yes(self) -> bool:
        return self.confirmed is not None and self.confirmed_at_means != "yes"

    @property
    def loop(self) -> bool:
        return self.read_backs > LOOP_READ_BACKS

    @property
    def met(self) -> bool:
        """Whether the dialogue ended as expected."""
        if self.expect == "confirmed_correct":
            return self.confirmed_correct
        if self.expect == "clean_give_up":
            return self.confirmed is None and self.end in ("gave_up", "declined") and not self.loop
        return self.confirmed is None


# -- running one dialogue -------------------------------------------------------------------------------------


def _room(can_type: bool) -> rtc.Room:
    """A never-connected room holding the caller: on a phone line (SIP: keypad DTMF arrives on the room) when the
    caller can type, else a web client (never asked to type)."""
    owned = participant_pb2.OwnedParticipant()
    kind = rtc.ParticipantKind.PARTICIPANT_KIND_SIP if can_type else rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD
    owned.info.identity, owned.info.kind = "caller", kind
    room = rtc.Room()
    room._remote_participants["caller"] = rtc.RemoteParticipant(owned)
    return room


def _model_turn(turn: dict[str, Any], said: str, dialogue: LiveDialogue) -> CallerTurn:
    """The realtime model's part of a caller turn: what it hears, the tools it calls in order, what it says."""
    model = turn.get("model") or {}
    hears = str(model.get("hears", said))
    calls = list(model.get("calls") or [])
    says = str(model.get("says") or "Mm.")
    if not calls:
        return CallerTurn(transcript=hears, reply=says)
    marks: list[int] = []  # events seen when each call was made: a later call reads whether that one was refused

    def step(index: int) -> Callable[[list[ToolOutput]], ScriptedFunctionCall | None]:
        spec = calls[index]

        def make(outputs: list[ToolOutput]) -> ScriptedFunctionCall | None:
            condition = spec.get("only_if_previous")
            if condition is not None and marks:
                since = dialogue.events[marks[-1] :]
                refused = any(getattr(e, "type", "") == "capture_step_refused" for e in since)
                if (condition == "refused") != refused:
                    return None
            marks.append(len(dialogue.events))
            return ScriptedFunctionCall(str(spec["tool"]), dict(spec.get("args") or {}))

        return make

    def reply(outputs: list[ToolOutput]) -> str:
        return outputs[-1].output if outputs else says

    return CallerTurn(transcript=hears, then=[step(i) for i in range(len(calls))], reply=reply)


def _engines_heard(turn: dict[str, Any], said: str) -> dict[str, Any]:
    heard: dict[str, Any] = {}
    for key, spec in (turn.get("engines") or {}).items():
        if not isinstance(spec, dict):  # the n-best list alone (``"azure": []``: heard nothing)
            spec = {"nbest": spec}
        nbest = [(str(t), float(c)) for t, c in spec.get("nbest", [[said, 0.9]])]
        heard[key] = {"nbest": nbest, "delay_s": spec.get("delay_s")}
    return heard


async def run_dialogue(d: dict[str, Any], *, wrong_yes: bool = False, timeout_s: float = 40.0) -> Outcome:
    """Play dialogue ``d`` through a real offline call; ``wrong_yes``: the caller says yes to wrong read-backs."""
    from sidecar_stt.testing.dialogue import EngineHearing

    true = d.get("true_number")
    outcome = Outcome(d["id"], d["kind"], d["expect"], f"+47{true}" if true else None)
    reader = TextReader(language="nb", region="NO")
    engine_specs: dict[str, dict[str, Any]] = dict(d.get("engines") or {"azure": {}})
    delays = {k: float(v.get("delay_s", 0.3)) for k, v in engine_specs.items()}
    engines = {
        k: ScriptedEngine([], label=k, connect_delay_s=float(v.get("start_delay_s", 0.0)))
        for k, v in engine_specs.items()
    }
    reactions: dict[str, list[dict[str, Any]]] = dict(d.get("reactions") or {})
    if wrong_yes and "read_back_right" in reactions:
        reactions["read_back_wrong"] = reactions["read_back_right"]
        reactions.pop("read_back_wrong_same", None)
    used: Counter[str] = Counter()
    confirmed: list[PhoneCaptureResult] = []
    means_now = ["other"]

    def on_confirmed(number: PhoneCaptureResult) -> str:
        if not confirmed:
            outcome.confirmed_at_means = means_now[0]
        confirmed.append(number)
        return "Takk."

    def agent(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        return Agent(instructions=phone_capture_instructions("nb"), tools=sidecar.tools())

    room = _room(bool(d.get("caller_can_type")))
    started = time.perf_counter()
    async with offline_call([], agent=agent, engines=engines, room=room, on_phone_confirmed=on_confirmed) as call:
        assert call.sidecar is not None
        machine_owner = call.sidecar.phone
        dialogue = LiveDialogue(call, default_delay_s=delays)
        opening = list(d["turns"])
        rejected_read: set[str] = set()
        last_read: str | None = None
        reply = ""
        limit = int(d.get("max_caller_turns", 12))
        try:
            while outcome.caller_turns < limit:
                if opening:
                    turn = opening.pop(0)
                else:
                    situation, number = situation_of(reply, reader)
                    if situation == "read_back":
                        right = number == outcome.true_e164
                        situation = "read_back_right" if right else "read_back_wrong"
                        if not right and number in rejected_read and "read_back_wrong_same" in reactions:
                            situation = "read_back_wrong_same"
                    options = reactions.get(situation) or []
                    if not options:
                        outcome.end = "hung_up"
                        break
                    turn = options[min(used[situation], len(options) - 1)]
                    used[situation] += 1
                    if situation.startswith("read_back_wrong") and last_read is not None:
                        rejected_read.add(last_read)
                means_now[0] = str(turn.get("means", "other"))
                said = str(turn.get("says", ""))
                outputs_before = len(call.server.tool_outputs())
                instructions_before = len(_instructions(call))
                outcome.caller_turns += 1
                if said.strip():
                    heard = {
                        k: EngineHearing(v["nbest"], delays[k] if v["delay_s"] is None else float(v["delay_s"]))
                        for k, v in _engines_heard(turn, said).items()
                    }
                    live = dialogue.say(
                        said,
                        model=_model_turn(turn, said, dialogue),
                        engines=heard,
                        pause_before_s=float(turn.get("pause_s", 0.6)),
                    )
                    await dialogue.wait_for_reply(live, timeout_s=timeout_s)
                if turn.get("types"):
                    await dialogue.press_keys(str(turn["types"]) + "#", timeout_s=timeout_s)
                reply = _latest_reply(call, outputs_before, instructions_before, turn)
                situation, number = situation_of(reply, reader)
                outcome.replies.append(situation)
                if situation == "read_back" and number is not None:
                    outcome.read_back_numbers.append(number)
                    last_read = number
                if confirmed:
                    outcome.end = "confirmed"
                    break
                state = machine_owner.machine.state
                if state in ("failed", "declined"):
                    outcome.end = "gave_up" if state == "failed" else "declined"
                    break
        except Exception as e:  # a dialogue that breaks the kit is reported, not fatal to the run
            outcome.error = f"{type(e).__name__}: {e}"[:300]
            logging.getLogger("bench_dialogues").debug("dialogue failed", exc_info=True)
        await call.server.wait_idle(timeout_s=timeout_s)
        await call.caller.wait_idle(timeout_s=timeout_s)
        await call.server.wait_for_turns(len(call.server.script), timeout_s=timeout_s)
    outcome.wall_s = time.perf_counter() - started
    outcome.confirmed = confirmed[0].e164 if confirmed else None
    if confirmed:
        outcome.end = "confirmed"
    return outcome


def _instructions(call: Any) -> list[str]:
    """Instructions of every ``response.create`` the client sent (the sidecar's keypad replies carry them)."""
    out = []
    for event in call.server.client_events:
        if event.get("type") == "response.create":
            params = event.get("response") or {}
            instructions = params.get("instructions") if isinstance(params, dict) else None
            if instructions:
                out.append(str(instructions))
    return out


def _latest_reply(call: Any, outputs_before: int, instructions_before: int, turn: dict[str, Any]) -> str:
    """What the agent told the caller after this turn: the last capture tool's answer (the model speaks it), the
    sidecar's own instruction after typed keys, or what the model said without a tool."""
    outputs = [o for o in call.server.tool_outputs()[outputs_before:] if o.name in CAPTURE_TOOLS]
    instructions = _instructions(call)[instructions_before:]
    if turn.get("types") and instructions:
        return instructions[-1]
    if outputs:
        return outputs[-1].output
    return str((turn.get("model") or {}).get("says") or "")


# -- the run --------------------------------------------------------------------------------------------------


async def run_all(dialogues: Sequence[dict[str, Any]], *, wrong_yes: bool, jobs: int) -> list[Outcome]:
    gate = asyncio.Semaphore(jobs)

    async def one(d: dict[str, Any]) -> Outcome:
        async with gate:
            return await run_dialogue(d, wrong_yes=wrong_yes)

    return list(await asyncio.gather(*(one(d) for d in dialogues)))


def summary(outcomes: Sequence[Outcome], label: str) -> str:
    expecting = [o for o in outcomes if o.expect == "confirmed_correct"]
    finishable = [o for o in outcomes if o.expect in ("confirmed_correct", "clean_give_up")]
    clean = [o for o in finishable if o.confirmed_correct or (o.confirmed is None and o.end in ("gave_up", "declined"))]
    reads = [o.read_backs for o in outcomes]
    return (
        f"RESULT {label} dialogues={len(outcomes)}"
        f" confirmed_correct={sum(o.confirmed_correct for o in expecting)}/{len(expecting)}"
        f" expected_met={sum(o.met for o in outcomes)}/{len(outcomes)}"
        f" finished_or_clean_give_up={len(clean)}/{len(finishable)}"
        f" wrong_confirms={sum(o.wrong_confirm for o in outcomes)}"
        f" unsaid_confirms={sum(o.unsaid_confirm for o in outcomes)}"
        f" confirms_without_heard_yes={sum(o.confirm_without_yes for o in outcomes)}"
        f" read_backs_mean={statistics.fmean(reads) if reads else 0.0:.2f}"
        f" loops={sum(o.loop for o in outcomes)}"
        f" errors={sum(o.error is not None for o in outcomes)}"
    )


def report(outcomes: Sequence[Outcome], *, prefix: str = "") -> list[str]:
    lines = [summary(outcomes, f"{prefix}all".strip())]
    for kind in sorted({o.kind for o in outcomes}):
        lines.append(summary([o for o in outcomes if o.kind == kind], f"{prefix}kind={kind}"))
    return lines


def describe(o: Outcome) -> str:
    flags = [
        name
        for name, on in (
            ("WRONG", o.wrong_confirm),
            ("UNSAID", o.unsaid_confirm),
            ("NO_YES", o.confirm_without_yes),
            ("LOOP", o.loop),
            ("MISSED", not o.met),
        )
        if on
    ]
    return (
        f"{o.dialogue_id:<32} {o.kind:<24} end={o.end:<9} confirmed={o.confirmed or '-':<12} read_backs={o.read_backs}"
        f" turns={o.caller_turns} {' '.join(flags)}"
        + (f" replies={','.join(o.replies)}" if not o.met else "")
        + (f" error={o.error}" if o.error else "")
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=sorted(DIALOGUES.glob("*.jsonl")))
    parser.add_argument("--jobs", type=int, default=2, help="dialogues run at once")
    parser.add_argument("--limit", type=int, default=0, help="only the first N dialogues of each file")
    parser.add_argument("--no-wrong-yes", action="store_true", help="skip the always-wrong-yes caller's run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    dialogues = [d for f in args.files for d in load_dialogues(f)[: args.limit or None]]
    outcomes = asyncio.run(run_all(dialogues, wrong_yes=False, jobs=args.jobs))
    for o in outcomes:
        print(describe(o))
    walls = sorted(o.wall_s for o in outcomes)
    print(f"wall_s per dialogue min={walls[0]:.1f} median={statistics.median(walls):.1f} max={walls[-1]:.1f}")
    for line in report(outcomes):
        print(line)
    if not args.no_wrong_yes:
        wrong = asyncio.run(run_all(dialogues, wrong_yes=True, jobs=args.jobs))
        print(summary(wrong, "caller=always_wrong_yes"))


if __name__ == "__main__":
    main()
