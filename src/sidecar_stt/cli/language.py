"""Which language an engine spec transcribes, and a warning when it is not the language of the call it is given.

Re-transcribing a Norwegian call with an English-only model (``whisper:tiny.en``) or an engine set to another
language runs without an error and finds no number; ``sidecar calls reprocess`` and ``enqueue`` say so first.
"""

from __future__ import annotations

from sidecar_stt.engines.spec import parse_spec

__all__ = ["engine_language", "language_mismatch"]

_NAMES = {"no": "Norwegian", "en": "English", "sv": "Swedish", "da": "Danish"}
_FAMILY = {"nb": "no", "nn": "no", "no": "no"}
"""Bokmål, nynorsk and "Norwegian" are one language to an engine."""
_DEFAULT_LANGUAGE = {"whisper": "no", "azure": "nb"}
"""What the kinds that set a language by default transcribe (the others follow their vendor's default)."""


def _family(language: str) -> str:
    base = language.strip().lower().replace("_", "-").partition("-")[0]
    return _FAMILY.get(base, base)


def engine_language(spec: str) -> str | None:
    """The language ``spec`` transcribes (``"en"``, ``"no"`` ...), or ``None`` when the spec does not say."""
    parsed = parse_spec(spec)
    if parsed.kind == "whisper" and parsed.model.endswith(".en"):
        return "en"  # an English-only Whisper model, whatever its language parameter says
    language = parsed.params.get("language")
    if language is None and parsed.kind == "azure" and parsed.model:
        language = parsed.model  # a locale such as nb-NO
    if language is None:
        language = _DEFAULT_LANGUAGE.get(parsed.kind)
    return None if not language else _family(language)


def language_mismatch(call_language: str, spec: str) -> str | None:
    """A one-line warning when ``spec`` transcribes another language than the call's, else ``None``."""
    engine = engine_language(spec)
    call = _family(call_language)
    if engine is None or engine == call:
        return None
    only = " only" if parse_spec(spec).model.endswith(".en") else ""
    return (
        f"the call is in {_NAMES.get(call, call)} ({call_language}) but {spec} transcribes "
        f"{_NAMES.get(engine, engine)}{only}: its transcript will hardly hold the call's number"
    )
