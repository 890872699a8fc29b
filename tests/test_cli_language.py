"""A re-transcription engine that does not transcribe the call's language is named before it runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recorded_call import RecordedDialogue
from sidecar_stt.cli.language import engine_language, language_mismatch
from sidecar_stt.cli.main import main


@pytest.mark.unit
@pytest.mark.parametrize(
    ("spec", "language"),
    [
        ("whisper:tiny.en", "en"),
        ("whisper:tiny.en?language=no", "en"),  # an English-only model hears English whatever it is told
        ("whisper:base", "no"),
        ("whisper:base?language=en", "en"),
        ("azure:nb-NO", "no"),
        ("azure:en-US", "en"),
        ("deepgram:nova-3?language=no", "no"),
        ("openai:gpt-4o-transcribe", None),
        ("scripted:x.json", None),
    ],
)
def test_the_language_an_engine_spec_transcribes(spec: str, language: str | None) -> None:
    assert engine_language(spec) == language


@pytest.mark.unit
def test_bokmal_and_nynorsk_calls_match_a_norwegian_engine() -> None:
    assert language_mismatch("nb", "whisper:base?language=no") is None
    assert language_mismatch("nn", "azure:nb-NO") is None
    assert language_mismatch("nb", "openai:gpt-4o-transcribe") is None  # the spec does not say: no guess
    warning = language_mismatch("nb", "whisper:tiny.en")
    assert warning == (
        "the call is in Norwegian (nb) but whisper:tiny.en transcribes English only: "
        "its transcript will hardly hold the call's number"
    )


@pytest.mark.livekit
@pytest.mark.timeout(180)
def test_reprocess_warns_when_the_engine_does_not_transcribe_the_calls_language(
    tmp_path: Path, recorded_dialogue: RecordedDialogue, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "calls"
    shutil.copytree(recorded_dialogue.folder, root / recorded_dialogue.call_id)
    call_id = recorded_dialogue.call_id
    assert main(["calls", "--root", str(root), "import"]) == 0
    capsys.readouterr()
    main(["calls", "--root", str(root), "reprocess", call_id, "--engine", "whisper:tiny.en", "--mode", "whole"])
    err = capsys.readouterr().err
    assert f"sidecar calls: warning: {call_id}: the call is in Norwegian (nb) but whisper:tiny.en" in err
