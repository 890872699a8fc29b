"""English: every word list and text of the language, in one pack.

Number words: "oh" for zero, "double"/"triple", hyphenated pairs ("ninety-two"). English is also the language
the model is spoken to in for every language without texts of its own (Swedish, Danish).
"""

from __future__ import annotations

import re
from types import MappingProxyType

from .pack import (
    AnswerWords,
    CorrectionWords,
    EngineHints,
    IntentWords,
    KeypadWords,
    KindWords,
    LanguagePack,
    ListenCues,
    NumberWords,
    ReadBackWords,
    WhoseWords,
)

__all__ = ["PACK"]

NUMBERS = NumberWords(
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
        "tracking", "born", "birthday", "date", "loan", "amount", "balance", "price", "salary", "rent", "total",
        "sum", "debt", "value",
    ),
    times_words=("times",),
    plural_digits=(("zeros", 0), ("zeroes", 0), ("ohs", 0), ("noughts", 0)),
    countries=(
        ("sweden", "SE"), ("swedish", "SE"), ("denmark", "DK"), ("danish", "DK"), ("germany", "DE"),
        ("german", "DE"), ("finland", "FI"), ("finnish", "FI"), ("britain", "GB"), ("british", "GB"), ("uk", "GB"),
        ("england", "GB"), ("poland", "PL"), ("polish", "PL"), ("spain", "ES"), ("spanish", "ES"), ("norway", "NO"),
        ("norwegian", "NO"),
    ),
)  # fmt: skip

ANSWERS = AnswerWords(
    yes=(
        "yes", "yeah", "yep", "yup", "correct", "right", "exactly", "that's it", "that is it", "ok", "okay",
        "sure", "mhm",
    ),
    no=("no", "nope", "wrong", "that's not", "that is not", "incorrect"),
    yes_phrases=("no, that's right", "no that's right", "no, that is right"),
    repeat=("what", "sorry", "pardon", "come again", "say that again", "what did you say", "excuse me", "huh"),
)  # fmt: skip

CORRECTIONS = CorrectionWords(
    negations=("instead of", "rather than", "not", "isn't", "it's not"),
    positions=(
        ("second to last", -2), ("second last", -2), ("penultimate", -2), ("last", -1), ("end", -1),
        ("first", 0), ("beginning", 0), ("start", 0), ("second", 1), ("third", 2), ("fourth", 3),
    ),
    replaced_by=("should be", "should have been", "is supposed to be"),
    counted=("digits", "numbers"),
    clause_breaks=("but",),
    clarifiers=("as in",),
)  # fmt: skip

INTENT = IntentWords(
    correction=(
        "no", "sorry", "wait", "i mean", "i meant", "actually", "wrong", "scratch that", "should be",
        "correction", "start over", "at the start", "at the end", "oops", "rather",
    ),
    correction_or=("or",),
    correction_postfix=("i mean",),
    for_next=(
        "new one", "new number", "now it's", "now i have", "switched to", "changed to", "rather", "better",
        "my own", "mine is", "use", "call my", "reach me", "call me on",
    ),
    insist_next=("register", "instead"),
    against_next=("old", "used to", "previous", "my husband", "my wife", "my son", "my daughter", "work number"),
    against_previous=("registered", "before", "is old", "no longer"),
    prefer=("rather", "better", "prefer", "use", "best", "call", "most"),
    ranking=("rather", "better", "prefer", "best", "most"),
    first=("the first",),
    last=("the last", "the second one", "the latter"),
    labels=("mobile", "cell", "work", "home", "private", "office"),
    someone_else=("to my", "my husband", "my wife"),
    names=("the old one", "the old number", "old", "the new one", "the new number", "new", "my own", "mine"),
    then_now=(("before", "previously", "earlier", "it used to be"), ("now", "today", "these days")),
    examples=("for example", "for instance", "e.g.", "such as", "something like"),
    either=("either one", "either is fine", "whichever", "both are mine"),
    swap=("swap", "swapped", "switch", "switched", "the other way round"),
    middle=("in the middle", "middle"),
    other_names=("the other one", "the old one", "the old number"),
    retraction=("scratch that", "forget it", "that's not right", "that's wrong", "don't call me"),
    apologies=("sorry", "excuse me", "pardon"),
    called_past=("called", "rang", "phoned", "tried to call", "tried calling", "tried to ring"),
    called_own=("me", "us", "from", "my"),
    called_ends=("is",),
    whose=WhoseWords(
        offer=(
            "call", "call me", "reach", "reach me", "contact", "text", "register", "put down", "note", "use",
            "try", "on behalf of", "instead", "calling for",
        ),
        own=("my number", "mine is", "my own", "my mobile", "my phone"),
        deny=("not", "don't", "never"),
        source=("from",),
        number_nouns=("the number", "number", "phone"),
        received=("got", "received", "text", "message", "call", "missed call", "bill", "letter", "email", "came"),
        self_subjects=("i", "we"),
        other_subjects=("you", "they", "he", "she", "someone", "somebody"),
        read_off=("display", "screen", "caller id"),
        other_holders=(
            "neighbour", "neighbor", "colleague", "my boss", "seller", "the one who", "the guy who", "his number",
            "her number", "their number", "switchboard", "the office",
        ),
        pointing_back=("he", "she", "they", "his", "her", "their", "him", "them"),
        asked_back=("your", "is that you", "was that you", "is it you", "customer service"),
    ),
)  # fmt: skip

