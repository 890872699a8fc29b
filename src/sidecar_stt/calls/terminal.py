"""Text for a terminal: transcripts, tool output and call ids stripped of control and escape sequences.

A transcript or a tool's output is text from outside (a caller, a model, a vendor). Printed raw, an ESC sequence
in it could recolour or clear the operator's terminal, set its window title (OSC 0) or write to the clipboard
(OSC 52). :func:`terminal_text` removes every escape sequence (CSI, OSC, DCS and the rest) and replaces every
other control character (C0 but newline and tab, DEL, C1, and the bidirectional overrides that can make a line
read differently from what it holds) with ``�``. :class:`TerminalWriter` applies it to everything written.
"""

from __future__ import annotations

import re
from typing import Final, TextIO

__all__ = ["TerminalWriter", "json_terminal_text", "terminal_text"]

_ESCAPE: Final = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?            # CSI ... final (7- or 8-bit introducer)
    | (?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98])     # OSC, DCS, PM, APC, SOS ...
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?       #   ... up to BEL or ST (or the end)
    | \x1b[ -/]*[0-~]?                            # any other ESC sequence
    """,
    re.VERBOSE,
)
_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """``text`` without escape sequences, other control characters shown as ``�`` (newline and tab kept)."""
    return _CONTROL.sub("\ufffd", _ESCAPE.sub("", text))


def json_terminal_text(text: str) -> str:
    """JSON text safe for a terminal and still the same JSON: the control characters JSON leaves raw (DEL, C1,
    bidirectional controls; C0 are escaped by ``json.dumps`` already) written as ``\\uXXXX`` escapes."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalWriter:
    """A text stream whose every write goes through :func:`terminal_text` (or :func:`json_terminal_text`)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.json = False
        """Write JSON (escapes instead of replacements, so the JSON still reads back the same)."""

    def write(self, text: str) -> int:
        return self.stream.write(json_terminal_text(text) if self.json else terminal_text(text))

    def flush(self) -> None:
        self.stream.flush()
