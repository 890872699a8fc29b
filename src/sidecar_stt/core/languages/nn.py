"""Norwegian nynorsk: the bokmål tables plus the nynorsk forms (ein, eitt, tjuge, sjau), in one pack.

Nynorsk has no intent cues, keypad words, model texts or engine hints of its own: it takes the bokmål ones (the
bokmål cues hold the common nynorsk forms, "eg meiner", "ikkje bruk"). Read-backs say "ein" and "sju".
"""

from __future__ import annotations

from . import nb
from ._scandinavian import LISTEN_CUES
from .pack import AnswerWords, CorrectionWords, KindWords, LanguagePack, NumberWords, ReadBackWords

__all__ = ["PACK"]

NUMBERS = NumberWords(
    code="nn",
    num2words_lang="no",
    units={**nb.UNITS, "ein": 1, "eitt": 1, "éin": 1, "sjau": 7},
    teens={**nb.TEENS, "fjorten": 14, "syttan": 17},
    tens={**nb.TENS, "tjuge": 20, "fyrti": 40},
    hundred=("hundre", "hundra"),
    thousand=("tusen",),
    conjunctions=("og", "å"),
    multipliers={"dobbel": 2, "dobbelt": 2, "trippel": 3},
    plus_words=("pluss", "plus", "landskode", "landkode", "landsnummer"),
    fillers=(*nb.NORWEGIAN_FILLERS, "altso"),
    filler_phrases=nb.NORWEGIAN_FILLER_PHRASES,
    weak=frozenset({"en", "ein", "ei", "ett", "eitt"}),
    compounds=True,
    quantity_words=nb.NORWEGIAN_QUANTITIES,
    label_words=nb.NORWEGIAN_LABELS,
    spelling_rules=nb.NORWEGIAN_SPELLING_RULES,
    times_words=("gonger", "ganger"),
    plural_digits=(("nullar", 0), ("nuller", 0)),
    countries=nb.NUMBERS.countries,
)

ANSWERS = AnswerWords(
    yes=("ja", "jo", "jepp", "jau", "mhm", "stemmer", "riktig", "korrekt", "rett", "ok", "greitt", "yes"),
    no=("nei", "feil", "stemmer ikkje", "det er ikkje"),
    yes_phrases=("ja nei", "nei da", "neida", "jo da", "joda", "nei, det stemmer"),
    repeat=("hæ", "kva", "kva sa du", "orsak", "unnskyld", "kan du gjenta", "ein gong til", "høyrde ikkje", "ka"),
)

CORRECTIONS = CorrectionWords(
    negations=("i staden for", "i staden", "ikkje", "ikke"),
    positions=(
        ("nest siste", -2), ("siste", -1), ("slutten", -1), ("sist", -1), ("første", 0), ("fyrste", 0),
        ("starten", 0), ("andre", 1), ("tredje", 2), ("fjerde", 3),
    ),
    replaced_by=("skulle vere", "skal vere", "skulle vore", "skulle være", "skal være"),
    counted=("siffer", "sifra", "tal", "tala"),
    clause_breaks=("men",),
    clarifiers=("som i", "altså"),
)  # fmt: skip

READ_BACK = ReadBackWords(
    home_region="NO",
    plus_word="pluss",
    word_forms={"en": "ein", "syv": "sju"},
    ending_forms={"syv": "sju"},
    variants=(("sju", "syv"), ("tjue", "tjuge", "tyve"), ("tretti", "tredve"), ("førti", "fyrti", "firti")),
)

_ORDINAL_UNITS = (
    ("fyrste", "første"), ("andre",), ("tredje",), ("fjerde",), ("femte",), ("sjette",), ("sjuande", "sjuende"),
    ("åttande", "åttende"), ("niande", "niende"),
)  # fmt: skip
_ORDINAL_TEENS = (
    ("tiande", "tiende"), ("ellevte",), ("tolvte",), ("trettande", "trettende"), ("fjortande", "fjortende"),
    ("femtande", "femtende"), ("sekstande", "sekstende"), ("syttande", "syttende"), ("attande", "attende"),
    ("nittande", "nittende"),
)  # fmt: skip
ORDINALS = nb._ordinals(
    _ORDINAL_UNITS, _ORDINAL_TEENS, ("tjue", "tjuge", "tyve"), ("tjugande", "tjuande", "tjuende"),
    ("trettiande", "trettiende"), ("tretti", "tredve"),
)  # fmt: skip
ORDINAL_NAMES = (
    "fyrste", "andre", "tredje", "fjerde", "femte", "sjette", "sjuande", "åttande", "niande", "tiande", "ellevte",
    "tolvte", "trettande", "fjortande", "femtande", "sekstande", "syttande", "attande", "nittande", "tjuande",
    "tjuefyrste", "tjueandre", "tjuetredje", "tjuefjerde", "tjuefemte", "tjuesjette", "tjuesjuande", "tjueåttande",
    "tjueniande", "trettiande", "trettifyrste",
)  # fmt: skip

KINDS = KindWords(
    months=nb.MONTHS,
    month_names=nb.MONTH_NAMES,
    ordinals=ORDINALS,
    ordinal_names=ORDINAL_NAMES,
    ordinal_suffixes=nb.KINDS.ordinal_suffixes,
    date_joiners=("den", "i", "av", "de"),
    date_read_back=nb.KINDS.date_read_back,
    other_dates=(
        *nb.KINDS.other_dates, "møtte", "timen", "gifte", "flytta", "byrja", "slutta", "betalte", "reiste", "frå",
    ),
    before_year=(*nb.KINDS.before_year, "frå", "sidan", "innan"),
    letters=nb.LETTERS,
    letter_names=nb.LETTER_NAMES,
    spelling_alphabet=nb.SPELLING_ALPHABET,
    spelled_as=("som i", "for", "som"),
    symbols=nb.SYMBOLS,
    symbol_names=nb.SYMBOL_NAMES,
    labels={**nb.KIND_LABELS, "date-of-birth": ("fødd", "født", "fødselsdato", "fødselsdag", "bursdag")},
    group_names={**nb.GROUP_NAMES, "birth-number": ("datoen", "personnummeret"),
                 "date-of-birth": ("dag", "månad", "år")},
    part_names=("fyrste del", "andre del", "tredje del", "fjerde del", "femte del", "sjette del"),
)  # fmt: skip

PACK = LanguagePack(
    code="nn",
    name="Norwegian nynorsk",
    rank=1,
    aliases=("nno",),
    numbers=NUMBERS,
    answers=ANSWERS,
    corrections=CORRECTIONS,
    intent=nb.INTENT,
    listen_cues=LISTEN_CUES,
    keypad=nb.KEYPAD,
    read_back=READ_BACK,
    model_texts=nb.MODEL_TEXTS,
    engine_hints=nb.ENGINE_HINTS,
    kinds=KINDS,
    borrowed={"intent": "nb", "keypad": "nb", "model_texts": "nb", "engine_hints": "nb"},
)