LISTEN_CUES = ListenCues(
    number=re.compile(r"\b(phone number|numbers?|mobile|cell|reach you)\b"),
    ask=re.compile(
        r"\?|\b(what|what's|which)\b|\b(can|could|would|may) (you|i (have|get|take))\b|\b(need|please)\b"
        r"|^(tell|give|say|read|provide|share|go ahead|type|enter)\b"
    ),
    rules_out=re.compile(
        r"\b(not|never|no need|don't|doesn't|won't|saved|stored|noted|recorded|confirmed|got it|have got"
        r"|is that (right|correct)|did i get)\b|n't\b"
    ),
)

KEYPAD = KeypadWords(
    request=re.compile(r"\b(key ?pad|dial ?pad|type (it|in|the)|punch (it )?in|press the (keys|numbers|digits))\b"),
)

READ_BACK = ReadBackWords(home_region="NO", plus_word="plus", digits_in_pairs=True)

MODEL_TEXTS = MappingProxyType({
    "capture_instructions": (
        "When the caller says their phone number, or part of it, call capture_phone_number at once. Do not "
        "repeat the number as you heard it yourself. The tool answers with exactly what to say: speak the "
        "groups exactly as given, in the same order, without changing, merging or adding digits, and ask "
        "whether it is correct. If the caller says yes, call confirm_phone_number. If they say no or correct "
        "part of it, call reject_phone_number and follow its answer. If the caller will not give a number, "
        "call decline_phone_number_capture."
    ),
    "ask_for_number": (
        "Ask the caller for their phone number. If they already said it, call capture_phone_number at once."
    ),
    "propose": 'Read back exactly: "{read_back}" and ask whether it is correct.',
    "propose_uncertain": 'Read back exactly: "{read_back}" and ask whether it is correct, especially "{group}".',
    "propose_corrected": 'Read back the corrected number exactly: "{read_back}" and ask whether it is right now.',
    "repeat": 'Ask again whether the number "{read_back}" is correct.',
    "stale": 'The number has changed. Read back exactly: "{read_back}" and ask whether it is correct.',
    "not_answered": 'The caller has not answered this number yet. Read back exactly: "{read_back}" and wait '
    "for their answer.",
    "answer_not_yes": (
        "The caller did not say yes to this number. If they said no or corrected it, call reject_phone_number; "
        "if they said a new number, call capture_phone_number."
    ),
    "answer_not_heard": (
        'The caller\'s answer was not heard. Ask again whether the number "{read_back}" is correct.'
    ),
    "answer_pending": (
        'The caller\'s answer is not transcribed yet. Do not guess. Ask again whether the number "{read_back}" is '
        "correct."
    ),
    "answer_is_yes": (
        'The caller said yes to the number "{read_back}", not no. If they said yes, call confirm_phone_number; if '
        "in doubt, ask again whether it is correct."
    ),
    "answer_not_no": 'The caller did not say no. Ask again whether the number "{read_back}" is correct.',
    "repeat_requested": (
        'The caller asked you to repeat. Read back exactly: "{read_back}" and ask whether it is correct.'
    ),
    "propose_alternative": (
        'Read back exactly: "{read_back}" and ask carefully whether each pair is right; it is another reading of '
        "what the caller said."
    ),
    "ask_whole_digits": (
        "We still hear the same wrong number. Ask the caller to say the whole number one digit at a time, slowly."
    ),
    "sidecar_pending": (
        "The accurate transcript of what the caller said is not ready yet. Do not read back the number as you "
        "heard it yourself. Ask the caller to say the number once more, slowly."
    ),
    "no_sidecar_number": (
        "The accurate transcription heard no number in what the caller said. Do not read back the number as "
        "you heard it yourself. Ask the caller to say the number once more, slowly."
    ),
    "engine_recovering": (
        "The accurate transcription is restarting and has not heard the number yet. Tell the caller \"One moment\", "
        "do not ask for the number again, and call capture_phone_number again in a couple of seconds."
    ),
    "sidecar_unavailable": (
        "The accurate transcription is not working right now. Do not read back the number as you heard it "
        "yourself. Apologise and ask the caller to say the number again in a moment."
    ),
    "propose_realtime_fallback": (
        'Only your own hearing found this number. Read back exactly: "{read_back}" and ask carefully whether '
        "each pair is right."
    ),
    "ask_again": "Ask the caller to say the whole number once more, slowly, two digits at a time.",
    "ask_again_digits": "Ask the caller to say the number one digit at a time.",
    "ask_which": (
        'The caller gave two numbers: "{first}" and "{second}". Read both back exactly like that, ask which one '
        "the caller wants to use, and call capture_phone_number with the answer."
    ),
    "ask_rest": "Ask the caller for the rest of the number.",
    "ask_keypad": (
        "Ask the caller to type the number on their phone's keypad and finish with the hash key. Wait until "
        "you are told what was typed; do not guess the digits."
    ),
    "propose_keypad": 'The caller typed a number. Read back exactly: "{read_back}" and ask whether it is correct.',
    "keypad_invalid": (
        "What the caller typed is not a valid phone number. Ask the caller to type the whole number again and "
        "finish with the hash key."
    ),
    "keypad_rejected": (
        "The caller typed a number they already said was wrong. Ask the caller to type the whole number again "
        "and finish with the hash key."
    ),
    "not_heard": "No phone number was heard. Ask the caller for the number.",
    "nothing_said": "The caller has not said anything yet. Ask for the phone number.",
    "confirmed": "The number is confirmed. Thank the caller and move on.",
    "failed": "Stop asking for the number. Apologise and offer another way.",
    "declined": "The caller does not want to give a number. Move on without it.",
    "not_proposed": "No number has been read back yet. Ask the caller for the number.",
    "reused": "Wait for the caller's next answer before doing anything more with the number.",
    "finished": "Number capture has already ended.",
    "transcript_nothing_said": "The caller has not spoken yet.",
    "transcript_missing": (
        "No accurate transcript of the caller's latest turn arrived in time. Do not guess; ask the caller to "
        "repeat."
    ),
    "transcript_header": "Accurate transcript of the caller's latest turn:",
})  # fmt: skip

