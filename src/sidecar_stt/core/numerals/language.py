"""Language codes the numeral parser understands, and their compiled lexicons.

The codes and the number words come from the language packs (:mod:`sidecar_stt.core.languages`).
"""

from __future__ import annotations

from functools import cache

from ..languages import LANGUAGES, language_pack, normalize_language
from .lexicon import Lexicon, compile_lexicon

__all__ = ["LANGUAGES", "get_lexicon", "normalize_language"]


@cache
def get_lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (any tag :func:`normalize_language` accepts)."""
    return compile_lexicon(language_pack(language).numbers)
