"""Danish: number words (vigesimal tens included: "halvfems" = 90, "toogtyve" = 22), answers, corrections and
engine hints, in one pack.

Danish has no intent cues, keypad words or model texts of its own yet: it takes the bokmål intent cues and the
English keypad words and model texts, as before the packs.
"""

from __future__ import annotations

from . import en, nb
from ._scandinavian import LISTEN_CUES
from .pack import AnswerWords, CorrectionWords, EngineHints, LanguagePack, NumberWords, ReadBackWords

__all__ = ["PACK"]

NUMBERS = NumberWords(
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
    times_words=("gange",),
    plural_digits=(("nuller", 0),),
    countries=(
        ("danmark", "DK"), ("dansk", "DK"), ("norge", "NO"), ("norsk", "NO"), ("sverige", "SE"), ("svensk", "SE"),
        ("tyskland", "DE"), ("tysk", "DE"),
    ),
)  # fmt: skip

ANSWERS = AnswerWords(
    yes=("ja", "jep", "korrekt", "rigtigt", "passer", "ok", "okay"),
    no=("nej", "forkert", "passer ikke"),
    yes_phrases=("ja nej", "nej nej, det passer"),
    repeat=("hva", "hvad", "hvad sagde du", "undskyld", "kan du gentage", "en gang til"),
)

CORRECTIONS = CorrectionWords(
    negations=("i stedet for", "ikke"),
    positions=(("næstsidste", -2), ("sidste", -1), ("slutningen", -1), ("første", 0), ("anden", 1), ("tredje", 2)),
    replaced_by=("skal være", "skulle være"),
    counted=("cifre",),
    clause_breaks=("men",),
    clarifiers=("som i",),
)

READ_BACK = ReadBackWords(home_region="DK", plus_word="plus")

ENGINE_HINTS = EngineHints(
    words=(
        "nul", "en", "et", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "tyve", "tredive",
        "telefonnummer",
    ),
    prompt="Mit telefonnummer er to tre fire fem, seks syv otte ni.",
)  # fmt: skip

PACK = LanguagePack(
    code="da",
    name="Danish",
    rank=4,
    aliases=("dan", "dk"),
    numbers=NUMBERS,
    answers=ANSWERS,
    corrections=CORRECTIONS,
    intent=nb.INTENT,
    listen_cues=LISTEN_CUES,
    keypad=en.KEYPAD,
    read_back=READ_BACK,
    model_texts=en.MODEL_TEXTS,
    engine_hints=ENGINE_HINTS,
    kinds=nb.KINDS,
    borrowed={"kinds": "nb", "intent": "nb", "keypad": "en", "model_texts": "en"},
)
