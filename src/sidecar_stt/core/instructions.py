"""Every text the realtime model receives from Sidecar, from the caller's language pack.

Add :func:`phone_capture_instructions` to an Agent's instructions: it makes the model hand the number to the
tools instead of repeating its own hearing, and speak the returned read-back exactly. The other entries are what
the tools answer at each step (the exact read-back to speak, a request to repeat, a refusal, ...). The texts are
the ``model_texts`` of each :class:`~sidecar_stt.core.languages.LanguagePack`: Norwegian for nb/nn/no, English
for the others (Swedish and Danish have no texts of their own yet).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .languages import language_pack, language_packs

__all__ = ["MODEL_TEXTS", "model_texts", "phone_capture_instructions"]

MODEL_TEXTS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {pack.code: pack.model_texts for pack in language_packs() if "model_texts" not in pack.borrowed}
)
"""The texts of every language that has its own (``"nb"``, ``"en"``); the other languages borrow one of them."""


def model_texts(language: str = "nb") -> Mapping[str, str]:
    """The texts for ``language``: Norwegian for nb/nn/no, English otherwise."""
    return language_pack(language).model_texts


def phone_capture_instructions(language: str = "nb") -> str:
    """The snippet to add to an Agent's instructions so the model uses the phone-capture tools."""
    return model_texts(language)["capture_instructions"]
