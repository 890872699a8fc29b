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
)
