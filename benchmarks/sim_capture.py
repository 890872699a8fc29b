"""Simulated phone-number capture dialogues through the real capture tools, their guards and the ledger.

Every dialogue runs against a :class:`~sidecar_stt.Sidecar` that is never attached (no engines run; its ledger is
a real :class:`~sidecar_stt.core.ledger.TranscriptLedger`). For every caller utterance the simulation opens and
closes a turn on a session clock, adds what the simulated sidecar engines heard as final ``Segment`` s and the
realtime model's transcript as the turn's label, then calls ``sidecar.phone.on_number_said`` / ``on_confirm`` /
``on_reject`` as the realtime model would: it calls confirm when the caller says yes, or when it *believes* so.
So the adapter gathers the evidence and the guards in ``core.answer`` judge every confirm.

Each dialogue draws a valid Norwegian number (70 % mobile) said in pairs, digit by digit, 3-2-3 or with old
counting ("femogførti"). Every caller utterance is heard by simulated sources with seeded, correlated errors:

- ``azure`` (sidecar, n-best of 3–5 with confidences, words only), ``whisper`` (sidecar, one hypothesis,
  mostly printed digits, present in 60 % of calls), the realtime model's own transcript (no confidence) and
  the number the realtime model passes as a tool argument (its transcript's digits, one more error in 20 % of
  cases; after a rejection it repeats its earlier reading 70 % of the time, the bias seen in real calls);
- per-group error rates 4 % / 8 % / 15 % (azure / whisper / realtime); 25 % of calls have one *hard* group
  (8× the rate, capped at 60 %, and 60 % of the engines that err there pick the same wrong value), 15 % are
  noisy (2.5× every rate);
- errors are Norwegian-plausible: a unit dropped ("nitti" for "nittito"), a teen for a tens ("fjorten" for
  "førti"), a confusable digit (fem/fire, seks/sju, to/tre, …), and in 8 % of errors a whole group lost;
- n-best order is wrong when it matters: each lower Azure entry changes one group of the top one, restoring
  the true group half the time when the top had it wrong; confidences overlap between right and wrong.

Callers (one kind per dialogue):

- ``careful``: says yes only to the true number. To a read-back with one wrong pair they answer with a partial
  correction ("nei, det er førtiseks, ikke førtifem", "nei, det siste er syttiåtte", "nei, ikke førtifem, men
  førtiseks"), otherwise the whole number again (60 %) or just "nei", then repeat it when asked;
- ``yes_to_wrong``: a careful caller who says yes to a wrong read-back 5 % of the time;
- ``ja_men``: says "ja" and corrects in the same breath ("ja, men det siste er syttini"); the model, hearing the
  "ja", calls confirm 60 % of the time (the guard must refuse, then the model rejects);
- ``split``: says the number over two or three turns; after each fragment the model calls capture (60 %) or only
  answers "mm" without a tool call, and calls capture after the last fragment with all it heard;
- ``eager_model``: a careful caller, but the model calls confirm in the same breath as its read-back 40 % of the
  time, before the caller could answer (the guard must refuse);
- ``always_yes`` (not in the mix; used by the tests): says yes to anything read back.

The baseline runs the same dialogues (same seeds, same hearing) with only the realtime model's transcript and tool
argument in the ledger (no sidecar segments).

Last line: ``RESULT confirmed_correct_rate=<x> mean_readbacks=<y> wrong_confirmed_rate=<x> reproposed_rejected=<n>
failed=<n> dialogues=<n> baseline_confirmed_correct_rate=<x> baseline_mean_readbacks=<y>``.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import phonenumbers

from sidecar_stt import Sidecar, SidecarOptions
from sidecar_stt.core.proposal import Proposal
from sidecar_stt.core.readback import read_back_groups
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.testing.scripted_engine import ScriptedEngine

DIGITS = ["null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]
TENS = {2: "tjue", 3: "tretti", 4: "førti", 5: "femti", 6: "seksti", 7: "sytti", 8: "åtti", 9: "nitti"}
OLD_TENS = {2: "tyve", 3: "tretti", 4: "førti", 5: "femti", 6: "seksti", 7: "sytti", 8: "åtti", 9: "nitti"}
CONFUSABLE = {
    0: [6, 8],
    1: [7, 4],
    2: [3, 0],
    3: [2, 0],
    4: [5, 1],
    5: [4, 6],
    6: [5, 7],
    7: [6, 8],
    8: [7, 0],
    9: [5, 1],
}
BASE_RATE = {"azure": 0.04, "whisper": 0.08, "realtime": 0.15}
PRINT_RATE = {"azure": 0.0, "whisper": 0.7, "realtime": 0.6}
INTROS = ["", "ja, ", "nummeret mitt er ", "det er ", "eh, det er ", "ja, det er "]


@dataclass(frozen=True)
class Group:
    """A digit group as the caller says it."""

    digits: str
    form: str  # "pair", "old", "digit", "triple"


Part = str | Group


def group_words(group: Group, rng: random.Random) -> str:
    d = group.digits
    if group.form == "old" and len(d) == 2 and d[0] >= "2" and d[1] != "0":
        return DIGITS[int(d[1])] + "og" + OLD_TENS[int(d[0])]
    if len(d) == 1:
        return DIGITS[int(d)]
    words = read_back_groups([d], language="nb")[0]
    if rng.random() < 0.5:
        words = words.replace("syv", "sju")
    return words


def random_number(rng: random.Random) -> str:
    while True:
        if rng.random() < 0.7:
            digits = rng.choice("49") + "".join(rng.choice("0123456789") for _ in range(7))
        else:
            digits = rng.choice("2357") + "".join(rng.choice("0123456789") for _ in range(7))
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "NO")):
            return digits


def speak(digits: str, style: str) -> list[Group]:
    if style == "digits":
        return [Group(d, "digit") for d in digits]
    if style == "323":
        return [Group(digits[:3], "triple"), Group(digits[3:5], "pair"), Group(digits[5:], "triple")]
    groups = [digits[i : i + 2] for i in range(0, len(digits), 2)]
    return [Group(g, "old" if style == "old" and g[0] >= "2" and g[1] != "0" else "pair") for g in groups]


def confuse(digits: str, rng: random.Random) -> str | None:
    """A plausible mishearing of one group (``None``: the group was lost)."""
    r = rng.random()
    if r < 0.08:
        return None
    if len(digits) == 2 and r < 0.3 and digits[1] != "0" and digits[0] >= "2":
        return digits[0] + "0"  # unit dropped: "nitti" for "nittito"
    if len(digits) == 2 and r < 0.42 and digits[1] == "0" and digits[0] >= "4":
        return "1" + digits[0]  # a teen for a tens: "fjorten" for "førti"
    k = rng.randrange(len(digits))
    new = str(rng.choice(CONFUSABLE[int(digits[k])]))
    return digits[:k] + new + digits[k + 1 :]


KINDS = {
    "careful": 30,
    "yes_to_wrong": 20,
    "ja_men": 20,
    "split": 15,
    "eager_model": 15,
    "self_correct": 15,
    "old_new": 10,
    "hesitate": 10,
}
"""The callers in the mix, with their weights (``always_yes`` is for the tests only)."""
YES = ["ja", "ja, det stemmer", "stemmer", "ja, det er riktig", "ja takk", "det stemmer"]
UTTERANCE_S = {"number": 3.0, "answer": 1.2}
AGENT_REPLY_S = 2.5
MAX_CALLER_TURNS = 16


@dataclass
class Call:
    truth: str
    style: str
    hard_group: int | None
    shared_error: str | None
    noise: float
    sidecar_sources: tuple[str, ...]
    rt_reading: str | None = None
    """The first whole number the realtime model passed as a tool argument (it tends to repeat it)."""


def render(parts: list[Part | None], source: str, rng: random.Random) -> str:
    out: list[str] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str):
            out.append(part)
        elif rng.random() < PRINT_RATE[source]:
            out.append(part.digits)
        else:
            words = group_words(part, rng)
            d = part.digits
            if source == "azure" and part.form == "pair" and d[0] >= "2" and d[1] != "0" and rng.random() < 0.1:
                words = TENS[int(d[0])] + " " + DIGITS[int(d[1])]  # split compound
            out.append(words)
    return " ".join(out).replace(" ,", ",")


def hear_parts(
    parts: list[Part], source: str, call: Call, group_index: dict[int, int], rng: random.Random
) -> list[Part | None]:
    heard: list[Part | None] = []
    for pos, part in enumerate(parts):
        if isinstance(part, str):
            heard.append(part)
            continue
        rate = BASE_RATE[source] * call.noise
        hard = group_index.get(pos) == call.hard_group and call.hard_group is not None
        if hard:
            rate = min(0.6, rate * 8)
        if rng.random() < rate:
            if hard and call.shared_error is not None and len(part.digits) == 2 and rng.random() < 0.6:
                wrong: str | None = call.shared_error
            else:
                wrong = confuse(part.digits, rng)
            heard.append(
                None if wrong is None else Group(wrong, part.form if len(wrong) == len(part.digits) else "pair")
            )
        else:
            heard.append(part)
    return heard


@dataclass(frozen=True)
class Heard:
    """What every source heard in one caller utterance."""

    sidecar: dict[str, tuple[Alternative, ...]]
    realtime_text: str
    realtime_digits: str


def hear(parts: list[Part], call: Call, rng: random.Random) -> Heard:
    """What every source of the call heard in one caller utterance (every source is drawn, used or not, so the
    sidecar run and the baseline hear the same)."""
    # map each group part to its pair index in the number (for the hard group); corrections map by value
    group_index: dict[int, int] = {}
    pair_of = {call.truth[i : i + 2]: i // 2 for i in range(0, 8, 2)}
    for pos, part in enumerate(parts):
        if isinstance(part, Group) and part.digits in pair_of:
            group_index[pos] = pair_of[part.digits]
    sidecar: dict[str, tuple[Alternative, ...]] = {}
    for source in ("azure", "whisper"):
        top = hear_parts(parts, source, call, group_index, rng)
        errors = sum(1 for a, b in zip(top, parts, strict=True) if a != b)
        if source == "azure":
            conf = max(0.2, rng.uniform(0.55, 0.95) - 0.12 * errors)
            alts = [Alternative(render(top, source, rng), round(conf, 3))]
            for _ in range(rng.randint(2, 4)):
                variant = list(top)
                idx = [i for i, p in enumerate(parts) if isinstance(p, Group)]
                if idx:
                    i = rng.choice(idx)
                    if variant[i] != parts[i] and rng.random() < 0.5:
                        variant[i] = parts[i]  # the n-best holds the true group lower down
                    elif rng.random() < 0.5:
                        p = parts[i]
                        assert isinstance(p, Group)
                        wrong = confuse(p.digits, rng)
                        variant[i] = None if wrong is None else Group(wrong, "pair" if len(wrong) == 2 else "digit")
                conf = max(0.1, conf - rng.uniform(0.01, 0.12))
                alts.append(Alternative(render(variant, source, rng), round(conf, 3)))
            heard = tuple(alts)
        else:
            conf = max(0.2, rng.uniform(0.5, 0.9) - 0.1 * errors)
            heard = (Alternative(render(top, source, rng), round(conf, 3)),)
        if source in call.sidecar_sources:
            sidecar[source] = heard
    top = hear_parts(parts, "realtime", call, group_index, rng)
    digits = "".join(p.digits for p in top if isinstance(p, Group))
    return Heard(sidecar, render(top, "realtime", rng), digits)


def number_parts(call: Call, rng: random.Random, *, style: str | None = None) -> list[Part]:
    return [rng.choice(INTROS).strip(), *speak(call.truth, style or call.style)]


HESITATIONS = ["la meg se", "vent litt", "hva var det nå igjen", "eh, hva var det", "hm, ja, vent"]


def first_parts(call: Call, rng: random.Random, kind: str) -> list[Part]:
    """How the caller first says the number: as the careful caller does, or in one of the conversational ways."""
    if kind == "self_correct":
        groups = speak(call.truth, "pairs")
        if rng.random() < 0.5:  # the whole number again after a slip
            other = speak(random_number(rng), "pairs")
            return ["det er", *other, rng.choice(["nei unnskyld, det er", "nei vent, det var feil, det er"]), *groups]
        k = rng.randrange(4)
        wrong = confuse(groups[k].digits, rng) or str((int(groups[k].digits) + 11) % 100).zfill(2)
        said = [*groups[:k], Group(wrong.zfill(2)[:2], "pair"), *groups[k + 1 :]]
        if k == 3 and rng.random() < 0.5:
            return ["det er", *said, "nei, det siste er", groups[k]]
        return ["det er", *said, "nei, det skal være", groups[k], ", ikke", Group(wrong.zfill(2)[:2], "pair")]
    if kind == "old_new":
        other = speak(random_number(rng), "pairs")
        return ["det gamle nummeret mitt var", *other, "men nå har jeg", *speak(call.truth, call.style)]
    if kind == "hesitate":
        groups = speak(call.truth, "pairs" if call.style == "323" else call.style)
        k = rng.randrange(1, len(groups))
        return ["det er", *groups[:k], rng.choice(HESITATIONS), *groups[k:]]
    return number_parts(call, rng)


def correction_parts(call: Call, proposal: Proposal, rng: random.Random, *, kind: str) -> list[Part]:
    """The caller's answer to a wrong read-back."""
    said = proposal.groups
    if len(said) == 4 and len(proposal.digits) == 8:
        truth_groups = [call.truth[i : i + 2] for i in range(0, 8, 2)]
        wrong = [i for i in range(4) if said[i] != truth_groups[i]]
        if len(wrong) == 1:
            i = wrong[0]
            right, bad = Group(truth_groups[i], "pair"), Group(said[i], "pair")
            if kind == "ja_men":  # "ja" and the correction in the same breath
                if i in (0, 3):
                    return ["ja, men det " + ("første" if i == 0 else "siste") + " er", right]
                return ["ja, men det er", right, ", ikke", bad]
            r = rng.random()
            if r < 0.4:
                return ["nei, det er", right, ", ikke", bad]
            if r < 0.6 and i in (0, 3):
                return ["nei, det " + ("første" if i == 0 else "siste") + " er", right]
            if r < 0.7:
                return ["nei, ikke", bad, ", men", right]
    if rng.random() < 0.6:
        return ["nei, det er", *speak(call.truth, "digits" if proposal.style == "digits" else call.style)]
    return ["nei"]


