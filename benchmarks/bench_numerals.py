"""Throughput of ``extract_phone_numbers`` on a mixed corpus of Norwegian and English utterances.

The corpus mixes, in fixed proportions, ordinary conversation (no number), sentences with other numbers
(prices, ages, clock times, addresses, years) and phone numbers in every style (pairs, digits, 3-2-3, old
counting, split compounds, printed, with country codes) — each utterance with its own random number, so
validation caches cannot serve repeats. Runs the corpus three times on one core and reports utterances per CPU
second of the best pass (CPU time, so that other processes on a shared machine do not count; the first pass
also fills the per-word caches); last line ``RESULT utterances_per_s=<n> ...``.
"""

from __future__ import annotations

import random
import time

import phonenumbers
from num2words import num2words

from sidecar_stt.core.phone import extract_phone_numbers

UTTERANCES = 20_000
PASSES = 3
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


def corpus(n: int) -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    out: list[tuple[str, str]] = []
    for _ in range(n):
        if rng.random() < 0.5:
            out.append(phone_utterance(rng))
        else:
            text = rng.choice(CHAT)
            out.append(("en" if text[0] in "hi" and text.startswith(("hello", "it")) else "nb", text))
    return out


def main() -> None:
    items = corpus(UTTERANCES)
    extract_phone_numbers("92 34 56 78")  # compile lexicons and metadata outside the timing
    rates: list[float] = []
    walls: list[float] = []
    found = 0
    for _ in range(PASSES):
        cpu, wall = time.process_time(), time.perf_counter()
        found = 0
        for language, text in items:
            found += len(extract_phone_numbers(text, language=language))
        rates.append(len(items) / (time.process_time() - cpu))
        walls.append(len(items) / (time.perf_counter() - wall))
    best, first = max(rates), rates[0]
    print(f"utterances: {len(items)} (about half with a phone number); candidates per pass: {found}")
    print(f"CPU time per pass: {', '.join(f'{r:.0f}' for r in rates)} utterances/s (first pass fills word caches)")
    print(f"wall clock per pass: {', '.join(f'{r:.0f}' for r in walls)} utterances/s (shared machine)")
    print(f"RESULT utterances_per_s={best:.0f} first_pass_per_s={first:.0f} target=20000 ratio={best / 20000:.2f}")


if __name__ == "__main__":
    main()
