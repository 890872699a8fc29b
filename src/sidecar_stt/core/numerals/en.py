"""English number words: "oh" for zero, "double"/"triple", hyphenated pairs ("ninety-two")."""

from __future__ import annotations

from .lexicon import LexiconSpec

__all__ = ["SPEC"]

SPEC = LexiconSpec(
    code="en",
    num2words_lang="en",
    units={
        "zero": 0, "oh": 0, "o": 0, "nought": 0, "naught": 0, "nil": 0,
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
        "six": 6, "seven": 7, "eight": 8, "nine": 9, "niner": 9,
    },
    teens={
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    },
    tens={
        "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
        "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    },
    hundred=("hundred",),
    thousand=("thousand",),
    conjunctions=("and",),
    multipliers={"double": 2, "triple": 3},
    plus_words=("plus",),
    fillers=("uh", "um", "umm", "uhm", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "like", "so", "well"),
    filler_phrases=(
        "hang on", "hold on", "let me see", "let me think", "let me check", "one moment", "one sec",
        "one second", "just a sec", "wait a second", "wait a moment", "what was it", "where was i",
        "how does it go",
    ),
    weak=frozenset({"oh", "o", "nil"}),
    compounds=False,
    quantity_words=(
        "dollars", "dollar", "pounds", "euros", "cents", "percent", "%", "years", "year", "months",
        "weeks", "days", "hours", "minutes", "seconds", "times", "meters", "miles", "km", "kg", "people",
    ),
    label_words=(
        "account", "order", "reference", "invoice", "customer", "pin", "code", "case", "ticket",
        "serial", "membership", "policy", "zip", "postcode", "org", "organisation", "organization", "id",
        "tracking", "born", "birthday", "date",
    ),
)  # fmt: skip