def answer_parts(call: Call, proposal: Proposal, rng: random.Random, *, kind: str) -> list[Part]:
    """The caller's answer to a read-back of ``proposal``."""
    if proposal.digits == call.truth or kind == "always_yes" or (kind == "yes_to_wrong" and rng.random() < 0.05):
        return [rng.choice(YES)]
    return correction_parts(call, proposal, rng, kind=kind)


@dataclass
class Outcome:
    kind: str
    confirmed_correct: bool
    wrong_confirmed: bool
    failed: bool
    unfinished: bool
    readbacks: int
    reproposed: int
    premature_confirms: int
    """Confirms the model called in the same breath as a read-back."""
    premature_accepted: int
    """...of which the capture accepted (the guard failed)."""
    refused_confirms: int
    """Confirms the capture refused (the caller had not answered, or did not say yes)."""


@dataclass
class Dialogue:
    """One call: the caller, the realtime model's habits, and the sidecar whose capture tools it calls."""

    call: Call
    kind: str
    sidecar: Sidecar
    with_sidecar: bool
    rng: random.Random
    clock_s: float = 0.0
    turns: int = 0
    rejected: set[str] = field(default_factory=set)
    model_heard: list[str] = field(default_factory=list)
    """The realtime model's digits of the caller's fragments since its last capture call."""

    def say(self, parts: list[Part], *, kind: str) -> Heard:
        """The caller speaks: one turn in the ledger with what every source heard."""
        heard = hear(parts, self.call, self.rng)
        ledger = self.sidecar.ledger
        self.turns += 1
        start_s = self.clock_s + AGENT_REPLY_S
        end_s = start_s + UTTERANCE_S[kind]
        turn = ledger.begin_turn(start_s=start_s)
        ledger.end_turn(end_s=end_s)
        # the baseline has no independent ear: the realtime model's own transcription stands in for one (the
        # capture's evidence rule proposes only what an engine heard)
        ears = heard.sidecar if self.with_sidecar else {"realtime_ear": (Alternative(heard.realtime_text),)}
        for source, alternatives in ears.items():
            ledger.add(
                Segment(
                    source=source,
                    segment_id=f"{source}-{self.turns}",
                    start_s=start_s + 0.05,
                    end_s=end_s - 0.05,
                    is_final=True,
                    alternatives=alternatives,
                    received_s=end_s + 0.3,
                )
            )
        ledger.label_turn(item_id=f"item-{self.turns}", transcript=heard.realtime_text, turn_id=turn.turn_id)
        self.clock_s = end_s
        self.model_heard.append(heard.realtime_digits)
        return heard

    def tool_argument(self, attempt: int) -> str:
        """The number the model passes to ``capture_phone_number``: its own hearing, with its habits."""
        heard = "".join(self.model_heard)
        self.model_heard.clear()
        call, rng = self.call, self.rng
        if attempt > 1 and call.rt_reading and rng.random() < 0.7:
            return call.rt_reading  # the model repeats its earlier reading
        arg = heard
        if len(arg) == 8 and rng.random() < 0.2:
            k = rng.randrange(8)
            arg = arg[:k] + str(rng.choice(CONFUSABLE[int(arg[k])])) + arg[k + 1 :]
        if len(heard) >= 8 and call.rt_reading is None:
            call.rt_reading = arg
        return arg

    async def capture(self) -> str:
        phone = self.sidecar.phone
        return await phone.on_number_said(self.tool_argument(phone.machine.attempt))


