"""Danish number words, vigesimal tens included ("halvfems" = 90, "toogtyve" = 22)."""

from __future__ import annotations

from .lexicon import LexiconSpec

__all__ = ["SPEC"]

SPEC = LexiconSpec(
    code="da",
    num2words_lang="da",
    units={
        "nul": 0, "en": 1, "et": 1, "én": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
        "syv": 7, "otte": 8, "ni": 9,
    },
    teens={
        "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16,
        "sytten": 17, "atten": 18, "nitten": 19,
    },
    tens={
        "tyve": 20, "tredive": 30, "tredve": 30, "fyrre": 40, "fyrretyve": 40, "halvtreds": 50,
        "halvtredsindstyve": 50, "tres": 60, "treds": 60, "tresindstyve": 60, "halvfjerds": 70,
        "halvfjerdsindstyve": 70, "firs": 80, "firsindstyve": 80, "halvfems": 90, "halvfemsindstyve": 90,
    },
    hundred=("hundrede", "hundred"),
    thousand=("tusind", "tusinde"),
    conjunctions=("og",),
    multipliers={"dobbelt": 2, "tredobbelt": 3},
    plus_words=("plus", "landekode"),
    fillers=("øh", "øhm", "eh", "hm", "mm", "altså", "ligesom", "så"),
    weak=frozenset({"en", "et"}),
    compounds=True,
    quantity_words=("kr", "kroner", "krone", "øre", "procent", "år", "dage", "gange", "personer"),
    label_words=("kontonummer", "kundenummer", "ordrenummer", "cpr", "postnummer"),
)  # fmt: skip
