"""Norwegian bokmål number words, with the variants people say and STTs write.

sju/syv, tjue/tyve, tretti/tredve, førti/firti, én/en/ein/ett; old counting ("femogførti") comes from the
units, the conjunction "og" and the tens through the generic grammar.
"""

from __future__ import annotations

from .lexicon import LexiconSpec

__all__ = ["NORWEGIAN_FILLERS", "NORWEGIAN_FILLER_PHRASES", "NORWEGIAN_LABELS", "NORWEGIAN_QUANTITIES", "SPEC"]

UNITS = {
    "null": 0, "nul": 0, "zero": 0,
    "en": 1, "én": 1, "èn": 1, "ett": 1, "ei": 1, "ein": 1, "eitt": 1, "éin": 1,
    "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
    "sju": 7, "syv": 7, "sjau": 7,
    "åtte": 8, "ni": 9,
}  # fmt: skip
TEENS = {
    "ti": 10, "elleve": 11, "elve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
    "seksten": 16, "sytten": 17, "søtten": 17, "atten": 18, "nitten": 19,
}  # fmt: skip
TENS = {
    "tjue": 20, "tyve": 20, "tjuge": 20,
    "tretti": 30, "tredve": 30, "tredive": 30,
    "førti": 40, "firti": 40,
    "femti": 50, "seksti": 60, "sytti": 70, "søtti": 70, "åtti": 80, "nitti": 90,
    "nytti": 90,  # Whisper base spells "nittito" as "nyttito"
}  # fmt: skip

NORWEGIAN_FILLERS = (
    "eh", "ehm", "øh", "øhm", "æh", "æhm", "e", "em", "hm", "hmm", "mm", "mhm", "m",
    "altså", "liksom", "vel", "så",
)  # fmt: skip
NORWEGIAN_FILLER_PHRASES = (
    "la meg se", "la meg tenke", "la meg sjekke", "vent litt", "vent et øyeblikk", "vent et lite øyeblikk",
    "et øyeblikk", "ja vent", "hm ja vent", "hva er det nå igjen", "hva er det igjen", "hva er det nå",
    "hva var det", "hva var det igjen", "hva var det nå", "hva heter det", "hvor var jeg", "jeg må bare sjekke",
    "må bare sjekke", "jeg må bare se", "hvordan var det", "hvordan var det nå", "lat meg sjå", "lat meg sjå no",
    "korleis var det", "korleis var det no", "kva var det", "kva var det no", "vent ei lita stund",
    "eit augeblink", "eitt augneblink", "vent nå litt", "vent no litt", "hvordan var det igjen",
    "kva var det no igjen", "kva var det igjen", "jeg har det her et sted", "har det her et sted",
    "eg har det her ein stad",
)  # fmt: skip
NORWEGIAN_QUANTITIES = (
    "kr", "kroner", "krone", "nok", "øre", "euro", "dollar", "prosent", "%",
    "år", "måneder", "uker", "dager", "timer", "minutter", "sekunder", "ganger", "gang",
    "meter", "km", "kilometer", "kilo", "kg", "gram", "liter", "stykk", "stk", "personer", "folk",
)  # fmt: skip
NORWEGIAN_LABELS = (
    "kontonummer", "konto", "kundenummer", "ordrenummer", "ordre", "saksnummer", "referanse",
    "referansenummer", "organisasjonsnummer", "orgnr", "fødselsnummer", "personnummer", "postnummer",
    "kid", "kidnummer", "fakturanummer", "faktura", "ordrenr", "sak", "pin", "pinkode", "kode",
    "registreringsnummer", "serienummer", "bestillingsnummer", "medlemsnummer", "polisenummer",
    "orgnummer", "org", "kontoen", "kontonr", "sporingsnummer", "sporing", "postboks", "id", "idnummer",
    "fødselsdato", "født", "fødd", "dato", "datoen",
)  # fmt: skip

SPEC = LexiconSpec(
    code="nb",
    num2words_lang="no",
    units=UNITS,
    teens=TEENS,
    tens=TENS,
    hundred=("hundre", "hundred"),
    thousand=("tusen",),
    conjunctions=("og", "å"),
    multipliers={"dobbel": 2, "dobbelt": 2, "trippel": 3},
    plus_words=("pluss", "plus", "landskode", "landkode", "landsnummer"),
    fillers=NORWEGIAN_FILLERS,
    filler_phrases=NORWEGIAN_FILLER_PHRASES,
    weak=frozenset({"en", "ei", "ein", "ett", "eitt"}),
    compounds=True,
    quantity_words=NORWEGIAN_QUANTITIES,
    label_words=NORWEGIAN_LABELS,
)