async def run_dialogue(seed: int, *, with_sidecar: bool, kind: str | None = None) -> Outcome:
    """One dialogue through ``sidecar.phone``; ``kind`` picks the caller (drawn from :data:`KINDS` if ``None``)."""
    rng = random.Random(seed)
    truth = random_number(rng)
    drawn_kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
    kind = kind or drawn_kind
    style = rng.choices(["pairs", "digits", "323", "old"], weights=[50, 20, 15, 15])[0]
    if style == "323" and truth[0] not in "49":
        style = "pairs"
    hard = rng.randrange(4) if rng.random() < 0.25 else None
    shared = None
    if hard is not None:
        shared = confuse(truth[hard * 2 : hard * 2 + 2], random.Random(seed * 7 + 1))
    sources = ("azure", "whisper") if rng.random() < 0.6 else ("azure",)
    call = Call(truth, style, hard, shared, 2.5 if rng.random() < 0.15 else 1.0, sources)
    # never attached: no engine runs; the simulated callers speak and cannot type, so the keypad is never asked for
    sidecar = Sidecar(engines={"azure": ScriptedEngine([])}, options=SidecarOptions(keypad_after_failures=None))
    dialogue = Dialogue(call, kind, sidecar, with_sidecar, rng)
    phone = sidecar.phone
    readbacks = reproposed = premature = premature_accepted = refused = 0
    read_back_ids: set[str] = set()

    # the caller says the number (a split caller over several turns)
    if kind == "split":
        groups = speak(truth, "pairs" if style in ("323", "digits") else style)
        cuts = sorted(rng.sample([1, 2, 3], rng.choice([1, 2])))
        pieces = [groups[a:b] for a, b in zip([0, *cuts], [*cuts, len(groups)], strict=True)]
        pieces[0] = ["det er", *pieces[0]]
        for piece in pieces[:-1]:
            dialogue.say(list(piece), kind="number")
            if rng.random() < 0.6:
                text = await dialogue.capture()  # capture after the fragment; otherwise "mm" and no tool call
        dialogue.say(list(pieces[-1]), kind="number")
    else:
        dialogue.say(first_parts(call, rng, kind), kind="number")
    text = await dialogue.capture()

    for _ in range(MAX_CALLER_TURNS):
        machine = phone.machine
        proposal = machine.proposal
        if machine.done:
            break
        if machine.state == "proposed" and proposal is not None:
            if proposal.proposal_id not in read_back_ids:
                read_back_ids.add(proposal.proposal_id)
                if proposal.e164 in dialogue.rejected:
                    reproposed += 1
                if kind == "eager_model" and rng.random() < 0.4:
                    premature += 1  # the model confirms in the same breath as its read-back
                    text = await phone.on_confirm()
                    if machine.state == "confirmed":
                        premature_accepted += 1
                        break
                    refused += 1
            readbacks += 1
            parts = answer_parts(call, proposal, rng, kind=kind)
            said_yes = isinstance(parts[0], str) and parts[0] in YES
            dialogue.say(parts, kind="answer")
            believes_yes = said_yes or (str(parts[0]).startswith("ja") and rng.random() < 0.6)
            if not said_yes:
                dialogue.rejected.add(proposal.e164)
            if believes_yes:
                text = await phone.on_confirm()
                if machine.state == "confirmed":
                    continue
                refused += 1
                if said_yes:
                    continue  # refused although the caller said yes (misheard): the model reads back again
            text = await phone.on_reject()  # the caller said no, or the tool said the answer was not a yes
        else:  # waiting or asking again: the caller says the number (digit by digit when asked so)
            digit_by_digit = "ett siffer" in text
            dialogue.say(number_parts(call, rng, style="digits" if digit_by_digit else None), kind="number")
            text = await dialogue.capture()
    machine = phone.machine
    confirmed = machine.confirmed
    return Outcome(
        kind=kind,
        confirmed_correct=confirmed is not None and confirmed.digits == truth,
        wrong_confirmed=confirmed is not None and confirmed.digits != truth,
        failed=machine.state == "failed",
        unfinished=not machine.done,
        readbacks=readbacks,
        reproposed=reproposed,
        premature_confirms=premature,
        premature_accepted=premature_accepted,
        refused_confirms=refused,
    )


