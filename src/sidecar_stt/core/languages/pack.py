"""The shape of a language pack: every word list and text of one language, as one typed structure.

A :class:`LanguagePack` is built once, in its language's module (``nb``, ``nn``, ``en``, ``sv``, ``da``), from
plain tables. The modules that use the words (the number reader, corrections, intent, listen cues, the keypad
request, read-backs, the model's texts, engine hints) read them from the pack; none keeps a table of its own.
Where a language has no words of its own for a concern, its pack names the pack it borrows them from (Swedish
and Danish speak to the model in English, for instance) — a borrowed table is the very object of the other pack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "AnswerWords",
    "CorrectionWords",
    "EngineHints",
    "IntentWords",
    "KeypadWords",
    "KindWords",
    "LanguagePack",
    "ListenCues",
    "NumberWords",
    "ReadBackWords",
    "WhoseWords",
]


@dataclass(frozen=True, slots=True)
class NumberWords:
    """The spoken-number vocabulary of one language (keys are lowercase NFC words); the numeral reader compiles
    it (:func:`~sidecar_stt.core.numerals.lexicon.compile_lexicon`)."""

    code: str
    num2words_lang: str
    """The language ``num2words`` writes read-backs in (``"no"`` for both Norwegian written forms)."""
    units: Mapping[str, int]
    teens: Mapping[str, int]
    tens: Mapping[str, int]
    hundred: tuple[str, ...]
    thousand: tuple[str, ...]
    conjunctions: tuple[str, ...]
    multipliers: Mapping[str, int] = field(default_factory=dict)
    plus_words: tuple[str, ...] = ()
    """Words that announce a country code: "pluss", "landskode"."""
    fillers: tuple[str, ...] = ()
    """Hesitations and discourse words allowed between number groups; they mark a pause."""
    filler_phrases: tuple[str, ...] = ()
    """Hesitations of several words ("la meg se", "hva var det nå igjen", "hang on"): a pause inside a number, as
    a single filler is; matched with any spaces or commas between the words."""
    weak: frozenset[str] = frozenset()
    """Number words that are also ordinary words (articles, prepositions): never evidence on their own."""
    compounds: bool = True
    """Whether number words are written together ("nittito", "femogførti", "etthundratjugotre")."""
    quantity_words: tuple[str, ...] = ()
    """Words that, right after a number run, make it a quantity rather than a phone number ("kroner")."""
    label_words: tuple[str, ...] = ()
    """Words that, shortly before a number run, name a non-phone number ("kontonummer")."""
    spelling_rules: tuple[tuple[str, str], ...] = ()
    """How dialects and engines spell the number words otherwise, as ``(regex, replacement)`` over a word ("e" →
    "æ": "fæm", "sæks"; a teen's "en" → "an": "søttan"). A lenient reading knows every word that one or two rules
    make of a number word (:func:`~sidecar_stt.core.numerals.lexicon.search_lexicon`)."""
    times_words: tuple[str, ...] = ()
    """Words between a count and a digit that repeat it: "tre ganger null" is "000"."""
    plural_digits: tuple[tuple[str, int], ...] = ()
    """A digit's plural after a count repeats it too: "tre nuller" is "000"."""
    countries: tuple[tuple[str, str], ...] = ()
    """Starts of words naming a country or its people, with its region ("sverige"/"svensk" → ``SE``): a number said
    after one in its sentence that is no number of the call's region is read as one of that country's, written as
    it is dialled there ("Nummeret mitt i Sverige er 070-812 34 56")."""


@dataclass(frozen=True, slots=True)
class AnswerWords:
    """How a caller answers a read-back."""

    yes: tuple[str, ...]
    """A yes ("ja", "stemmer", "yes", "correct")."""
    no: tuple[str, ...]
    """A no ("nei", "feil", "no", "wrong")."""
    yes_phrases: tuple[str, ...] = ()
    """Set phrases that mean yes although they hold a no word ("ja nei, det stemmer det", "nei da")."""
    repeat: tuple[str, ...] = ()
    """A request to hear it again ("hæ?", "hva?", "unnskyld?", "sorry?"): never a yes, never a no."""


@dataclass(frozen=True, slots=True)
class CorrectionWords:
    """How a caller corrects part of a read-back ("nei, det er førtiseks, ikke førtifem")."""

    negations: tuple[str, ...]
    """Before the value that was wrong: "ikke", "i stedet for", "not", "instead of"."""
    positions: tuple[tuple[str, int], ...]
    """Words naming a group, with its index (0 = first, -1 = last, -2 = second to last); the first that matches
    wins, so longer phrases come before the words they contain."""
    replaced_by: tuple[str, ...]
    """Between an old value and its new one: "61 skulle være 36", "forty five should be forty six"."""
    counted: tuple[str, ...]
    """Words after a number that make it a count ("de fire siste sifrene"), not a value. Heard in any language
    (the reader takes the counted words of every pack)."""
    clause_breaks: tuple[str, ...]
    """Words that end a clause as a comma does ("men", "but"). Heard in any language, as :attr:`counted`."""
    clarifiers: tuple[str, ...] = ()
    """After a group, before the same digits said one by one or a word for it: a clarification, not more digits
    ("sytten, som i én sju"; "null, som i ingenting")."""


@dataclass(frozen=True, slots=True)
class WhoseWords:
    """The words that tell whose a number is: one the caller tells of, attributed to someone or something else, is
    not theirs to register unless offered as the contact (:func:`~sidecar_stt.core.whose.told_of`). Lower case;
    several words match with any spaces or commas between."""

    offer: tuple[str, ...] = ()
    """Before a number in its sentence: the caller gives it as the one to reach someone on ("ring", "nå meg",
    "registrer", "på vegne av", "skal ha beskjed") — whoever it belongs to."""
    own: tuple[str, ...] = ()
    """In the number's clause before it: the caller calls it their own ("nummeret mitt", "mitt er")."""
    deny: tuple[str, ...] = ()
    """A word right before an offer that denies it ("ikke ring")."""
    source: tuple[str, ...] = ()
    """Right before a number: where something came from ("fra")."""
    number_nouns: tuple[str, ...] = ()
    """Words for a number that may stand between :attr:`source` and the digits ("fra nummeret")."""
    received: tuple[str, ...] = ()
    """Before :attr:`source`: something came to someone ("fikk", "SMS", "regning", "anrop"), so the number is the
    sender's."""
    self_subjects: tuple[str, ...] = ()
    """The caller as the one who acts ("jeg", "vi"): "jeg ringer fra …" is the caller's own number."""
    other_subjects: tuple[str, ...] = ()
    """Someone else as the one who acts ("dere", "han", "noen"): "Dere ringte meg fra …" is theirs."""
    read_off: tuple[str, ...] = ()
    """In the number's clause: the caller reads it off a caller-ID display ("på displayet"): whoever called. (A
    number read off a note or a contract says nothing of whose it is.)"""
    other_holders: tuple[str, ...] = ()
    """In the number's clause: a holder outside the call ("naboen", "kollegaen", "han som", "sentralbordet",
    "nummeret hans"). Relatives are not listed: a relative's number stated plainly may be the contact."""
    pointing_back: tuple[str, ...] = ()
    """In the number's clause: a pronoun for a holder named earlier in the sentence ("naboen min, hun har …")."""
    asked_back: tuple[str, ...] = ()
    """In a question about the number: the company or its number ("deres", "er det dere", "kundeservice")."""


@dataclass(frozen=True, slots=True)
class IntentWords:
    """The cue words that tell which of several numbers the caller means (lower case; several words match with
    any spaces or commas between)."""

    correction: tuple[str, ...]
    """A correction follows: the digits after it replace what came before."""
    correction_or: tuple[str, ...]
    """"or" — a correction only when a postfix cue closes it ("eller tjue mener jeg")."""
    correction_postfix: tuple[str, ...]
    """Closes a correction after its value ("mener jeg")."""
    for_next: tuple[str, ...]
    """Before a number: the caller wants it (new, preferred, their own)."""
    insist_next: tuple[str, ...]
    """Before a number: the caller asks for exactly this one to be registered ("registrer heller", "isteden"),
    which outweighs whose number it is."""
    against_next: tuple[str, ...]
    """Before a number: not the one (old, someone else's)."""
    against_previous: tuple[str, ...]
    """After a number: not the one ("registrert", "før", "er gammelt")."""
    prefer: tuple[str, ...]
    """A closing preference ("ring helst", "bruk", "det er best")."""
    first: tuple[str, ...]
    last: tuple[str, ...]
    labels: tuple[str, ...]
    """Kinds of number a preference may name ("mobil", "jobb", "privat"); matched as the start of a word."""
    someone_else: tuple[str, ...]
    """Before a number that lost to another: words that make it someone else's rather than an old one ("til",
    "my wife"). Heard in any language (the reader takes the words of every pack)."""
    names: tuple[str, ...]
    """Words besides :attr:`labels` by which a caller names one of two numbers ("det gamle", "det nye"); a question
    about which one the caller means quotes them (:mod:`~sidecar_stt.core.number_choice`)."""
    ranking: tuple[str, ...] = ()
    """The words of :attr:`prefer` that rank a number rather than ask for a call ("best", "helst"): one leading
    into a number in its clause speaks for it ("Det beste er å sende SMS til …"); "ring …" does not."""
    other_names: tuple[str, ...] = ()
    """Names of another number than the one just said ("det andre", "det gamle"): a clause after a number that
    begins with one speaks of that other number ("…, det andre er sagt opp")."""
    then_now: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    """Words that alone lead to a number, setting it in time: the first ones old ("før 41 38 27 60"), the second
    ones new ("nå 41 38 72 06")."""
    examples: tuple[str, ...] = ()
    """Right before the only number in its clause: it is an example of a form, not the caller's ("sånn som …",
    "for eksempel …")."""
    either: tuple[str, ...] = ()
    """After two numbers: the caller leaves the choice open ("ta den du vil", "begge er mine"), so the words name
    neither and the capture asks."""
    swap: tuple[str, ...] = ()
    """After a number: two of its groups were said in the wrong order ("bytt om de to i midten")."""
    middle: tuple[str, ...] = ()
    """Names the two middle groups of four ("i midten")."""
    retraction: tuple[str, ...] = ()
    """After the only number, with no number after them: the caller takes it back and gives none ("stryk det",
    "det er ikke riktig")."""
    apologies: tuple[str, ...] = ()
    """Correction words that may only excuse a pause ("sorry", "unnskyld"): between two parts that make the whole
    number together, what follows goes on with it."""
    called_past: tuple[str, ...] = ()
    """Before a number in the same sentence: the caller tells of a call made to someone ("ringte"): the number is
    the one called, not one to register — unless one of :attr:`called_own` comes between."""
    called_own: tuple[str, ...] = ()
    """Between :attr:`called_past` and the number: the call came from or to the caller ("meg", "fra")."""
    called_ends: tuple[str, ...] = ()
    """Between :attr:`called_past` and the number: a new statement begins ("jeg har ringt tre ganger i dag,
    nummeret er …"), so the number is not the one called."""
    whose: WhoseWords = field(default_factory=WhoseWords)
    """Whose a number is (:mod:`~sidecar_stt.core.whose`)."""


@dataclass(frozen=True, slots=True)
class ListenCues:
    """When the agent's own words ask the caller for a phone number (:func:`~sidecar_stt.core.listen_cues.
    asks_for_number`): a sentence that matches :attr:`number` and :attr:`ask` and not :attr:`rules_out`. The patterns
    read lower-cased text."""

    number: re.Pattern[str]
    """Names the phone number ("telefonnummeret", "number", "nå deg")."""
    ask: re.Pattern[str]
    """Asks for it (a question mark, "hva", "kan du", "oppgi", "what", "tell me")."""
    rules_out: re.Pattern[str]
    """Rules the sentence out (a negation, a number already saved, a read-back to confirm)."""


@dataclass(frozen=True, slots=True)
class KeypadWords:
    """How a caller asks to type the number on the keypad ("kan jeg taste det inn?")."""

    request: re.Pattern[str]
    """Matches the lower-cased words of a caller who asks for the keypad."""


@dataclass(frozen=True, slots=True)
class ReadBackWords:
    """How a number is read back to the caller (the words themselves come from ``num2words``)."""

    home_region: str
    """The region whose numbers are read without a country code (``"NO"``, ``"SE"``)."""
    plus_word: str
    """Said before a foreign country code ("pluss førtiseks")."""
    digits_in_pairs: bool = False
    """Whether a pair is said digit by digit ("nine two, three four") rather than as a number ("nittito")."""
    word_forms: Mapping[str, str] = field(default_factory=dict)
    """``num2words`` words said in another form in this language (nynorsk "ein" for "en")."""
    ending_forms: Mapping[str, str] = field(default_factory=dict)
    """Endings of the read-back's last word said in another form ("tjuesyv" → "tjuesju" in nynorsk)."""
    variants: tuple[tuple[str, ...], ...] = ()
    """Forms of one number word that people say interchangeably (sju/syv, tjue/tyve), the form a read-back says
    by default first; a read-back follows the form the caller used (:func:`~sidecar_stt.core.readback.
    heard_variants`) or the one the app fixes. Every form is a number word of :attr:`LanguagePack.numbers`."""


@dataclass(frozen=True, slots=True)
class EngineHints:
    """Words that bias a speech engine toward spoken phone numbers (phrase lists, prompts, hotwords)."""

    words: tuple[str, ...]
    """Number words and a few phone-number nouns."""
    prompt: str
    """A short sentence with a spoken phone number, to prime a decoder."""


@dataclass(frozen=True, slots=True)
class KindWords:
    """The words of the structured answers besides phone numbers (:mod:`sidecar_stt.core.kinds`): dates, letters
    spelled out, e-mail symbols, the labels that name a kind and the names of its groups."""

    months: Mapping[str, int]
    """Month names and their short forms, with the month's number ("oktober": 10, "okt": 10)."""
    month_names: tuple[str, ...]
    """The twelve names a read-back says, January first."""
    ordinals: Mapping[str, int]
    """Ordinal words of 1 to 31 ("femtende": 15, "tiende": 10), every form people say and engines write."""
    ordinal_names: tuple[str, ...]
    """The 31 ordinals a read-back says, the first first."""
    ordinal_suffixes: tuple[str, ...]
    """What follows printed digits to make an ordinal ("." in "15."; "th" in "15th")."""
    date_joiners: tuple[str, ...]
    """Words between the parts of a spoken date ("den", "i": "den femtende i tiende")."""
    date_read_back: str
    """How a date is read back, with ``{day}``, ``{month}`` and ``{year}`` ("{day} {month} {year}")."""
    other_dates: tuple[str, ...]
    """Words that, before a date, make it some other day than a birth date ("møte", "time", "flyttet")."""
    before_year: tuple[str, ...]
    """Words right before a number that make it a year ("i 1986", "siden 2004"), not a postcode or a code."""
    letters: Mapping[str, str]
    """Spoken letter names → the letter ("be": "b", "kå": "k", "dobbelt-ve": "w"); a letter said as itself needs
    no entry."""
    letter_names: Mapping[str, str]
    """The name a read-back says for each letter that has one ("k": "kå")."""
    spelling_alphabet: Mapping[str, str]
    """The names of a spelling alphabet, each for its letter ("gustav": "g", "x-ray": "x"); read in codes only (an
    e-mail address may hold the name itself)."""
    spelled_as: tuple[str, ...]
    """Between a letter and a word that begins with it ("a som i anna", "b for bertil")."""
    symbols: Mapping[str, str]
    """Spoken symbols of an e-mail address → the symbol ("krøllalfa": "@", "punktum": ".")."""
    symbol_names: Mapping[str, str]
    """The name a read-back says for each symbol ("@": "krøllalfa")."""
    labels: Mapping[str, tuple[str, ...]]
    """Per kind (``"birth-number"``, ``"postcode"`` …), the words that name it ("fødselsnummer", "postnummer");
    matched as the start of a word."""
    group_names: Mapping[str, tuple[str, ...]]
    """Per kind, the names of its read-back groups, in order, for a partial correction ("dag", "måned", "år")."""
    part_names: tuple[str, ...]
    """Names of the groups of a kind without names of its own, in order ("første del", "andre del", …)."""


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """Every word list and text of one language."""

    code: str
    """The language's code in :data:`~sidecar_stt.core.languages.LANGUAGES` (``"nb"``)."""
    name: str
    """The language's name in English ("Norwegian bokmål")."""
    rank: int
    """Its place in :data:`~sidecar_stt.core.languages.LANGUAGES` (and so in help texts and error messages)."""
    aliases: tuple[str, ...]
    """Other primary subtags that mean this language (``"no"``, ``"nob"``); region subtags are always dropped."""
    numbers: NumberWords
    answers: AnswerWords
    corrections: CorrectionWords
    intent: IntentWords
    listen_cues: ListenCues
    keypad: KeypadWords
    read_back: ReadBackWords
    model_texts: Mapping[str, str]
    """Every text the realtime model receives (instructions, the capture's steps, the keypad, transcripts)."""
    engine_hints: EngineHints
    kinds: KindWords
    """The words of structured answers besides phone numbers (dates, spelled letters, e-mail, labels)."""
    borrowed: Mapping[str, str] = field(default_factory=dict)
    """Fields this language takes from another pack, with that pack's code (``{"model_texts": "en"}``)."""
