"""``SidecarOptions`` checks itself: a bad value raises one ConfigurationError line naming the field, the value
and what is allowed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sidecar_stt.adapters.livekit import SidecarOptions
from sidecar_stt.errors import ConfigurationError

pytestmark = pytest.mark.unit

# one bad value per field (and what the message must say is allowed)
BAD: dict[str, tuple[Any, str]] = {
    "language": ("de", "nb, nn, en, sv, da"),
    "read_back_variants": (["sju"], "tuple of number-word forms"),
    "region": ("XX", "region code"),
    "transcript_timeout_s": (-0.5, "at least 0"),
    "queue_max_s": (0, "above 0"),
    "replay_max_s": (-1.0, "at least 0"),
    "restart_backoff_min_s": (0.0, "above 0"),
    "restart_backoff_max_s": (-5.0, "above 0"),
    "max_restarts": (-1, "at least 0"),
    "restart_window_s": (0.0, "above 0"),
    "restart_backoff_slow_s": (-30.0, "above 0"),
    "recovery_wait_s": (float("inf"), "finite"),
    "close_timeout_s": (float("inf"), "finite"),
    "feed_interval_s": (-0.1, "at least 0"),
    "stall_timeout_s": (float("nan"), "finite"),
    "capture_max_attempts": (0, "at least 1"),
    "realtime_transcript_wait_s": ("0.5", "seconds"),
    "turns": ("vda", "'auto', 'realtime', 'vad'"),
    "own_turns_after_s": (-3.0, "at least 0"),
    "health_interval_s": (0, "above 0"),
    "reinstall_tap": ("yes", "True or False"),
    "keypad_after_failures": (2.5, "None"),
    "keypad_tones": (1, "True or False"),
    "keypad_timeout_s": (None, "seconds"),
    "on_demand": ("false", "True or False"),
    "on_demand_buffer_s": (0.0, "above 0"),
    "on_demand_replay_turns": (0, "at least 1"),
    "on_demand_answer_wait_s": (True, "seconds"),
    "on_demand_grace_s": (-1, "at least 0"),
    "on_demand_start_timeout_s": ([2.0], "seconds"),
}


def test_every_field_has_a_bad_value_here() -> None:
    assert set(BAD) == {f.name for f in dataclasses.fields(SidecarOptions)}


def test_the_defaults_are_valid() -> None:
    assert SidecarOptions().turns == "auto"


@pytest.mark.parametrize(("field", "value", "allowed"), [(f, v, a) for f, (v, a) in BAD.items()], ids=list(BAD))
def test_a_bad_value_names_the_field_the_value_and_what_is_allowed(field: str, value: Any, allowed: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        SidecarOptions(**{field: value})
    message = str(info.value)
    assert message.startswith(f"SidecarOptions.{field}={value!r}: expected "), message
    assert allowed in message
    assert "\n" not in message


@pytest.mark.parametrize(("field", "value", "allowed"), [(f, v, a) for f, (v, a) in BAD.items()], ids=list(BAD))
def test_replace_checks_too(field: str, value: Any, allowed: str) -> None:
    with pytest.raises(ConfigurationError, match=f"SidecarOptions.{field}="):
        dataclasses.replace(SidecarOptions(), **{field: value})


def test_the_restart_backoff_may_not_shrink() -> None:
    with pytest.raises(ConfigurationError) as info:
        SidecarOptions(restart_backoff_min_s=2.0, restart_backoff_max_s=1.0)
    assert str(info.value) == (
        "SidecarOptions.restart_backoff_max_s=1.0: expected at least restart_backoff_min_s (2.0)"
    )
    assert SidecarOptions(restart_backoff_min_s=1.0, restart_backoff_max_s=1.0).restart_backoff_max_s == 1.0


@pytest.mark.parametrize(
    "values",
    [
        # 0 where the code reads it as "do not wait" / "never" / "at once"
        {"transcript_timeout_s": 0, "realtime_transcript_wait_s": 0.0, "on_demand_answer_wait_s": 0.0},
        {"replay_max_s": 0.0, "feed_interval_s": 0.0, "own_turns_after_s": 0.0, "max_restarts": 0},
        {"on_demand_grace_s": 0.0, "on_demand_start_timeout_s": 0.0, "keypad_after_failures": 0},
        # None and the other accepted spellings
        {"keypad_after_failures": None, "language": "nb-NO", "region": "se", "turns": "vad"},
        {"language": "no", "on_demand": True, "on_demand_replay_turns": 3, "queue_max_s": 1},
    ],
)
def test_the_edges_the_code_understands_are_allowed(values: dict[str, Any]) -> None:
    options = SidecarOptions(**values)
    for name, value in values.items():
        assert getattr(options, name) == value  # kept as given, not normalised


def test_a_read_back_form_the_language_lacks_is_one_line_naming_the_field() -> None:
    assert SidecarOptions(read_back_variants=("sju", "tyve")).read_back_variants == ("sju", "tyve")
    with pytest.raises(ConfigurationError, match=r"^SidecarOptions\.read_back_variants=\('sjux',\): ") as caught:
        SidecarOptions(read_back_variants=("sjux",))
    assert "\n" not in str(caught.value)
