"""Norwegian bokmål: every word list and text of the language, in one pack.

Number words with the variants people say and STTs write: sju/syv, tjue/tyve, tretti/tredve, førti/firti,
én/en/ein/ett; old counting ("femogførti") comes from the units, the conjunction "og" and the tens through the
generic grammar. The nynorsk pack (:mod:`.nn`) builds on these tables.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from ._scandinavian import LISTEN_CUES
from .pack import (
    AnswerWords,
    CorrectionWords,
    EngineHints,
    IntentWords,
    KeypadWords,
    KindWords,
    LanguagePack,
    NumberWords,
    ReadBackWords,
    WhoseWords,
)

__all__ = [
    "KINDS",
    "NORWEGIAN_FILLERS",
    "NORWEGIAN_FILLER_PHRASES",
    "NORWEGIAN_LABELS",
    "NORWEGIAN_QUANTITIES",
    "NORWEGIAN_SPELLING_RULES",
    "PACK",
]

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
    "ja",  # between digit groups a caller's "ja" keeps the listener along, it answers nothing
    "punktum", "komma", "strek", "bindestrek", "mellomrom",  # punctuation said aloud, as when dictating
)  # fmt: skip
NORWEGIAN_FILLER_PHRASES = (
    "la meg se", "la meg tenke", "la meg sjekke", "vent litt", "vent et øyeblikk", "vent et lite øyeblikk",
    "et øyeblikk", "ja vent", "hm ja vent", "hva er det nå igjen", "hva er det igjen", "hva er det nå",
    "hva var det", "hva var det igjen", "hva var det nå", "hva heter det", "hvor var jeg", "jeg må bare sjekke",
    "må bare sjekke", "jeg må bare se", "hvordan var det", "hvordan var det nå", "lat meg sjå", "lat meg sjå no",
    "korleis var det", "korleis var det no", "kva var det", "kva var det no", "vent ei lita stund",
    "eit augeblink", "eitt augneblink", "vent nå litt", "vent no litt", "hvordan var det igjen",
    "kva var det no igjen", "kva var det igjen", "jeg har det her et sted", "har det her et sted",
    "eg har det her ein stad", "ikke sant", "ikkje sant",
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
    # amounts and measures ("lånet er på 2 450 000")
    "lån", "lånet", "beløp", "beløpet", "sum", "summen", "pris", "prisen", "saldo", "saldoen", "gjeld", "gjelda",
    "gjelden", "rente", "renta", "renten", "lønn", "lønna", "lønnen", "husleie", "husleia", "husleien",
    "omsetning", "omsetningen", "depositum", "depositumet", "budsjett", "budsjettet", "kostnad", "kostnaden",
    "inntekt", "inntekten", "verdi", "verdien", "takst", "taksten",
)  # fmt: skip

NORWEGIAN_SPELLING_RULES = (
    ("e", "æ"),  # fæm, sæks, trætti, fæmten
    ("en$", "an"),  # syttan, nittan, attan
    ("y", "ø"),  # søtti, søttan
    ("^tj", "kj"),  # kjue
    ("e$", ""),  # fir
    ("e$", "a"),  # åtta
    ("^tre", "tri"),  # tri
    ("tt", "t"),  # niti, treti (an engine's spelling)
    ("v$", "f"),  # tolf
    ("i$", "ie"),  # nie
    ("ju$", "jø"),  # sjø
    ("ol", "ål"),  # tålv
    ("eve$", "ve"),  # ellve, ællve
    ("^to", "tvo"),  # tvo
    ("ten$", "tn"),  # nitt'n, sytt'n (an engine's elision)
)
"""How dialects and engines spell Norwegian number words otherwise (see :attr:`NumberWords.spelling_rules`)."""

NUMBERS = NumberWords(
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
    spelling_rules=NORWEGIAN_SPELLING_RULES,
    times_words=("ganger", "gonger"),
    plural_digits=(("nuller", 0), ("nullar", 0), ("nullere", 0)),
    countries=(
        ("sverige", "SE"),
        ("svensk", "SE"),
        ("danmark", "DK"),
        ("dansk", "DK"),
        ("tyskland", "DE"),
        ("tysk", "DE"),
        ("finland", "FI"),
        ("finsk", "FI"),
        ("storbritannia", "GB"),
        ("england", "GB"),
        ("britisk", "GB"),
        ("polen", "PL"),
        ("polsk", "PL"),
        ("spania", "ES"),
        ("spansk", "ES"),
        ("usa", "US"),
        ("amerikansk", "US"),
        ("noreg", "NO"),
        ("norge", "NO"),
        ("norsk", "NO"),
    ),
)

ANSWERS = AnswerWords(
    yes=(
        "ja", "jo", "jepp", "japp", "jada", "javisst", "ja visst", "mhm", "stemmer", "riktig", "korrekt",
        "helt rett", "det er rett", "ok", "okei", "greit", "yes",
    ),
    no=("nei", "feil", "stemmer ikke", "det er ikke"),
    yes_phrases=("ja nei", "nei da", "neida", "jo da", "joda", "nei, det stemmer"),
    repeat=(
        "hæ", "hææ", "hva", "hva sa du", "hva for noe", "unnskyld", "unnskyld meg", "beklager", "kan du gjenta",
        "si det igjen", "en gang til", "igjen", "hørte ikke", "jeg hørte ikke", "sorry", "ka", "ka sa du",
    ),
)  # fmt: skip

CORRECTIONS = CorrectionWords(
    negations=("i stedet for", "istedenfor", "istedet for", "ikke", "ikkje"),
    positions=(
        ("nest siste", -2), ("nestsiste", -2), ("siste", -1), ("slutten", -1), ("slutt", -1), ("sist", -1),
        ("første", 0), ("først", 0), ("starten", 0), ("begynnelsen", 0),
        ("andre", 1), ("tredje", 2), ("fjerde", 3),
    ),
    replaced_by=("skulle være", "skal være", "skulle vært", "skal vere", "skulle vere"),
    counted=("siffer", "sifrene", "sifferne", "tallene"),
    clause_breaks=("men", "mens"),
    clarifiers=("som i", "altså"),
)  # fmt: skip

INTENT = IntentWords(
    correction=(
        "nei", "unnskyld", "beklager", "orsak", "vent", "feil", "glem det", "stryk det", "jeg mener", "eg meiner",
        "jeg mente", "eg meinte", "rettelse", "på nytt", "rotet", "hva sier jeg", "kva seier eg", "det riktige",
        "forresten", "skulle være", "skal være", "skal vere", "skulle vere", "i starten", "på slutten", "oi", "oj",
        "ops", "rettere sagt", "skulle stått", "skal stå", "tok feil", "sorry", "sori",
    ),
    correction_or=("eller",),
    correction_postfix=("mener jeg", "meiner eg", "mente jeg", "meinte eg"),
    for_next=(
        "nå har jeg", "no har eg", "nå er det", "det nye", "nye nummeret", "byttet til", "bytta til", "heller",
        "skifta til", "skiftet til",
        "helst", "mitt er", "min er", "bruk", "ta heller", "ring heller", "ring helst", "nytt",
        "mitt eget", "mitt eige", "nå meg", "nå meg på", "ring meg på", "primær", "primærnummeret",
        "hovednummeret",
    ),
    insist_next=("registrer", "registrere", "registrer heller", "isteden", "i stedet", "i staden"),
    against_next=(
        "gamle", "gammel", "gammelt", "hadde", "tidligere", "legen", "kona mi", "ikke bruk", "ikkje bruk",
        "sønnen min", "datteren min", "dottera mi", "mannen min", "kona mi", "kona mín", "sambo", "mora mi",
        "moren min", "faren min", "til sønnen", "til datteren", "til mannen", "til kona", "nummeret til",
        "ikke ring", "ikkje ring", "ikke", "ikkje", "byttet fra", "bytta fra", "bytta frå", "skiftet fra",
        "skifta frå", "skifta fra", "skiftet frå",
        "min kones", "min manns", "min sønns", "min datters", "min mors", "min fars", "sekundær",
        "sekundærnummeret", "reservenummeret",
    ),
    against_previous=(
        "registrert", "før", "er gammelt", "det er gammelt", "sagt opp", "svarer ingen", "sjekker jeg sjelden",
        "sjekkar eg sjeldan", "er på jobb", "lenger", "lengre", "ikke mitt", "ikkje mitt",
        "slette", "slett", "slettes", "sletta", "fjerne", "fjern", "fjernes", "sjelden", "sjeldan", "ødelagt",
        "øydelagd", "virker ikke", "verkar ikkje", "fungerer ikke",
    ),
    prefer=(
        "helst", "heller", "bruk", "best", "beste", "sikrest", "sikreste", "foretrekker", "ring", "ta", "bedre",
        "betre", "mest",
    ),
    ranking=("helst", "best", "beste", "sikrest", "sikreste", "foretrekker", "bedre", "betre", "mest"),
    first=("det første", "den første", "første"),
    last=("det siste", "den siste", "siste"),
    labels=("mobil", "jobb", "privat", "hjem", "arbeid", "kontor", "fast"),
    someone_else=("til", "min", "mi"),
    names=(
        "det gamle", "den gamle", "det gamle nummeret", "gamle", "gammelt", "det nye", "den nye", "nye", "nytt",
        "det første", "det andre", "mitt", "mitt eget",
    ),
    then_now=(("før", "tidligere", "før i tiden", "den gang"), ("nå", "no", "i dag", "nå for tiden")),
    examples=(
        "sånn som", "slik som", "for eksempel", "f.eks", "eksempelvis", "som eksempel", "til dømes", "t.d.",
        "slik som dette", "sånn som dette",
    ),
    either=(
        "den du vil", "hvem som helst", "hvilken som helst", "hvilket som helst", "begge er mine", "samme for meg",
        "spiller ingen rolle", "kva du vil", "kven som helst", "en av oss", "ein av oss", "begge funker",
        "begge fungerer", "begge virker", "begge går", "begge går fint", "begge verkar",
    ),
    swap=("bytt om", "byttet om", "bytta om", "bytte om", "snu", "snudde", "snu om"),
    middle=("i midten", "midterste", "på midten"),
    other_names=("det andre", "det gamle", "den gamle", "det forrige", "det gamle nummeret"),
    retraction=(
        "stryk det", "glem det", "det er ikke riktig", "det er ikkje rett", "det stemmer ikke", "det stemmer ikkje",
        "ikke ring meg", "ikkje ring meg", "det var feil", "det er feil",
    ),
    apologies=("sorry", "sori", "unnskyld", "beklager", "orsak"),
    called_past=(
        "ringte", "ringde", "ringt", "ringa", "prøvde å ringe", "prøvd å ringe", "forsøkte å ringe", "forsøkt å ringe",
        "prøvde å ringje", "prøvd å ringje", "freista å ringje",
    ),
    called_own=("meg", "oss", "eg", "fra", "frå", "mitt", "min", "mi"),
    called_ends=("er", "e"),
    whose=WhoseWords(
        offer=(
            "ring", "ringe", "ring meg", "ringe meg", "nå meg", "nå oss", "nås", "treffe", "treffes",
            "kontakt", "kontakte", "send", "sende", "registrer", "registrere", "skriv opp", "noter", "bruk",
            "prøv", "prøve", "på vegne av", "skal ha beskjed", "skal ha meldinga", "skal ha meldingen",
            "i stedet", "isteden", "i staden", "ringje", "ringjer", "kontaktnummer", "ringer for", "ringjer for",
            "ringer på vegne", "ringjer på vegner", "på vegner av",
        ),
        own=(
            "nummeret mitt", "mitt nummer", "mitt eget", "mitt eige", "mitt er", "min er", "mi er",
            "mobilen min", "mobilnummeret mitt", "telefonen min", "telefonnummeret mitt",
        ),
        deny=("ikke", "ikkje", "aldri"),
        source=("fra", "frå"),
        number_nouns=(
            "nummeret", "nummer", "telefonnummeret", "telefonnummer", "mobilnummeret", "mobilnummer", "tlf",
            "telefon",
        ),
        received=(
            "fikk", "fått", "fekk", "mottok", "mottatt", "motteke", "sms", "sms-en", "melding", "meldingen",
            "meldinga", "anrop", "anropet", "tapt anrop", "oppringing", "oppringning", "regning", "regningen",
            "rekning", "rekninga", "brev", "brevet", "e-post", "faktura", "fakturaen", "purring", "purringen",
            "kom", "kommer",
        ),
        self_subjects=("jeg", "eg", "vi", "me", "je", "æ"),
        other_subjects=(
            "dere", "dykk", "de", "dei", "han", "hun", "ho", "noen", "nokon", "nokre", "dem", "firmaet", "banken",
            "butikken", "kontoret", "selskapet",
        ),
        read_off=("displayet", "skjermen", "nummervisning", "nummervisninga", "nummervisningen"),
        other_holders=(
            "naboen", "naboene", "nabo", "kollegaen", "kollegaen min", "kollega", "kollegene", "sjefen",
            "selgeren", "seljaren", "han som", "hun som", "ho som", "den som", "de som", "dei som",
            "sentralbordet", "sentralbord", "nummeret hans", "nummeret hennes", "nummeret hennar",
            "hans nummer", "hennes nummer", "hennar nummer", "nummeret deres", "nummeret dykkar",
            "utleieren", "huseieren", "håndverkeren", "elektrikeren", "rørleggeren", "mekanikeren",
        ),
        pointing_back=(
            "han", "hun", "ho", "hans", "hennes", "hennar", "de", "dei", "deres", "dykkar", "ham", "henne", "dem",
        ),
        asked_back=(
            "deres", "dykkar", "er det dere", "er det dykk", "var det dere", "var det dykk", "kundeservice",
            "kundesenteret", "sentralbordet",
        ),
    ),
)  # fmt: skip

KEYPAD = KeypadWords(
    # "kan jeg taste det inn?", "jeg taster det", "på tastaturet", "tastene"
    request=re.compile(r"\b(tast(e|er|et|a|en|ene|ing|aturet|atur)?|inntast\w*)\b", re.IGNORECASE),
)

READ_BACK = ReadBackWords(
    home_region="NO",
    plus_word="pluss",
    variants=(("syv", "sju"), ("tjue", "tyve"), ("tretti", "tredve"), ("førti", "firti")),
)

MODEL_TEXTS = MappingProxyType({
    # the snippet for the Agent's instructions
    "capture_instructions": (
        "Når innringeren sier telefonnummeret sitt, eller en del av det, kall capture_phone_number med en "
        "gang. Ikke gjenta nummeret slik du selv hørte det. Verktøyet svarer med nøyaktig hva du skal si: les "
        "opp gruppene nøyaktig slik de står, i samme rekkefølge, uten å endre, slå sammen eller legge til "
        "sifre, og spør om det stemmer. Sier innringeren ja, kall confirm_phone_number. Sier innringeren nei, "
        "eller retter en del av nummeret, kall reject_phone_number og følg svaret. Vil innringeren ikke oppgi "
        "nummer, kall decline_phone_number_capture."
    ),
    "ask_for_number": (
        "Be innringeren om telefonnummeret. Har innringeren alt sagt det, kall capture_phone_number med en gang."
    ),
    # the capture's steps
    "propose": 'Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
    "propose_uncertain": 'Les opp nøyaktig: "{read_back}" og spør om det stemmer, særlig "{group}".',
    "propose_corrected": 'Les opp det rettede nummeret nøyaktig: "{read_back}" og spør om det stemmer nå.',
    "repeat": 'Spør igjen om nummeret "{read_back}" stemmer.',
    "stale": 'Nummeret er endret. Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
    "not_answered": 'Innringeren har ikke svart på dette nummeret ennå. Les opp nøyaktig: "{read_back}" og '
    "vent på svaret.",
    "answer_not_yes": (
        "Innringeren sa ikke ja til dette nummeret. Sa de nei eller rettet det, kall reject_phone_number; "
        "sa de et nytt nummer, kall capture_phone_number."
    ),
    "answer_not_heard": 'Svaret til innringeren ble ikke hørt. Spør igjen om nummeret "{read_back}" stemmer.',
    "answer_pending": (
        'Svaret til innringeren er ikke ferdig transkribert ennå. Ikke gjett. Spør igjen om nummeret "{read_back}" '
        "stemmer."
    ),
    "answer_is_yes": (
        'Innringeren sa ja til nummeret "{read_back}", ikke nei. Sa de ja, kall confirm_phone_number; er du i '
        "tvil, spør igjen om det stemmer."
    ),
    "answer_not_no": 'Innringeren sa ikke nei. Spør igjen om nummeret "{read_back}" stemmer.',
    "repeat_requested": 'Innringeren ba deg gjenta. Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
    "propose_alternative": (
        'Les opp nøyaktig: "{read_back}" og spør nøye om hvert par stemmer; det er en annen tolkning av det '
        "innringeren sa."
    ),
    "ask_whole_digits": (
        "Vi hører fortsatt det samme feile nummeret. Be innringeren si hele nummeret ett siffer om gangen, rolig."
    ),
    "sidecar_pending": (
        "Den nøyaktige transkripsjonen av det innringeren sa er ikke klar ennå. Ikke les opp nummeret slik du selv "
        "hørte det. Be innringeren si nummeret én gang til, rolig."
    ),
    "no_sidecar_number": (
        "Den nøyaktige transkripsjonen hørte ikke noe nummer i det innringeren sa. Ikke les opp nummeret slik "
        "du selv hørte det. Be innringeren si nummeret én gang til, rolig."
    ),
    "engine_recovering": (
        "Den nøyaktige transkripsjonen starter opp igjen og har ikke hørt nummeret ennå. Si «Et øyeblikk» til "
        "innringeren, ikke be om nummeret på nytt, og kall capture_phone_number igjen om et par sekunder."
    ),
    "sidecar_unavailable": (
        "Den nøyaktige transkripsjonen virker ikke akkurat nå. Ikke les opp nummeret slik du selv hørte det. "
        "Beklag, og be innringeren si nummeret én gang til om litt."
    ),
    "propose_realtime_fallback": (
        'Bare din egen hørsel fant dette nummeret. Les opp nøyaktig: "{read_back}" og spør nøye om hvert par '
        "stemmer."
    ),
    "ask_again": "Be innringeren si hele nummeret én gang til, rolig, to og to siffer.",
    "ask_again_digits": "Be innringeren si nummeret ett siffer om gangen.",
    "ask_which": (
        'Innringeren sa to nummer: "{first}" og "{second}". Les opp begge nøyaktig slik, spør hvilket av dem '
        "innringeren vil bruke, og kall capture_phone_number med svaret."
    ),
    "ask_rest": "Be innringeren si resten av nummeret.",
    # the keypad
    "ask_keypad": (
        "Be innringeren taste nummeret på tastaturet på telefonen og avslutte med firkant-tasten. Vent til "
        "du får beskjed om hva som ble tastet; ikke gjett på sifrene."
    ),
    "propose_keypad": 'Innringeren tastet et nummer. Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
    "keypad_invalid": (
        "Det innringeren tastet er ikke et gyldig telefonnummer. Be innringeren taste hele nummeret på nytt og "
        "avslutte med firkant-tasten."
    ),
    "keypad_rejected": (
        "Innringeren tastet et nummer de allerede har sagt er feil. Be innringeren taste hele nummeret på nytt "
        "og avslutte med firkant-tasten."
    ),
    "not_heard": "Fant ikke noe telefonnummer. Be innringeren si nummeret.",
    "nothing_said": "Innringeren har ikke sagt noe ennå. Be om telefonnummeret.",
    "confirmed": "Nummeret er bekreftet. Takk innringeren og gå videre.",
    "failed": "Gi opp å ta imot nummeret. Beklag og tilby en annen løsning.",
    "declined": "Innringeren vil ikke oppgi nummer. Gå videre uten.",
    "not_proposed": "Ingen nummer er lest opp ennå. Be innringeren si nummeret.",
    "reused": "Vent på innringerens neste svar før du gjør noe mer med nummeret.",
    "finished": "Nummerfangsten er allerede avsluttet.",
    # get_accurate_transcript
    "transcript_nothing_said": "Innringeren har ikke sagt noe ennå.",
    "transcript_missing": (
        "Ingen nøyaktig transkripsjon av innringerens siste tur kom i tide. Ikke gjett; be innringeren gjenta."
    ),
    "transcript_header": "Nøyaktig transkripsjon av innringerens siste tur:",
})  # fmt: skip

_HINT_UNITS = ("null", "en", "én", "ein", "to", "tre", "fire", "fem", "seks", "sju", "syv", "åtte", "ni")
_HINT_TEENS = ("ti", "elleve", "tolv", "tretten", "fjorten", "femten", "seksten", "sytten", "atten", "nitten")
_HINT_TENS = ("tjue", "tyve", "tretti", "tredve", "førti", "firti", "femti", "seksti", "sytti", "åtti", "nitti")
_HINT_COMPOUND_UNITS = ("en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni")
_HINT_TENS_MODERN = ("tjue", "tretti", "førti", "femti", "seksti", "sytti", "åtti", "nitti")


def _hint_words() -> tuple[str, ...]:
    words: list[str] = [*_HINT_UNITS, *_HINT_TEENS, *_HINT_TENS]
    words += [tens + unit for tens in _HINT_TENS_MODERN for unit in _HINT_COMPOUND_UNITS]
    words += ["telefonnummer", "mobilnummer", "nummeret"]
    return tuple(dict.fromkeys(words))


ENGINE_HINTS = EngineHints(
    words=_hint_words(),
    prompt=(
        "Telefonnummeret mitt er ni to tre fire fem seks sju åtte, "
        "eller nittito trettifire femtiseks syttiåtte, førtifem sekstisju åttini null en."
    ),
)

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "desember": 12, "des": 12,
}  # fmt: skip
MONTH_NAMES = (
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
    "desember",
)  # fmt: skip
_ORDINAL_UNITS = (
    ("første",), ("andre",), ("tredje",), ("fjerde",), ("femte",), ("sjette",), ("sjuende", "syvende"),
    ("åttende",), ("niende",),
)  # fmt: skip
_ORDINAL_TEENS = (
    ("tiende",), ("ellevte",), ("tolvte",), ("trettende",), ("fjortende",), ("femtende",), ("sekstende",),
    ("syttende",), ("attende",), ("nittende",),
)  # fmt: skip


def _ordinals(
    units: tuple[tuple[str, ...], ...],
    teens: tuple[tuple[str, ...], ...],
    twenties: tuple[str, ...],
    twentieth: tuple[str, ...],
    thirtieth: tuple[str, ...],
    thirties: tuple[str, ...],
) -> dict[str, int]:
    """Every written form of the ordinals 1 to 31: the units and teens as listed, the twenties and thirties as a
    tens word and a unit ordinal, written together or apart ("tjueførste", "tjue første")."""
    found: dict[str, int] = {}
    for value, forms in enumerate((*units, *teens), start=1):
        for form in forms:
            found[form] = value
    for form in twentieth:
        found[form] = 20
    for form in thirtieth:
        found[form] = 30
    for tens, base, last in ((twenties, 20, 9), (thirties, 30, 1)):
        for prefix in tens:
            for value, forms in enumerate(units[:last], start=1):
                for form in forms:
                    found[prefix + form] = found[f"{prefix} {form}"] = base + value
    return found


ORDINALS = _ordinals(
    _ORDINAL_UNITS, _ORDINAL_TEENS, ("tjue", "tyve"), ("tjuende", "tyvende"), ("trettiende", "tredevte"),
    ("tretti", "tredve"),
)  # fmt: skip
ORDINAL_NAMES = (
    "første", "andre", "tredje", "fjerde", "femte", "sjette", "sjuende", "åttende", "niende", "tiende", "ellevte",
    "tolvte", "trettende", "fjortende", "femtende", "sekstende", "syttende", "attende", "nittende", "tjuende",
    "tjueførste", "tjueandre", "tjuetredje", "tjuefjerde", "tjuefemte", "tjuesjette", "tjuesjuende", "tjueåttende",
    "tjueniende", "trettiende", "trettiførste",
)  # fmt: skip
LETTERS = {
    "be": "b", "ce": "c", "se": "c", "de": "d", "eff": "f", "ef": "f", "ge": "g", "gé": "g",
    "hå": "h", "ho": "h", "je": "j", "jodd": "j", "jott": "j", "kå": "k", "ko": "k", "ell": "l", "el": "l",
    "emm": "m", "em": "m", "enn": "n", "pe": "p", "ku": "q", "kju": "q", "ærr": "r", "ær": "r", "err": "r",
    "ess": "s", "es": "s", "te": "t", "ve": "v", "dobbelt-ve": "w", "dobbeltve": "w", "dobbel-ve": "w",
    "dobbelve": "w", "dobbelt ve": "w", "dobbel ve": "w", "eks": "x", "ex": "x", "ypsilon": "y", "sett": "z",
    "zett": "z", "set": "z", "zet": "z",
}  # fmt: skip
LETTER_NAMES = {
    "b": "be", "c": "se", "d": "de", "f": "eff", "g": "ge", "h": "hå", "j": "je", "k": "kå", "l": "ell",
    "m": "emm", "n": "enn", "p": "pe", "q": "ku", "r": "ærr", "s": "ess", "t": "te", "v": "ve",
    "w": "dobbelt-ve", "x": "eks", "z": "sett",
}  # fmt: skip
SPELLING_ALPHABET = {
    "anna": "a", "bernhard": "b", "caesar": "c", "cæsar": "c", "david": "d", "edith": "e", "fredrik": "f",
    "gustav": "g", "harald": "h", "ivar": "i", "johan": "j", "karin": "k", "ludvig": "l", "martin": "m",
    "nils": "n", "olivia": "o", "petter": "p", "quintus": "q", "rikard": "r", "sigrid": "s", "teodor": "t",
    "ulrik": "u", "vilhelm": "v", "wilhelm": "w", "xerxes": "x", "yngling": "y", "zakarias": "z", "ærlig": "æ",
    "østen": "ø", "åse": "å",
}  # fmt: skip
"""The Norwegian spelling alphabet."""
SYMBOLS = {
    "krøllalfa": "@", "krøll-alfa": "@", "alfakrøll": "@", "krølla": "@", "krøllealfa": "@", "at": "@", "@": "@",
    "punktum": ".", "dott": ".", "dot": ".", "prikk": ".", "punkt": ".", "bindestrek": "-", "strek": "-", "minus": "-",
    "understrek": "_", "understreking": "_", "understrekning": "_", "underscore": "_", "lav strek": "_",
    "under strek": "_", "binde strek": "-", "krøll alfa": "@", "alfa krøll": "@", "snabel-a": "@",
}  # fmt: skip
SYMBOL_NAMES = {"@": "krøllalfa", ".": "punktum", "-": "bindestrek", "_": "understrek"}
KIND_LABELS = {
    "phone": ("telefonnummer", "mobilnummer", "telefon", "mobil", "tlf", "telefon nummer", "mobil nummer"),
    "birth-number": (
        "fødselsnummer", "personnummer", "d-nummer", "dnummer", "fnr", "personnr", "fødsels nummer",
        "person nummer", "d nummer",
    ),
    "date-of-birth": ("født", "fødd", "fødselsdato", "fødselsdag", "bursdag", "fødsels dato"),
    "postcode": ("postnummer", "postnr", "postkode", "post nummer"),
    "email": ("e-post", "epost", "mail", "e-mail", "email", "mailadresse", "e-postadresse", "e post"),
    "account-number": ("kontonummer", "kontonr", "konto", "bankkonto", "konto nummer"),
    "org-number": (
        "organisasjonsnummer", "orgnummer", "orgnr", "org", "foretaksnummer", "organisasjons nummer",
        "org nummer",
    ),
    "card-number": (
        "kortnummer", "kortnummeret", "kortet", "bankkort", "kredittkort", "betalingskort", "visa", "kort nummer",
        "mastercard",
    ),
    "customer-number": ("kundenummer", "kundenr"),
    "booking-reference": (
        "bestillingsnummer", "bestillingsreferanse", "referanse", "bookingnummer", "bookingreferanse", "booking",
    ),
}  # fmt: skip
GROUP_NAMES = {
    "birth-number": ("datoen", "personnummeret"),
    "date-of-birth": ("dag", "måned", "år"),
    "postcode": ("postnummeret",),
    "email": ("brukernavnet", "domenet"),
    "account-number": ("første fire", "midten", "siste fem"),
    "org-number": ("første tre", "midterste tre", "siste tre"),
}  # fmt: skip

OTHER_DATES = (
    "møte", "møtet", "time", "timen", "avtale", "avtalen", "gift", "giftet", "gifta", "flyttet", "flytta", "døde",
    "død",
    "begynte", "sluttet", "levert", "levering", "bestilt", "bestilte", "betalt", "betalte", "forfall", "forfaller",
    "frist", "fristen", "reiste", "reiser", "kom", "ferie", "ankomst", "avreise", "skjedde", "ulykken", "kjøpte",
    "kjøpt", "startet", "innflytting", "siden", "fra", "til", "neste", "forrige", "klokka", "klokken", "kl",
)  # fmt: skip
"""Words that, before a date, make it some other day than a birth date (and before a number, a time)."""

KINDS = KindWords(
    months=MONTHS,
    month_names=MONTH_NAMES,
    ordinals=ORDINALS,
    ordinal_names=ORDINAL_NAMES,
    ordinal_suffixes=(".", "e", "te", "de"),
    date_joiners=("den", "i", "av", "de"),
    date_read_back="{day} {month} {year}",
    other_dates=OTHER_DATES,
    before_year=("i", "år", "året", "fra", "siden", "til", "innen", "før", "etter", "rundt", "ca"),
    letters=LETTERS,
    letter_names=LETTER_NAMES,
    spelling_alphabet=SPELLING_ALPHABET,
    spelled_as=("som i", "for", "som"),
    symbols=SYMBOLS,
    symbol_names=SYMBOL_NAMES,
    labels=KIND_LABELS,
    group_names=GROUP_NAMES,
    part_names=("første del", "andre del", "tredje del", "fjerde del", "femte del", "sjette del"),
)

PACK = LanguagePack(
    code="nb",
    name="Norwegian bokmål",
    rank=0,
    aliases=("no", "nor", "nob"),
    numbers=NUMBERS,
    answers=ANSWERS,
    corrections=CORRECTIONS,
    intent=INTENT,
    listen_cues=LISTEN_CUES,
    keypad=KEYPAD,
    read_back=READ_BACK,
    model_texts=MODEL_TEXTS,
    engine_hints=ENGINE_HINTS,
    kinds=KINDS,
)
