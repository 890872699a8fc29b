"""Swedish: number words (written together by STTs: "nittiotvå", "etthundratjugotre"), answers, corrections and
engine hints, in one pack.

Swedish has no intent cues, keypad words or model texts of its own yet: it takes the bokmål intent cues and the
English keypad words and model texts, as before the packs.
"""

from __future__ import annotations

from . import en, nb
from ._scandinavian import LISTEN_CUES
from .pack import AnswerWords, CorrectionWords, EngineHints, LanguagePack, NumberWords, ReadBackWords

__all__ = ["PACK"]

NUMBERS = NumberWords(
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
    times_words=("gånger",),
    plural_digits=(("nollor", 0),),
    countries=(
        ("sverige", "SE"), ("svensk", "SE"), ("norge", "NO"), ("norsk", "NO"), ("danmark", "DK"), ("dansk", "DK"),
        ("tyskland", "DE"), ("tysk", "DE"), ("finland", "FI"), ("finsk", "FI"),
    ),
)  # fmt: skip

ANSWERS = AnswerWords(
    yes=("ja", "japp", "jajamen", "stämmer", "rätt", "korrekt", "ok", "okej"),
    no=("nej", "fel", "stämmer inte"),
    yes_phrases=("ja nej", "nej då", "nejdå", "jo då", "jodå"),
    repeat=("va", "vad", "vad sa du", "förlåt", "ursäkta", "kan du upprepa", "en gång till"),
)

CORRECTIONS = CorrectionWords(
    negations=("i stället för", "inte"),
    positions=(("näst sista", -2), ("sista", -1), ("slutet", -1), ("första", 0), ("andra", 1), ("tredje", 2)),
    replaced_by=("ska vara", "skulle vara"),
    counted=("siffror",),
    clause_breaks=("men", "utan"),
    clarifiers=("som i",),
)

READ_BACK = ReadBackWords(home_region="SE", plus_word="plus")

ENGINE_HINTS = EngineHints(
    words=(
        "noll", "ett", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "tjugo", "trettio",
        "telefonnummer",
    ),
    prompt="Mitt telefonnummer är noll sju noll, ett två tre, fyra fem sex.",
)  # fmt: skip

PACK = LanguagePack(
    code="sv",
    name="Swedish",
    rank=3,
    aliases=("swe", "se"),
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