ENGINE_HINTS = EngineHints(
    words=(
        "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "double", "triple",
        "phone number",
    ),
    prompt="My phone number is nine two three, four five six, seven eight nine zero.",
)  # fmt: skip

_UNIT_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEEN_ORDINALS = (
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth",
)  # fmt: skip


def _ordinals() -> dict[str, int]:
    """The ordinals 1 to 31 as engines write them: "twenty-first", "twenty first", "twentyfirst"."""
    found = {word: value for value, word in enumerate((*_UNIT_ORDINALS, *_TEEN_ORDINALS), start=1)}
    found["twentieth"], found["thirtieth"] = 20, 30
    for tens, base, last in (("twenty", 20, 9), ("thirty", 30, 1)):
        for value, unit in enumerate(_UNIT_ORDINALS[:last], start=1):
            for joint in ("-", " ", ""):
                found[f"{tens}{joint}{unit}"] = base + value
    return found


KINDS = KindWords(
    months={
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    },
    month_names=(
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ),
    ordinals=_ordinals(),
    ordinal_names=(
        *_UNIT_ORDINALS, *_TEEN_ORDINALS, "twentieth", *(f"twenty-{u}" for u in _UNIT_ORDINALS), "thirtieth",
        "thirty-first",
    ),
    ordinal_suffixes=("st", "nd", "rd", "th", "."),
    date_joiners=("the", "of", "on"),
    date_read_back="the {day} of {month} {year}",
    other_dates=(
        "meeting", "appointment", "married", "moved", "died", "started", "delivered", "ordered", "paid", "due",
        "deadline", "travelled", "traveled", "arrived", "arrival", "departure", "holiday", "vacation", "since",
        "from", "until", "next", "last", "bought", "o'clock", "pm", "am",
    ),
    before_year=("in", "year", "since", "from", "until", "before", "after", "around", "circa"),
    letters={
        "bee": "b", "cee": "c", "see": "c", "dee": "d", "ef": "f", "eff": "f", "gee": "g", "aitch": "h",
        "jay": "j", "kay": "k", "el": "l", "ell": "l", "em": "m", "en": "n", "pee": "p", "cue": "q", "queue": "q",
        "ar": "r", "are": "r", "ess": "s", "tee": "t", "you": "u", "vee": "v", "double-u": "w", "double u": "w",
        "ex": "x", "why": "y", "zed": "z", "zee": "z",
    },
    letter_names={
        "b": "bee", "c": "cee", "d": "dee", "f": "eff", "g": "gee", "h": "aitch", "j": "jay", "k": "kay",
        "l": "el", "m": "em", "n": "en", "p": "pee", "q": "cue", "r": "ar", "s": "ess", "t": "tee", "v": "vee",
        "w": "double-u", "x": "ex", "y": "why", "z": "zed",
    },
    spelling_alphabet={
        "alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
        "golf": "g", "hotel": "h", "india": "i", "juliett": "j", "juliet": "j", "kilo": "k", "lima": "l", "mike": "m",
        "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s", "tango": "t",
        "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "x-ray": "x", "xray": "x", "yankee": "y",
        "zulu": "z",
    },
    spelled_as=("as in", "for", "like"),
    symbols={
        "at": "@", "@": "@", "dot": ".", "period": ".", "point": ".", "dash": "-", "hyphen": "-", "minus": "-",
        "underscore": "_", "under score": "_",
    },
    symbol_names={"@": "at", ".": "dot", "-": "dash", "_": "underscore"},
    labels={
        "phone": ("phone", "mobile", "cell", "telephone"),
        "birth-number": ("national identity", "national id", "identity number", "personal number", "fødselsnummer",
                         "d-number"),
        "date-of-birth": ("born", "birthday", "birth date", "date of birth", "dob"),
        "postcode": ("postcode", "post code", "postal code", "zip"),
        "email": ("email", "e-mail", "mail"),
        "account-number": ("account",),
        "org-number": ("organisation number", "organization number", "org number", "company number"),
        "card-number": ("card", "visa", "mastercard", "credit", "debit"),
        "customer-number": ("customer",),
        "booking-reference": ("booking", "reference", "confirmation"),
    },
    group_names={
        "birth-number": ("date part", "personal number"),
        "date-of-birth": ("day", "month", "year"),
        "postcode": ("postcode",),
        "email": ("user name", "domain"),
        "account-number": ("first four", "middle", "last five"),
        "org-number": ("first three", "middle three", "last three"),
    },
    part_names=("first part", "second part", "third part", "fourth part", "fifth part", "sixth part"),
)  # fmt: skip

PACK = LanguagePack(
    code="en",
    name="English",
    rank=2,
    aliases=("eng",),
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
