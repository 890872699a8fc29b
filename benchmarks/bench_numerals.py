"""Throughput of ``extract_phone_numbers`` on a mixed corpus of Norwegian and English utterances.

The corpus mixes, in fixed proportions, ordinary conversation (no number), sentences with other numbers
(prices, ages, clock times, addresses, years) and phone numbers in every style (pairs, digits, 3-2-3, old
counting, split compounds, printed, with country codes) — each utterance with its own random number, so
validation caches cannot serve repeats. Every pass draws a new corpus. Two kinds of pass alternate:

- **as in production**: the reader's bounded caches of written words (what each word is, what digits it can add)
  stay as a long-running worker has them, warm from earlier passes; the validation cache, keyed by the digits of
  earlier utterances, is cleared before the pass (a call's numbers are new to the process).
- **cold**: every cache of the reader (words and validation) is cleared before *every utterance*, so nothing an
  earlier utterance taught the process helps; the time of each utterance is summed without the clearing.

Reports utterances per CPU second (CPU time, so that other processes on a shared machine do not count), median
with min and max of each kind; last line
``RESULT utterances_per_s=<median> min=<n> max=<n> ... cold=<median> cold_min=<n> cold_max=<n>``, where
``utterances_per_s`` is the figure as in production.
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
PASSES = 5
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
    """Forget everything the parser cached: the next utterance starts cold."""
    validation.validate.cache_clear()
    tokenizer.forget_words()


def production_rate(items: list[tuple[str, str]]) -> tuple[float, int]:
    """Utterances per CPU second with the word caches as they are (validation cache cleared), and the hits."""
    validation.validate.cache_clear()
    cpu = time.process_time()
    hits = 0
    for language, text in items:
        hits += len(extract_phone_numbers(text, language=language))
    return len(items) / (time.process_time() - cpu), hits


def cold_rate(items: list[tuple[str, str]]) -> tuple[float, int]:
    """Utterances per CPU second with every cache cleared before each utterance, and the hits."""
    spent = 0.0
    hits = 0
    for language, text in items:
        clear_caches()
        cpu = time.process_time()
        hits += len(extract_phone_numbers(text, language=language))
        spent += time.process_time() - cpu
    return len(items) / spent, hits


def spread(rates: list[float]) -> str:
    return f"{statistics.median(rates):.0f} (min {min(rates):.0f}, max {max(rates):.0f})"


def main() -> None:
    extract_phone_numbers("92 34 56 78")  # compile lexicons and metadata outside the timing
    for language, text in corpus(UTTERANCES, SEED):  # a worker that has served calls knows the common words
        extract_phone_numbers(text, language=language)
    production: list[float] = []
    cold: list[float] = []
    found: list[int] = []
    for pass_index in range(PASSES):  # the two kinds interleaved, each pass on a corpus of its own
        rate, hits = production_rate(corpus(UTTERANCES, SEED * 1_000 + 2 * pass_index))
        production.append(rate)
        found.append(hits)
        rate, hits = cold_rate(corpus(UTTERANCES, SEED * 1_000 + 2 * pass_index + 1))
        cold.append(rate)
        found.append(hits)
    median = statistics.median(production)
    print(f"utterances: {UTTERANCES} per pass, a new corpus each (about half with a phone number)")
    print(f"candidates per pass: {', '.join(map(str, found))}")
    print(f"as in production (word caches warm, validation cleared), utterances/CPU-s: {spread(production)}")
    print(f"cold (every cache cleared before each utterance), utterances/CPU-s: {spread(cold)}")
    print(
        f"RESULT utterances_per_s={median:.0f} min={min(production):.0f} max={max(production):.0f} passes={PASSES} "
        f"target=20000 ratio={median / 20000:.2f} cold={statistics.median(cold):.0f} cold_min={min(cold):.0f} "
        f"cold_max={max(cold):.0f}"
    )


if __name__ == "__main__":
    main()
