"""Swedish number words (written together by STTs: "nittiotvå", "etthundratjugotre")."""

from __future__ import annotations

from .lexicon import LexiconSpec

__all__ = ["SPEC"]

SPEC = LexiconSpec(
    code="sv",
    num2words_lang="sv",
    units={
        "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
        "åtta": 8, "nio": 9, "nie": 9,
    },
    teens={
        "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
        "sjutton": 17, "arton": 18, "aderton": 18, "nitton": 19,
    },
    tens={
        "tjugo": 20, "tjugi": 20, "trettio": 30, "tretti": 30, "fyrtio": 40, "förtio": 40, "förti": 40,
        "femtio": 50, "femti": 50, "sextio": 60, "sexti": 60, "sjuttio": 70, "sjutti": 70,
        "åttio": 80, "åtti": 80, "nittio": 90, "nitti": 90,
    },
    hundred=("hundra",),
    thousand=("tusen",),
    conjunctions=("och",),
    multipliers={"dubbel": 2, "dubbla": 2, "trippel": 3},
    plus_words=("plus", "landskod", "landsnummer"),
    fillers=("eh", "öh", "öhm", "ehm", "hm", "mm", "alltså", "liksom", "så"),
    weak=frozenset({"en", "ett"}),
    compounds=True,
    quantity_words=("kr", "kronor", "krona", "öre", "procent", "år", "dagar", "gånger", "personer"),
    label_words=("kontonummer", "kundnummer", "ordernummer", "personnummer", "postnummer", "ocr"),
)  # fmt: skip