@dataclass(frozen=True)
class Summary:
    n: int
    confirmed_correct_rate: float
    mean_readbacks: float
    wrong_confirmed_rate: float
    reproposed: int
    failed: int
    unfinished: int

    @classmethod
    def of(cls, outcomes: Sequence[Outcome]) -> Summary:
        n = len(outcomes)
        return cls(
            n=n,
            confirmed_correct_rate=sum(o.confirmed_correct for o in outcomes) / n,
            mean_readbacks=sum(o.readbacks for o in outcomes) / n,
            wrong_confirmed_rate=sum(o.wrong_confirmed for o in outcomes) / n,
            reproposed=sum(o.reproposed for o in outcomes),
            failed=sum(o.failed for o in outcomes),
            unfinished=sum(o.unfinished for o in outcomes),
        )

    def line(self) -> str:
        return (
            f"confirmed correct {self.confirmed_correct_rate:.4f}±{_spread(self.confirmed_correct_rate, self.n):.4f}, "
            f"read-backs {self.mean_readbacks:.3f}, "
            f"wrong confirmed {self.wrong_confirmed_rate:.4f}±{_spread(self.wrong_confirmed_rate, self.n):.4f}, "
            f"failed {self.failed}, unfinished {self.unfinished}"
        )


def _spread(rate: float, n: int) -> float:
    """Half the 95 % interval of a rate over ``n`` dialogues (normal approximation)."""
    return 1.96 * math.sqrt(rate * (1 - rate) / n)


