"""Throughput of ``extract_phone_numbers`` on a mixed corpus of Norwegian and English utterances.

The corpus mixes, in fixed proportions, ordinary conversation (no number), sentences with other numbers
(prices, ages, clock times, addresses, years) and phone numbers in every style (pairs, digits, 3-2-3, old
counting, split compounds, printed, with country codes) — each utterance with its own random number, so
validation caches cannot serve repeats. Every pass draws a new corpus and starts with every cache of the parser
cleared (number validation, word analysis), so no pass is served by an earlier one. Reports utterances per CPU
second (CPU time, so that other processes on a shared machine do not count): the median of the passes with
their min and max; last line ``RESULT utterances_per_s=<median> min=<n> max=<n> ...``.
"""

from __future__ import annotations

import random
import statistics
import time

import phonenumbers
from num2words import num2words

from sidecar_stt.core import validation
from sidecar_stt.core.numerals import tokenizer
from sidecar_stt.core.phone import extract_phone_numbers

UTTERANCES = 20_000
PASSES = 7
SEED = 7

CHAT = [
    "hei, jeg ringer angående en faktura jeg fikk i posten forrige uke",
    "ja, det stemmer, jeg kan vente litt",
    "kan du gjenta det en gang til?",
    "takk for hjelpen, ha en fin dag videre",
    "nei, det var ikke det jeg mente",
    "jeg skal til byen to ganger i uka",
    "det koster 299 kroner",
    "Storgata 12, 0150 Oslo",
    "jeg er førtifem år gammel",
    "klokka ti over halv tre",
    "i 2019, 2020 og 2021 gikk det bra",
    "hello, I'm calling about my order from last week",
    "it costs ninety-nine dollars",
]
DIGIT = ["null", "en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni"]


def random_number(rng: random.Random) -> str:
    while True:
        digits = rng.choice("49") + "".join(rng.choice("0123456789") for _ in range(7))
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "NO")):
            return digits


def say(group: str, lang: str = "no") -> str:
    if len(group) > 1 and group[0] == "0":
        return f"{say('0', lang)} {say(group[1:], lang)}"
    return str(num2words(int(group), lang=lang))


def phone_utterance(rng: random.Random) -> tuple[str, str]:
    d = random_number(rng)
    pairs = [d[i : i + 2] for i in range(0, 8, 2)]
    style = rng.randrange(8)
    if style == 0:
        return "nb", "nummeret mitt er " + " ".join(say(p) for p in pairs)
    if style == 1:
        return "nb", " ".join(DIGIT[int(c)] for c in d)
    if style == 2:
        return "nb", ", ".join(say(g) for g in (d[:3], d[3:5], d[5:]))
    if style == 3:
        return "nb", "Ja, det er " + " ".join(pairs) + "."
    if style == 4:
        return "nb", f"+47 {d[:3]} {d[3:5]} {d[5:]}"
    if style == 5:
        return "nb", "eh " + " eh ".join(say(p).replace("ti", "ti ", 1) for p in pairs)
    if style == 6:
        return "en", "my number is " + " ".join(say(p, "en") for p in pairs)
    return "nb", "pluss førtisju " + " ".join(say(p) for p in pairs)


def corpus(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    for _ in range(n):
        if rng.random() < 0.5:
            out.append(phone_utterance(rng))
        else:
            text = rng.choice(CHAT)
            out.append(("en" if text[0] in "hi" and text.startswith(("hello", "it")) else "nb", text))
    return out


def clear_caches() -> None:
    """Forget everything the parser cached: the next pass starts cold."""
    validation.validate.cache_clear()
    tokenizer._analyze.cache_clear()
    tokenizer._analyze_glued.cache_clear()


def main() -> None:
    extract_phone_numbers("92 34 56 78")  # compile lexicons and metadata outside the timing
    rates: list[float] = []
    walls: list[float] = []
    found: list[int] = []
    for pass_index in range(PASSES):
        items = corpus(UTTERANCES, SEED * 1_000 + pass_index)  # a new corpus per pass
        clear_caches()
        cpu, wall = time.process_time(), time.perf_counter()
        hits = 0
        for language, text in items:
            hits += len(extract_phone_numbers(text, language=language))
        rates.append(len(items) / (time.process_time() - cpu))
        walls.append(len(items) / (time.perf_counter() - wall))
        found.append(hits)
    median = statistics.median(rates)
    print(f"utterances: {UTTERANCES} per pass, a new corpus each (about half with a phone number)")
    print(f"candidates per pass: {', '.join(map(str, found))}")
    print(f"CPU time per pass: {', '.join(f'{r:.0f}' for r in rates)} utterances/s (caches cleared before each)")
    print(f"wall clock per pass: {', '.join(f'{r:.0f}' for r in walls)} utterances/s (shared machine)")
    print(
        f"RESULT utterances_per_s={median:.0f} min={min(rates):.0f} max={max(rates):.0f} passes={PASSES} "
        f"target=20000 ratio={median / 20000:.2f}"
    )


if __name__ == "__main__":
    main()
