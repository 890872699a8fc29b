"""Norwegian nynorsk number words: the bokmål tables plus the nynorsk forms (ein, eitt, tjuge, sjau)."""

from __future__ import annotations

from .lexicon import LexiconSpec
from .nb import (
    NORWEGIAN_FILLER_PHRASES,
    NORWEGIAN_FILLERS,
    NORWEGIAN_LABELS,
    NORWEGIAN_QUANTITIES,
    TEENS,
    TENS,
    UNITS,
)

__all__ = ["SPEC"]

SPEC = LexiconSpec(
    code="nn",
    num2words_lang="no",
    units={**UNITS, "ein": 1, "eitt": 1, "éin": 1, "sjau": 7},
    teens={**TEENS, "fjorten": 14, "syttan": 17},
    tens={**TENS, "tjuge": 20, "fyrti": 40},
    hundred=("hundre", "hundra"),
    thousand=("tusen",),
    conjunctions=("og", "å"),
    multipliers={"dobbel": 2, "dobbelt": 2, "trippel": 3},
    plus_words=("pluss", "plus", "landskode", "landkode", "landsnummer"),
    fillers=(*NORWEGIAN_FILLERS, "altso"),
    filler_phrases=NORWEGIAN_FILLER_PHRASES,
    weak=frozenset({"en", "ein", "ei", "ett", "eitt"}),
    compounds=True,
    quantity_words=NORWEGIAN_QUANTITIES,
    label_words=NORWEGIAN_LABELS,
)
