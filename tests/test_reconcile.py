"""Reconciling the live capture with a post-call transcription (pure)."""

from __future__ import annotations

import pytest

from sidecar_stt.calls import reconcile
from sidecar_stt.calls.reconciliation import differing_groups

pytestmark = pytest.mark.unit

LIVE = "+4792345678"


def test_agrees_when_the_confirmed_number_is_in_the_recording() -> None:
    result = reconcile(LIVE, ["+4741234567", LIVE])
    assert result.verdict == "agrees" and not result.needs_review and result.reason is None
    assert result.post_e164 == LIVE and result.numbers == ("+4741234567", LIVE)


def test_disagrees_names_the_pairs_that_differ() -> None:
    result = reconcile(LIVE, ["+4792345677"])
    assert result.verdict == "disagrees" and result.needs_review
    assert result.differing_groups == (3,)
    assert result.reason is not None and "groups 4" in result.reason and "92" not in result.reason


def test_disagrees_picks_the_closest_number() -> None:
    result = reconcile(LIVE, ["+4741234567", "+4792345578"])
    assert result.post_e164 == "+4792345578" and result.differing_groups == (2,)


def test_live_failed_but_the_recording_holds_a_number() -> None:
    result = reconcile(None, [LIVE, "+4741234567"])
    assert result.verdict == "recovered" and result.post_e164 == "+4741234567" and result.needs_review


def test_no_number_anywhere() -> None:
    result = reconcile(None, [])
    assert result.verdict == "no_number" and not result.needs_review


def test_confirmed_but_not_in_recording() -> None:
    result = reconcile(LIVE, [])
    assert result.verdict == "not_in_recording" and result.needs_review


@pytest.mark.parametrize(
    ("expected", "found", "groups"),
    [
        ("92345678", "92345678", ()),
        ("92345678", "12345678", (0,)),
        ("92345678", "92845670", (1, 3)),
        ("92345678", "9234567", (3,)),  # a digit missing at the end
        ("92345678", "923456789", (3,)),  # one too many
    ],
)
def test_differing_groups(expected: str, found: str, groups: tuple[int, ...]) -> None:
    assert differing_groups(expected, found) == groups