async def run_all(seeds: Sequence[int], *, with_sidecar: bool) -> list[Outcome]:
    return [await run_dialogue(s, with_sidecar=with_sidecar) for s in seeds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialogues", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    seeds = [args.seed * 100_003 + i for i in range(args.dialogues)]
    started = time.perf_counter()
    outcomes = asyncio.run(run_all(seeds, with_sidecar=True))
    baseline = asyncio.run(run_all(seeds, with_sidecar=False))
    total, base = Summary.of(outcomes), Summary.of(baseline)
    elapsed_s = time.perf_counter() - started
    print(f"dialogues: {total.n} per run (seed {args.seed}), {elapsed_s:.1f} s; ± is a 95 % interval")
    print(f"sidecar        : {total.line()}")
    for kind in KINDS:
        part = [o for o in outcomes if o.kind == kind]
        base_part = [o for o in baseline if o.kind == kind]
        if part:
            print(f"  {kind:<13} n={len(part):>4}: {Summary.of(part).line()}")
            print(f"  {'':<13} baseline: {Summary.of(base_part).line()}")
    print(f"realtime only  : {base.line()}, re-proposed rejected {base.reproposed}")
    for name, runs in (("sidecar", outcomes), ("baseline", baseline)):
        print(
            f"{name} confirms: premature {sum(o.premature_confirms for o in runs)} "
            f"(accepted {sum(o.premature_accepted for o in runs)}), "
            f"refused in all {sum(o.refused_confirms for o in runs)}"
        )
    print(
        f"RESULT confirmed_correct_rate={total.confirmed_correct_rate:.4f} mean_readbacks={total.mean_readbacks:.3f} "
        f"wrong_confirmed_rate={total.wrong_confirmed_rate:.4f} reproposed_rejected={total.reproposed} "
        f"failed={total.failed} dialogues={total.n} "
        f"baseline_confirmed_correct_rate={base.confirmed_correct_rate:.4f} "
        f"baseline_mean_readbacks={base.mean_readbacks:.3f}"
    )


if __name__ == "__main__":
    main()
