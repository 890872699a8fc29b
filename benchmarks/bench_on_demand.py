"""On-demand against always-on transcription: engine audio-seconds, tool wait and confirmed-correct rate.

Each dialogue is new: random chat turns before and after, a random valid Norwegian mobile number said in pairs or
digit by digit, an engine that mishears one digit of it now and then (the right reading second in its n-best), a
caller who says yes to whatever is read back, and agent replies drawn from a list that holds words that must not
start the engines ("Hva er kundenummeret ditt?", "Har du prøvd å starte telefonen på nytt?"). Dialogues take
three kinds in a fixed rotation (asked, moment, asked, volunteered):

- ``asked``: the agent asks for the number, in one of several phrasings — one of them ("Og så telefonnummeret,
  da.") no cue the sidecar recognises — and the caller answers;
- ``moment``: the agent asks, the caller needs a moment ("et øyeblikk, jeg må bare finne det fram"), the model
  says to take the time it needs, then the number comes;
- ``volunteered``: the caller gives the number unasked after an "Mm"; the model's ``capture_phone_number`` call is
  the first want of transcription, so on-demand engines start then and hear the buffered answer first — the
  worst case for the wait.

Every dialogue runs in both modes, in alternating order, through a real AgentSession and RealtimeModel against
FakeRealtimeServer, caller audio at real time (window starts come from the session's speech reports, which only
mean something at real-time pacing): ``always`` (the engine streams the whole call) and ``on_demand``
(``SidecarOptions(on_demand=True)`` with the library's defaults unless ``--grace-s`` is given). Before each caller
turn the caller's input carries silence as long as the agent's previous reply would take to say (a live call
streams silence while the agent talks, and both modes pay for what they hear of it); the agent's message still
enters the conversation at once, before that silence, so on-demand engines started by a question hear the
question's length of silence too.

The engine models a streaming vendor's costs of a fresh connection: ``--connect-s`` before a new stream takes
audio, at most ``--max-speed`` times real time through a replayed burst, and deaf to an utterance that began
before its first audio (so a window that starts too late loses the number and the confirmed-correct rate drops).

Per dialogue: engine audio-seconds sent (``sidecar.stats()``), the wait of the capture call and of the confirm
call for the sidecar transcript, whether the confirmed number is the true one. Printed: per-dialogue ratio
min/median/max, each mode's and kind's capture-call wait p50/p95 (confirm calls apart), then ``RESULT
engine_seconds_ratio=<on-demand/always> tool_wait_p50_s=.. tool_wait_p95_s=.. confirmed_correct_rate_always=..
confirmed_correct_rate_on_demand=..`` over the capture calls of all dialogues, with ``tool_wait_p95_added_s``
(on-demand's p95 minus always-on's, same dialogues) overall, per kind (``asked_*``, ``moment_*``,
``volunteered_*``) and by whether the sidecar took a reply for the question (``cued_*``, ``not_cued_*``).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import logging
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from livekit.agents import Agent

from bench_reprocess import random_mobile
from sidecar_stt import Sidecar, SidecarOptions, TurnTranscript
from sidecar_stt.core.listen_cues import asks_for_number
from sidecar_stt.core.readback import read_back
from sidecar_stt.testing.audio import synthesize_speech
from sidecar_stt.testing.caller import planned_spans
from sidecar_stt.testing.realtime_script import CallerTurn, ScriptedFunctionCall
from sidecar_stt.testing.scripted_engine import ScriptedEngine, ScriptedUtterance
from sidecar_stt.testing.session import offline_call

CHAT = [
    "hei, jeg ringer om en time jeg bestilte i forrige uke",
    "ja, det var hos tannlegen på torsdag klokka ti",
    "jeg lurer på om jeg kan flytte den til neste uke",
    "helst på formiddagen, for jeg jobber om ettermiddagen",
    "tirsdag eller onsdag passer fint begge to",
    "nei, jeg har ikke vært der før, dette er første gang",
    "det gjelder en tann som har vært litt sår en stund",
    "ja, jeg har fått brev om det, men jeg fant det ikke igjen",
    "kan dere sende meg en påminnelse dagen før",
    "det er greit, jeg betaler med kort når jeg kommer",
    "nei, det var egentlig alt jeg lurte på i dag",
    "tusen takk for hjelpen, ha en fin dag videre",
]
YES = "ja, det stemmer"
MOMENT = "et øyeblikk, jeg må bare finne det fram"
ASKS = [
    "Hva er telefonnummeret ditt?",
    "Kan du gi meg mobilnummeret ditt?",
    "Hvilket nummer kan vi nå deg på?",
    "Da trenger jeg bare telefonnummeret ditt.",
    "Og så telefonnummeret, da.",  # no cue the sidecar knows: its engines start when the tool is called
]
REPLIES = [
    "Mm, skjønner.",
    "Greit, da ser jeg på det.",
    "Hva er kundenummeret ditt?",
    "Har du prøvd å starte telefonen på nytt?",
    "Takk, det er notert. Noe mer?",
]
KINDS = ("asked", "moment", "asked", "volunteered")
_DIGITS = ["null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]
READ_BACK_S = 4.5
"""How long the agent's read-back takes to say (it is the tool's answer, not known ahead)."""


@dataclass(frozen=True)
class Turn:
    said: str
    heard: str  # what the engine hears
    reply: str  # the agent's words after it ("" : the tool's answer)
    tool: str | None = None
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Dialogue:
    kind: str
    turns: list[Turn]
    digits: str

    @property
    def cued(self) -> bool:
        """Whether a reply before the number is a question the sidecar takes as a cue (its engines start then)."""
        end = [t.tool for t in self.turns].index("capture_phone_number")
        return any(asks_for_number(t.reply) for t in self.turns[:end])


def new_dialogue(rng: random.Random, kind: str) -> Dialogue:
    digits = random_mobile(rng).removeprefix("+47")
    if rng.random() < 0.5:
        said = "nummeret mitt er " + read_back("+47" + digits, language="nb", style="pairs")
    else:
        said = "nummeret mitt er " + " ".join(_DIGITS[int(d)] for d in digits)
    number = Turn(said, said, "", "capture_phone_number")
    if rng.random() < 0.15:  # the engine mishears one digit; the right reading is its second hypothesis
        i = rng.randrange(1, 8)
        wrong = digits[:i] + str((int(digits[i]) + rng.randrange(1, 10)) % 10) + digits[i + 1 :]
        heard = "nummeret mitt er " + " ".join(_DIGITS[int(d)] for d in wrong)
        right = "nummeret mitt er " + " ".join(_DIGITS[int(d)] for d in digits)
        number = dataclasses.replace(number, heard=heard, alternatives=((right, 0.4),))
    chat = rng.sample(CHAT, k=rng.randint(6, 9))
    cut = len(chat) - rng.randint(1, 2)
    before = [Turn(t, t, rng.choice(REPLIES)) for t in chat[:cut]]
    ask = "Mm, skjønner." if kind == "volunteered" else rng.choice(ASKS)
    before[-1] = dataclasses.replace(before[-1], reply=ask)
    if kind == "moment":
        before.append(Turn(MOMENT, MOMENT, "Ja, ta den tiden du trenger."))
    after = [Turn(t, t, rng.choice(REPLIES)) for t in chat[cut:]]
    return Dialogue(kind, [*before, number, Turn(YES, YES, "", "confirm_phone_number"), *after], digits)


def saying_s(reply: str) -> float:
    """How long the agent takes to say ``reply`` (about 2.5 words a second, and a moment to start)."""
    return 0.4 + (len(reply.split()) / 2.5 if reply else READ_BACK_S)


@dataclass
class Outcome:
    engine_s: float
    waits_s: list[float]  # the capture call's, the confirm call's
    correct: bool


MODES = ("always", "on_demand")


async def run(dialogue: Dialogue, *, mode: str, connect_s: float, max_speed: float, grace_s: float | None) -> Outcome:
    pauses = [0.5, *(saying_s(t.reply) for t in dialogue.turns[:-1])]
    pcms = [synthesize_speech(t.said, voice="nb", rate_wpm=190) for t in dialogue.turns]
    spans = planned_spans(pcms, pauses_before_s=pauses)
    engine = ScriptedEngine(
        [
            ScriptedUtterance(start_s=a, end_s=b, text=t.heard, delay_s=0.3, alternatives=t.alternatives)
            for (a, b), t in zip(spans, dialogue.turns, strict=True)
        ],
        record_audio=False,
        connect_delay_s=connect_s,
        max_speed=max_speed,
        hear_cut_utterances=False,
    )
    script = [
        CallerTurn(
            transcript=t.said,
            function_calls=[ScriptedFunctionCall(t.tool, {})] if t.tool else [],
            reply=t.reply or (lambda outputs: outputs[0].output if outputs else ""),
        )
        for t in dialogue.turns
    ]
    waits: list[float] = []

    def agent(sidecar: Sidecar | None) -> Agent:
        assert sidecar is not None
        # the tools read the caller's turn through the sidecar's turn reader: time each read there
        reader = sidecar._reader
        timed: Callable[..., Awaitable[TurnTranscript]] = reader.turn_transcript

        async def turn_transcript(**kwargs: Any) -> TurnTranscript:
            began = time.monotonic()
            try:
                return await timed(**kwargs)
            finally:
                waits.append(time.monotonic() - began)

        reader.turn_transcript = turn_transcript  # type: ignore[method-assign]
        return Agent(instructions="Du er en resepsjonist.", tools=sidecar.tools())

    options = SidecarOptions(on_demand=mode != "always")
    if grace_s is not None:
        options = dataclasses.replace(options, on_demand_grace_s=grace_s)
    async with offline_call(script, agent=agent, engines={"azure": engine}, sidecar_options=options, speed=1.0) as call:
        assert call.sidecar is not None
        for i, (pcm, pause_s) in enumerate(zip(pcms, pauses, strict=True), start=1):
            call.caller.say(pcm, pause_before_s=pause_s)
            await call.caller.wait_idle(timeout_s=60)
            await call.server.wait_for_turns(i, timeout_s=60)
            await call.server.wait_idle(timeout_s=30)
        try:  # a capture that never proposed (the transcript came too late) has no result: not confirmed
            result = await asyncio.wait_for(call.sidecar.phone.wait_result(), 10)
        except TimeoutError:
            result = None
        engine_s = call.sidecar.stats()["azure"].audio_sent_s
    correct = result is not None and result.digits == dialogue.digits
    return Outcome(engine_s, waits, correct)


def _cue(dialogue: Dialogue) -> str:
    return "cued" if dialogue.cued else "not_cued"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_figures(waits: list[float], base: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p95 added over ``base`` (always-on's waits in the same dialogues)."""
    p95 = percentile(waits, 0.95)
    return percentile(waits, 0.5), p95, p95 - percentile(base, 0.95)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dialogues", type=int, default=12)
    parser.add_argument("--connect-s", type=float, default=0.4)
    parser.add_argument("--max-speed", type=float, default=3.0)
    parser.add_argument("--grace-s", type=float, default=None, help="default: SidecarOptions' on_demand_grace_s")
    parser.add_argument("--seed", type=int, default=None, help="default: a new one each run")
    args = parser.parse_args()
    logging.getLogger("livekit").setLevel(logging.ERROR)
    logging.getLogger("sidecar_stt").setLevel(logging.ERROR)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    grace_s = args.grace_s if args.grace_s is not None else SidecarOptions().on_demand_grace_s
    print(
        f"seed={seed} dialogues={args.dialogues} connect_s={args.connect_s} max_speed={args.max_speed} "
        f"grace_s={grace_s}"
    )
    dialogues: list[Dialogue] = []
    outcomes: dict[str, list[Outcome]] = {mode: [] for mode in MODES}
    for n, kind in zip(range(args.dialogues), itertools.cycle(KINDS), strict=False):
        dialogues.append(dialogue := new_dialogue(rng, kind))
        for k in range(len(MODES)):
            mode = MODES[(n + k) % len(MODES)]
            outcome = await run(
                dialogue, mode=mode, connect_s=args.connect_s, max_speed=args.max_speed, grace_s=args.grace_s
            )
            outcomes[mode].append(outcome)
        print(
            f"dialogue {n + 1} ({dialogue.kind}, {'cued' if dialogue.cued else 'not cued'}): "
            + " ".join(
                f"{mode}(engine_s={outcomes[mode][-1].engine_s:.1f} correct={outcomes[mode][-1].correct} "
                f"waits={[round(w, 2) for w in outcomes[mode][-1].waits_s]})"
                for mode in MODES
            ),
            flush=True,
        )

    def waits(mode: str, kind: str | None = None, call: int = 0) -> list[float]:
        """The waits of each dialogue's ``call``-th tool call (0: capture, 1: confirm) of ``kind`` (all; "cued" and
        "not_cued" split by whether the sidecar took a reply as the question)."""
        pairs = zip(dialogues, outcomes[mode], strict=True)
        return [o.waits_s[call] for d, o in pairs if kind in (None, d.kind, _cue(d)) and len(o.waits_s) > call]

    def rate(mode: str) -> float:
        return sum(o.correct for o in outcomes[mode]) / len(outcomes[mode])

    ratios = [d.engine_s / a.engine_s for a, d in zip(outcomes["always"], outcomes["on_demand"], strict=True)]
    ratio = sum(o.engine_s for o in outcomes["on_demand"]) / sum(o.engine_s for o in outcomes["always"])
    print(
        f"engine_seconds_ratio per dialogue: min={min(ratios):.3f} median={statistics.median(ratios):.3f} "
        f"max={max(ratios):.3f}"
    )
    kinds = (*dict.fromkeys(KINDS), "cued", "not_cued")
    for group, call in [*((k, 0) for k in (None, *kinds)), (None, 1)]:
        if not waits("always", group, call):
            continue
        for mode in MODES:
            w = waits(mode, group, call)
            print(
                f"{group or 'all'} {mode} {('capture', 'confirm')[call]} call: tool_wait p50={percentile(w, 0.5):.3f} "
                f"p95={percentile(w, 0.95):.3f} max={max(w):.3f} n={len(w)}"
            )
    p50, p95, added = wait_figures(waits("on_demand"), waits("always"))
    per_kind = ""
    for kind in kinds:
        if waits("always", kind):
            _, k95, kadded = wait_figures(waits("on_demand", kind), waits("always", kind))
            n = sum(kind in (d.kind, _cue(d)) for d in dialogues)
            per_kind += f" {kind}_tool_wait_p95_s={k95:.3f} {kind}_tool_wait_p95_added_s={kadded:.3f} {kind}={n}"
    print(
        f"RESULT engine_seconds_ratio={ratio:.3f} tool_wait_p50_s={p50:.3f} tool_wait_p95_s={p95:.3f} "
        f"confirmed_correct_rate_always={rate('always'):.3f} confirmed_correct_rate_on_demand={rate('on_demand'):.3f} "
        f"tool_wait_p95_added_s={added:.3f}{per_kind} dialogues={args.dialogues} grace_s={grace_s}"
    )


if __name__ == "__main__":
    asyncio.run(main())
