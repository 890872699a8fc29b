"""Number words used to bias engines toward spoken phone numbers (phrase lists, prompts, hotwords).

Only the words themselves live here; each engine decides how to pass them on (Azure phrase list, Whisper
``initial_prompt``, OpenAI ``prompt``). Languages are matched on their primary subtag, so ``nb-NO`` and ``nb``
both find the Norwegian words.
"""

from __future__ import annotations

__all__ = ["base_language", "number_prompt", "number_words"]

_NB_UNITS = ("null", "en", "én", "ein", "to", "tre", "fire", "fem", "seks", "sju", "syv", "åtte", "ni")
_NB_TEENS = ("ti", "elleve", "tolv", "tretten", "fjorten", "femten", "seksten", "sytten", "atten", "nitten")
_NB_TENS = ("tjue", "tyve", "tretti", "tredve", "førti", "firti", "femti", "seksti", "sytti", "åtti", "nitti")
_NB_COMPOUND_UNITS = ("en", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni")
_NB_TENS_MODERN = ("tjue", "tretti", "førti", "femti", "seksti", "sytti", "åtti", "nitti")

_EN_WORDS = (
    "zero",
    "oh",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "double",
    "triple",
)

_SV_WORDS = ("noll", "ett", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "tjugo", "trettio")
_DA_WORDS = ("nul", "en", "et", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "tyve", "tredive")


def _norwegian_words() -> tuple[str, ...]:
    words: list[str] = [*_NB_UNITS, *_NB_TEENS, *_NB_TENS]
    words += [tens + unit for tens in _NB_TENS_MODERN for unit in _NB_COMPOUND_UNITS]
    words += ["telefonnummer", "mobilnummer", "nummeret"]
    return tuple(dict.fromkeys(words))


_WORDS: dict[str, tuple[str, ...]] = {
    "no": _norwegian_words(),
    "en": (*_EN_WORDS, "phone number"),
    "sv": (*_SV_WORDS, "telefonnummer"),
    "da": (*_DA_WORDS, "telefonnummer"),
}

_PROMPTS: dict[str, str] = {
    "no": (
        "Telefonnummeret mitt er ni to tre fire fem seks sju åtte, "
        "eller nittito trettifire femtiseks syttiåtte, førtifem sekstisju åttini null en."
    ),
    "en": "My phone number is nine two three, four five six, seven eight nine zero.",
    "sv": "Mitt telefonnummer är noll sju noll, ett två tre, fyra fem sex.",
    "da": "Mit telefonnummer er to tre fire fem, seks syv otte ni.",
}


def base_language(language: str) -> str:
    """The primary subtag with Norwegian variants folded: ``nb-NO``/``nb``/``nn``/``no`` → ``no``."""
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return "no" if primary in ("nb", "nn", "no") else primary


def number_words(language: str) -> tuple[str, ...] | None:
    """Number words (and a few phone-number nouns) for ``language``, or ``None`` when Sidecar has none."""
    return _WORDS.get(base_language(language))


def number_prompt(language: str) -> str | None:
    """A short sentence with a spoken phone number in ``language`` to prime a decoder, or ``None``."""
    return _PROMPTS.get(base_language(language))
