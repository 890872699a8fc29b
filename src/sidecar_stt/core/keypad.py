"""The caller's keypad: presses gathered into one entry, and the words a caller uses to ask for it.

Presses come from SIP DTMF events or from tones found in the audio (:mod:`.dtmf`); either way they reach a
:class:`KeypadEntry`: digits gather, ``#`` finishes the entry, ``*`` starts it over, and an entry left without
``#`` is finished by the adapter after a pause (:meth:`KeypadEntry.finish`). The finished digits go to the
capture as evidence of kind ``"keypad"`` (:meth:`~sidecar_stt.core.capture.PhoneCaptureMachine.keypad`), which
outranks anything heard.
"""

from __future__ import annotations

from typing import Final

from .languages import language_pack

__all__ = ["FINISH_KEY", "KeypadEntry", "asks_for_keypad"]

FINISH_KEY: Final = "#"
CLEAR_KEY: Final = "*"
MAX_ENTRY_DIGITS: Final = 20
"""Digits kept in one entry (an international number has at most 15); the rest are ignored."""


def asks_for_keypad(text: str, language: str = "nb") -> bool:
    """Whether the caller's words ask to type the number on the keypad ("kan jeg taste det inn?"); the words are in
    the language's pack (:class:`~sidecar_stt.core.languages.pack.KeypadWords`)."""
    return language_pack(language).keypad.request.search(text[:2000].lower()) is not None


class KeypadEntry:
    """The digits of one keypad entry, press by press."""

    def __init__(self) -> None:
        self._digits: list[str] = []

    @property
    def pending(self) -> str:
        """The digits pressed since the last finished entry."""
        return "".join(self._digits)

    def press(self, key: str) -> str | None:
        """One key: the finished entry when ``key`` is ``#`` (``""`` when nothing was typed), else ``None``.
        ``*`` clears the entry; letters (A–D) and anything else are ignored."""
        if key == FINISH_KEY:
            return self.finish()
        if key == CLEAR_KEY:
            self._digits.clear()
        elif len(key) == 1 and key.isdigit() and len(self._digits) < MAX_ENTRY_DIGITS:
            self._digits.append(key)
        return None

    def finish(self) -> str:
        """End the entry (``#`` or a pause): its digits, and a fresh entry begins."""
        digits = self.pending
        self._digits.clear()
        return digits

    def clear(self) -> None:
        self._digits.clear()
