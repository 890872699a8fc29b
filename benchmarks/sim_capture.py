"""Simulated phone-number capture dialogues through fusion and the capture state machine.

Each dialogue draws a valid Norwegian number (70 % mobile) and a caller who says it in pairs, digit by digit,
3-2-3 or with old counting ("femogførti"); 12 % of callers say it over two utterances. Every caller utterance
is "heard" by simulated sources with seeded, correlated errors:

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

The simulated caller says yes only to the true number. To a read-back with one wrong pair they answer with a
partial correction: "nei, det er førtiseks, ikke førtifem" (40 %), "nei, det siste er syttiåtte" for the first
or last pair (20 %), "nei, ikke førtifem, men førtiseks" (10 %; 30 % for a middle pair). Otherwise they say
the whole number again (60 %) or just "nei", then repeat it when asked (digit by digit when asked so). These
answers are heard with errors too.
A baseline run gives the same machine only the realtime model's transcript and tool argument (no sidecar).

Last line: ``RESULT confirmed_correct_rate=<x> mean_readbacks=<y> reproposed_rejected=<n>
wrong_confirmed=<n> failed=<n> dialogues=<n> baseline_confirmed_correct_rate=<x> baseline_mean_readbacks=<y>``.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass

import phonenumbers

from sidecar_stt.core.answer import CallerAnswer
from sidecar_stt.core.capture import CaptureStep, PhoneCaptureMachine
from sidecar_stt.core.fusion import Evidence, EvidenceKind
from sidecar_stt.core.readback import read_back_groups
from sidecar_stt.core.segment import Alternative

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


@dataclass
class Call:
    truth: str
    style: str
    split: bool
    hard_group: int | None
    shared_error: str | None
    noise: float
    sources: tuple[str, ...]
    rt_reading: str | None = None


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


def hear(parts: list[Part], call: Call, rng: random.Random, *, attempt: int) -> list[Evidence]:
    """What every source of the call heard in one caller utterance."""
    # map each group part to its pair index in the number (for the hard group); corrections map by value
    group_index: dict[int, int] = {}
    pair_of = {call.truth[i : i + 2]: i // 2 for i in range(0, 8, 2)}
    for pos, part in enumerate(parts):
        if isinstance(part, Group) and part.digits in pair_of:
            group_index[pos] = pair_of[part.digits]
    evidence: list[Evidence] = []
    for source in call.sources:
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
            evidence.append(Evidence("azure", "sidecar", tuple(alts)))
        elif source == "whisper":
            conf = max(0.2, rng.uniform(0.5, 0.9) - 0.1 * errors)
            evidence.append(Evidence("whisper", "sidecar", (Alternative(render(top, source, rng), round(conf, 3)),)))
        else:
            text = render(top, source, rng)
            # without a sidecar (the baseline) the realtime model's own hearing is the only ear
            kind: EvidenceKind = "realtime_transcript" if len(call.sources) > 1 else "sidecar"
            evidence.append(Evidence("realtime", kind, (Alternative(text),)))
            heard_digits = "".join(p.digits for p in top if isinstance(p, Group))
            if attempt > 1 and call.rt_reading and rng.random() < 0.7:
                arg = call.rt_reading  # the model repeats its earlier reading
            else:
                arg = heard_digits
                if len(arg) == 8 and rng.random() < 0.2:
                    k = rng.randrange(8)
                    arg = arg[:k] + str(rng.choice(CONFUSABLE[int(arg[k])])) + arg[k + 1 :]
            if len(heard_digits) >= 8 and call.rt_reading is None:
                call.rt_reading = arg
            if arg:
                evidence.append(Evidence("tool_argument", "tool_argument", (Alternative(arg),)))
    return evidence


def number_parts(call: Call, rng: random.Random, *, style: str | None = None) -> list[Part]:
    return [rng.choice(INTROS).strip(), *speak(call.truth, style or call.style)]


def correction_parts(call: Call, step: CaptureStep, rng: random.Random) -> list[Part]:
    """The caller's answer to a wrong read-back."""
    proposal = step.proposal
    assert proposal is not None
    said = proposal.groups
    if len(said) == 4:
        truth_groups = [call.truth[i : i + 2] for i in range(0, 8, 2)]
        wrong = [i for i in range(4) if said[i] != truth_groups[i]]
        if len(proposal.digits) == 8 and len(wrong) == 1:
            i = wrong[0]
            r = rng.random()
            right, bad = Group(truth_groups[i], "pair"), Group(said[i], "pair")
            if r < 0.4:
                return ["nei, det er", right, ", ikke", bad]
            if r < 0.6 and i in (0, 3):
                return ["nei, det " + ("første" if i == 0 else "siste") + " er", right]
            if r < 0.7:
                return ["nei, ikke", bad, ", men", right]
    r = rng.random()
    if r < 0.6:
        return ["nei, det er", *speak(call.truth, "digits" if proposal.style == "digits" else call.style)]
    return ["nei"]


@dataclass
class Outcome:
    confirmed_correct: bool
    wrong_confirmed: bool
    failed: bool
    readbacks: int
    reproposed: int
    scenario: str
    """``split``, ``hard``, ``noisy`` or ``plain``: the call's main difficulty."""


