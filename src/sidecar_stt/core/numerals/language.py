"""Language codes the numeral parser understands, and their compiled lexicons."""

from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Final

from . import da, en, nb, nn, sv
from .lexicon import Lexicon, LexiconSpec, compile_lexicon

__all__ = ["LANGUAGES", "get_lexicon", "normalize_language"]

_SPECS: Final[MappingProxyType[str, LexiconSpec]] = MappingProxyType(
    {spec.code: spec for spec in (nb.SPEC, nn.SPEC, en.SPEC, sv.SPEC, da.SPEC)}
)
LANGUAGES: Final[tuple[str, ...]] = tuple(_SPECS)
"""Supported language codes: ``("nb", "nn", "en", "sv", "da")``."""

_ALIASES: Final = MappingProxyType(
    {"no": "nb", "nor": "nb", "nob": "nb", "nno": "nn", "eng": "en", "swe": "sv", "se": "sv", "dan": "da", "dk": "da"}
)


def normalize_language(code: str) -> str:
    """Map a language tag to one of :data:`LANGUAGES`.

    Accepts ``"nb"``, ``"nn"``, ``"no"`` (→ ``"nb"``), region-qualified tags (``"nb-NO"``, ``"en_US"``) and
    three-letter codes, case-insensitively. Raises ``ValueError`` for anything else.
    """
    if not isinstance(code, str):
        raise ValueError("language must be a string")
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    primary = _ALIASES.get(primary, primary)
    if primary not in _SPECS:
        raise ValueError(f"unsupported language {code!r}; expected one of {', '.join(LANGUAGES)}")
    return primary


@cache
def get_lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (any tag :func:`normalize_language` accepts)."""
    return compile_lexicon(_SPECS[normalize_language(language)])
