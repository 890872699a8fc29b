"""Engine text is cleaned at the ledger's door: control characters and emoji never break digit parsing."""

from __future__ import annotations

import pytest

from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.core.transcript_text import MAX_TEXT_CHARS, clean_text

pytestmark = pytest.mark.unit

DIRTY = "nummeret er\x00 ni\u200b to 🙂 tre\x07 fire\r\nfem 👍seks\x1f sju åtte"


def test_dirty_transcripts_parse_like_clean_ones_once_cleaned() -> None:
    cleaned = clean_text(DIRTY)
    assert cleaned == "nummeret er ni to tre fire fem seks sju åtte"
    assert [c.e164 for c in extract_phone_numbers(cleaned)][:1] == ["+4792345678"]


def test_letters_digits_and_punctuation_of_any_script_are_kept_and_length_is_bounded() -> None:
    assert clean_text("Åse, 92 34-56 78. Ça va?") == "Åse, 92 34-56 78. Ça va?"
    assert clean_text("") == ""
    assert len(clean_text("x" * 100_000)) == MAX_TEXT_CHARS
