"""Language packs: every word list and text of a language in one module, one typed structure.

Each public module of this package (``nb``, ``nn``, ``en``, ``sv``, ``da``) builds one
:class:`~.pack.LanguagePack` named ``PACK``; the registry finds them by listing the package, so a new language
is one new module (plus its tests). :func:`language_pack` maps a language tag to its pack: ``"nb-NO"``,
``"nb"``, ``"no"`` (→ bokmål), ``"en_US"``, three-letter codes, case-insensitively.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache, lru_cache
from types import MappingProxyType

from .pack import LanguagePack

__all__ = ["LANGUAGES", "LanguagePack", "language_pack", "language_packs", "normalize_language"]

_NOT_PACKS = frozenset({"pack"})
"""Public modules of the package that hold no pack."""


@cache
def _registry() -> tuple[MappingProxyType[str, LanguagePack], MappingProxyType[str, str]]:
    """Every pack by code (in rank order) and every accepted primary subtag → code."""
    packs: list[LanguagePack] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_") or module.name in _NOT_PACKS:
            continue
        pack = importlib.import_module(f"{__name__}.{module.name}").PACK
        if not isinstance(pack, LanguagePack) or pack.code != module.name:
            raise TypeError(f"{__name__}.{module.name}.PACK must be the LanguagePack of code {module.name!r}")
        packs.append(pack)
    packs.sort(key=lambda p: (p.rank, p.code))
    codes: dict[str, str] = {}
    for pack in packs:
        for tag in (pack.code, *pack.aliases):
            if codes.setdefault(tag, pack.code) != pack.code:
                raise ValueError(f"language tag {tag!r} claimed by both {codes[tag]!r} and {pack.code!r}")
    return MappingProxyType({p.code: p for p in packs}), MappingProxyType(codes)


def language_packs() -> tuple[LanguagePack, ...]:
    """Every pack, in the order of :data:`LANGUAGES`."""
    return tuple(_registry()[0].values())


LANGUAGES: tuple[str, ...] = tuple(_registry()[0])
"""Supported language codes: ``("nb", "nn", "en", "sv", "da")``."""


def normalize_language(code: str) -> str:
    """Map a language tag to one of :data:`LANGUAGES`.

    Accepts ``"nb"``, ``"nn"``, ``"no"`` (→ ``"nb"``), region-qualified tags (``"nb-NO"``, ``"en_US"``) and
    three-letter codes, case-insensitively. Raises ``ValueError`` for anything else.
    """
    if not isinstance(code, str):
        raise ValueError("language must be a string")
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    found = _registry()[1].get(primary)
    if found is None:
        raise ValueError(f"unsupported language {code!r}; expected one of {', '.join(LANGUAGES)}")
    return found


@lru_cache(maxsize=256)
def language_pack(code: str) -> LanguagePack:
    """The pack of ``code`` (any tag :func:`normalize_language` accepts; ``ValueError`` otherwise)."""
    return _registry()[0][normalize_language(code)]