def run_dialogue(seed: int, *, sidecar: bool) -> Outcome:
    rng = random.Random(seed)
    truth = random_number(rng)
    style = rng.choices(["pairs", "digits", "323", "old"], weights=[50, 20, 15, 15])[0]
    if style == "323" and truth[0] not in "49":
        style = "pairs"
    hard = rng.randrange(4) if rng.random() < 0.25 else None
    shared = None
    if hard is not None:
        shared = confuse(truth[hard * 2 : hard * 2 + 2], random.Random(seed * 7 + 1))
    sources: list[str] = ["azure"] if sidecar else []
    if sidecar and rng.random() < 0.6:
        sources.append("whisper")
    sources.append("realtime")
    call = Call(truth, style, rng.random() < 0.12, hard, shared, 2.5 if rng.random() < 0.15 else 1.0, tuple(sources))
    machine = PhoneCaptureMachine(language="nb", region="NO", now=lambda: 0.0)
    counter = iter(range(1, 1000))
    rejected: set[str] = set()
    readbacks = reproposed = 0
    pieces: list[list[Part]] = []
    if call.split:
        groups = speak(truth, "pairs" if style in ("323", "digits") else style)
        cut = rng.choice([1, 2, 3])
        pieces = [["det er", *groups[:cut]], list(groups[cut:])]
        first: list[Part] = pieces.pop(0)
    else:
        first = number_parts(call, rng)
    step = machine.offer(hear(first, call, rng, attempt=machine.attempt), utterance_id=f"u{next(counter)}")
    for _ in range(16):
        if step.state == "proposed":
            proposal = step.proposal
            assert proposal is not None
            readbacks += 1
            if proposal.e164 in rejected:
                reproposed += 1
            if proposal.digits == truth:
                yes = Evidence(call.sources[0], "sidecar", (Alternative("ja, det stemmer", 0.9),))
                step = machine.confirm(CallerAnswer(proposal.proposal_id, f"u{next(counter)}", (yes,)))
                continue
            answer = correction_parts(call, step, rng)
            rejected.add(proposal.e164)
            evidence = hear(answer, call, rng, attempt=machine.attempt + 1)
            step = machine.reject(CallerAnswer(proposal.proposal_id, f"u{next(counter)}", tuple(evidence)))
        elif step.state in ("waiting", "asking_again"):
            if step.reason == "partial_number" and pieces:
                parts = pieces.pop(0)
            else:
                digit_by_digit = "ett siffer" in step.instruction
                parts = number_parts(call, rng, style="digits" if digit_by_digit else None)
            step = machine.offer(hear(parts, call, rng, attempt=machine.attempt), utterance_id=f"u{next(counter)}")
        else:
            break
    confirmed = machine.confirmed
    return Outcome(
        confirmed_correct=confirmed is not None and confirmed.digits == truth,
        wrong_confirmed=confirmed is not None and confirmed.digits != truth,
        failed=machine.state == "failed",
        readbacks=readbacks,
        reproposed=reproposed,
        scenario="split" if call.split else "noisy" if call.noise > 1 else "hard" if hard is not None else "plain",
    )


def summarize(outcomes: list[Outcome]) -> tuple[float, float, int, int, int]:
    n = len(outcomes)
    return (
        sum(o.confirmed_correct for o in outcomes) / n,
        sum(o.readbacks for o in outcomes) / n,
        sum(o.reproposed for o in outcomes),
        sum(o.wrong_confirmed for o in outcomes),
        sum(o.failed for o in outcomes),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dialogues", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    seeds = [args.seed * 100_003 + i for i in range(args.dialogues)]
    outcomes = [run_dialogue(s, sidecar=True) for s in seeds]
    baseline = [run_dialogue(s, sidecar=False) for s in seeds]
    rate, mean_rb, reproposed, wrong, failed = summarize(outcomes)
    b_rate, b_mean, b_reproposed, b_wrong, b_failed = summarize(baseline)
    hist = Counter(o.readbacks for o in outcomes)
    print(f"dialogues: {len(outcomes)} (seed {args.seed})")
    print(f"sidecar fusion : confirmed correct {rate:.4f}, mean read-backs {mean_rb:.3f}, failed {failed}")
    print(f"  read-backs per dialogue: {dict(sorted(hist.items()))}")
    for scenario in ("plain", "hard", "noisy", "split"):
        part = [o for o in outcomes if o.scenario == scenario]
        if part:
            s_rate, s_mean, *_ = summarize(part)
            print(f"  {scenario:<6} {len(part):>5} dialogues: confirmed correct {s_rate:.4f}, read-backs {s_mean:.3f}")
    print(
        f"realtime only  : confirmed correct {b_rate:.4f}, mean read-backs {b_mean:.3f}, failed {b_failed}, "
        f"wrong confirmed {b_wrong}, re-proposed rejected {b_reproposed}"
    )
    print(
        f"RESULT confirmed_correct_rate={rate:.4f} mean_readbacks={mean_rb:.3f} reproposed_rejected={reproposed} "
        f"wrong_confirmed={wrong} failed={failed} dialogues={len(outcomes)} "
        f"baseline_confirmed_correct_rate={b_rate:.4f} baseline_mean_readbacks={b_mean:.3f}"
    )


if __name__ == "__main__":
    main()
