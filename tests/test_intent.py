"""The number the caller means comes first; the others stay, with the reason they lost."""

from __future__ import annotations

import pytest

from sidecar_stt.core.phone import extract_phone_numbers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "language", "intended", "loser", "why"),
    [
        ("nittito trettifire femtiseks syttiåtte, nei unnskyld, førtien tjuetre førtifem sekstisju", "nb",
         "+4741234567", "+4792345678", "retracted"),
        ("nittito trettifire femtiseks syttiåtte, nei, det skal være femtisju, ikke femtiseks", "nb",
         "+4792345778", "+4792345678", "corrected"),
        ("92 34 56 78, nei forresten, 78 skulle være 79", "nb", "+4792345679", "+4792345678", "corrected"),
        ("det gamle var førtifem sekstisju åttini tolv, nå har jeg nittiåtte sekstifem førtitre tjueen", "nb",
         "+4798654321", "+4745678912", "old_number"),
        ("nummeret til mannen min er 41 23 45 67, mitt er 92 34 56 78", "nb", "+4792345678", "+4741234567",
         "someone_else"),
        ("jobben er 22 33 44 55, men ring helst mobilen, 92 34 56 78", "nb", "+4792345678", "+4722334455",
         "not_preferred"),
        ("my old number was nine two three four five six seven eight, the new one is four one two three four "
         "five six seven", "en", "+4741234567", "+4792345678", "old_number"),
    ],
)  # fmt: skip
def test_intended_first_and_why_the_other_lost(text: str, language: str, intended: str, loser: str, why: str) -> None:
    found = extract_phone_numbers(text, language=language)
    assert found[0].e164 == intended and found[0].lost_because == ""
    lost = next(c for c in found if c.e164 == loser)
    assert lost.lost_because == why and lost.score < found[0].score


@pytest.mark.parametrize(
    ("text", "intended"),
    [
        ("nittini null ni, nei unnskyld, førtien åttisju tjueto", "+4799418722"),
        ("94 47, eller 20 mener jeg, 05 14", "+4794200514"),
        ("førtiseks sekstisju åttiseks nittien, nei, femtitre", "+4746678653"),
    ],
)
def test_a_group_replaced_in_the_same_breath(text: str, intended: str) -> None:
    assert extract_phone_numbers(text)[0].e164 == intended


def test_two_numbers_without_any_cue_keep_the_parsers_order() -> None:
    found = extract_phone_numbers("92 34 56 78 og 41 23 45 67")
    assert [c.e164 for c in found] == ["+4792345678", "+4741234567"]
    assert all(c.lost_because == "" for c in found)


def test_parts_are_joined_only_across_a_correction() -> None:
    # two fragments with an ordinary word between them are no number (no cue: the words are not joined)
    assert extract_phone_numbers("nittito trettifire ringte jeg i går, femtiseks syttiåtte") == []
