"""Number words used to bias engines toward spoken phone numbers (phrase lists, prompts, hotwords).

The words live in each language's pack (:class:`~sidecar_stt.core.languages.pack.EngineHints`); each engine
decides how to pass them on (Azure phrase list, Whisper ``initial_prompt``, OpenAI ``prompt``). Languages are
matched on their primary subtag, so ``nb-NO`` and ``nb`` both find the Norwegian words; both Norwegian written
forms share one set (``no``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from ..core.languages import language_packs
from ..core.languages.pack import EngineHints

__all__ = ["base_language", "number_prompt", "number_words"]


def base_language(language: str) -> str:
    """The primary subtag with Norwegian variants folded: ``nb-NO``/``nb``/``nn``/``no`` → ``no``."""
    primary = language.strip().replace("_", "-").split("-", 1)[0].lower()
    return "no" if primary in ("nb", "nn", "no") else primary


_HINTS: Final = MappingProxyType(
    {
        base_language(pack.code): pack.engine_hints
        for pack in reversed(language_packs())  # the first pack of a base language wins: nb before nn
    }
)


def _hints(language: str) -> EngineHints | None:
    return _HINTS.get(base_language(language))


def number_words(language: str) -> tuple[str, ...] | None:
    """Number words (and a few phone-number nouns) for ``language``, or ``None`` when Sidecar has none."""
    hints = _hints(language)
    return hints.words if hints is not None else None


def number_prompt(language: str) -> str | None:
    """A short sentence with a spoken phone number in ``language`` to prime a decoder, or ``None``."""
    hints = _hints(language)
    return hints.prompt if hints is not None else None
