"""``sidecar demo``: the offline call end to end as a user runs it (subprocess), and the demo's caller logic."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sidecar_stt.core.phone import extract_phone_numbers
from sidecar_stt.demo.reactive_caller import ReactiveCaller
from sidecar_stt.demo.record import DemoRecord
from sidecar_stt.demo.scenario import Scenario, parse_demo_number
from sidecar_stt.errors import ConfigurationError

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]

SIDECAR = Path(sys.executable).with_name("sidecar")
JSON_KEYS = {
    "page",
    "spoken_phone",
    "confirmed_phone",
    "realtime_phone",
    "language",
    "engines",
    "turns",
    "tool_calls",
    "events",
}
TURN_KEYS = {"index", "caller_said", "start_s", "end_s", "realtime_transcript", "sidecar"}


def run_sidecar(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1"}
    return subprocess.run(
        [str(SIDECAR), "demo", *args], capture_output=True, text=True, timeout=150, env=env, check=False
    )


@functools.cache
def demo_json(language: str) -> tuple[int, dict[str, Any], str]:
    proc = run_sidecar("--json", "--speed", "max", "--language", language)
    document = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, document, proc.stderr


def check_schema(doc: dict[str, Any], *, language: str) -> None:
    assert set(doc) >= JSON_KEYS
    assert doc["language"] == language
    for engine in doc["engines"]:
        assert set(engine) == {"name", "label", "kind", "spec"}
        assert engine["kind"] in ("scripted-stand-in", "local")
    for turn in doc["turns"]:
        assert set(turn) >= TURN_KEYS
        assert turn["start_s"] < turn["end_s"]
        assert set(turn["sidecar"]) == {e["name"] for e in doc["engines"]}
    for call in doc["tool_calls"]:
        assert {"name", "arguments", "output"} <= set(call)
        assert isinstance(call["arguments"], dict)
    assert all("type" in e for e in doc["events"])
    # the cost figures: every engine streamed the call (always-on), and kept a transcript of part of it
    assert set(doc["costs"]) == {e["name"] for e in doc["engines"]}
    for cost in doc["costs"].values():
        assert 0 < cost["audio_sent_s"] <= doc["call_audio_s"] + 0.05
        assert 0 < cost["transcript_s"] <= doc["call_audio_s"]


def test_norwegian_call_confirms_the_spoken_number_after_a_rejection() -> None:
    code, doc, stderr = demo_json("nb")
    assert code == 0, stderr
    check_schema(doc, language="nb")
    assert doc["confirmed_phone"] == doc["spoken_phone"] == "+4792345678"
    assert doc["realtime_phone"] is not None and doc["realtime_phone"] != doc["spoken_phone"]
    kinds = {e["name"]: e["kind"] for e in doc["engines"]}
    assert kinds == {"azure-stand-in": "scripted-stand-in", "whisper": "local"}
    assert "stand-in" in next(e["label"] for e in doc["engines"] if e["name"] == "azure-stand-in")
    types = [e["type"] for e in doc["events"]]
    assert "phone_number_rejected" in types
    assert types[-1] == "phone_number_confirmed"
    rejected = [e["e164"] for e in doc["events"] if e["type"] == "phone_number_rejected"]
    assert doc["spoken_phone"] not in rejected
    # the real Whisper produced text on the turns it heard
    assert any(turn["sidecar"]["whisper"].strip() for turn in doc["turns"])
    # the realtime model's own (wrong) argument went to the tool; the tool read back the sidecar's reading
    calls = [c["name"] for c in doc["tool_calls"]]
    assert calls[0] == "capture_phone_number" and "reject_phone_number" in calls and calls[-1] == "confirm_phone_number"
    assert doc["tool_calls"][0]["arguments"]["spoken_number"] != doc["spoken_phone"][3:]
    # the caller said yes only after hearing the right number read back
    said_before_yes = [t["agent_said"] for t in doc["turns"][:-1]]
    assert doc["turns"][-1]["kind"] == "yes"
    heard = [extract_phone_numbers(text or "", language="nb", region="NO") for text in said_before_yes]
    assert heard[-1] and heard[-1][0].e164 == doc["spoken_phone"]
    assert all(h and h[0].e164 != doc["spoken_phone"] for h in heard[:-1])
    # the call was recorded, and the local Whisper at beam 5 over the recording backs the confirmed number
    assert (Path(doc["recording"]) / "caller.wav").is_file() and (Path(doc["recording"]) / "call.jsonl").is_file()
    post = doc["post_call"]
    assert post["engine"] == "whisper:base?language=no&beam=5" and post["segments"]
    assert post["live_e164"] == doc["confirmed_phone"]
    assert post["verdict"] == "agrees" and not post["needs_review"]
    # the post-call engine was sent the speech segments (not the silence) and stored their transcript
    assert 0 < post["transcript_s"] <= post["audio_sent_s"] <= post["audio_s"] + 0.01
    # and its timeline page sits beside the recording, one article per caller turn, the audio inline
    page = Path(doc["page"])
    assert page.parent == Path(doc["recording"]).resolve() and page.name == "call.html"
    source = page.read_text(encoding="utf-8")
    assert source.count('<article class="card turn"') == len(doc["turns"])
    assert 'data-verdict="agrees"' in source and source.count("data:audio/wav;base64,") == 1


def test_english_call_with_whisper_tiny_en_alone() -> None:
    code, doc, stderr = demo_json("en")
    assert code == 0, stderr
    check_schema(doc, language="en")
    assert doc["confirmed_phone"] == doc["spoken_phone"]
    assert doc["realtime_phone"] is not None and doc["realtime_phone"] != doc["spoken_phone"]
    assert [(e["name"], e["kind"], e["spec"]) for e in doc["engines"]] == [("whisper", "local", "whisper:tiny.en")]
    assert doc["turns"][0]["sidecar"]["whisper"].strip()
    confirmed = [e for e in doc["events"] if e["type"] == "phone_number_confirmed"]
    assert confirmed and "whisper" in confirmed[0]["sources"]


def test_timeline_shows_who_heard_what_and_the_verdict() -> None:
    proc = run_sidecar("--speed", "max")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for line in (
        "stand-in for Azure Speech nb-NO (scripted)",
        "Whisper base, local (real)",
        "realtime model",
        "azure-stand-in (scripted)",
        "whisper (real)",
        "capture_phone_number(spoken_number=",
        "reject_phone_number(correction=",
        "confirm_phone_number()",
        "phone_number_rejected",
        "phone_number_confirmed",
        "confirmed +4792345678 = spoken number ✓",
        "the realtime model's own transcript gave +47",
    ):
        assert line in out, line
    assert out.index("turn 1") < out.index("turn 2") < out.index("result") < out.index("after the call")
    assert "verdict: agrees" in out and "sidecar calls --root" in out
    page = out.split("the call's page (open it in a browser): ", 1)[1].split()[0]
    assert Path(page).is_file()
    # progress goes to stderr, not into the timeline
    assert "starting the call" in proc.stderr and "starting the call" not in out


def test_a_bad_number_is_a_usage_error() -> None:
    proc = run_sidecar("--number", "12345")
    assert proc.returncode == 2
    assert "Norwegian" in proc.stderr and not proc.stdout


# -- the demo's caller and scenario, without a call -------------------------------------------------------


def test_caller_says_yes_only_to_the_true_number() -> None:
    scenario = Scenario(language="nb", number="+4792345678")
    caller = ReactiveCaller(scenario)
    assert caller.answer("Jeg har notert nittito, trettifire, femtiseks, syttiåtte. Stemmer det?").kind == "yes"
    wrong_pair = caller.answer("Jeg har notert nittito, trettifire, sekstiseks, syttiåtte. Stemmer det?")
    assert wrong_pair.kind == "correction"
    assert wrong_pair.text == "nei, det er femtiseks, ikke sekstiseks"
    assert wrong_pair.tool == "reject_phone_number"
    assert caller.answer("Jeg har notert nittito, trettifire, sekstiseks, syttisju.").kind == "repeat"
    assert caller.answer("Kan du si nummeret en gang til?").kind == "repeat"


def test_english_caller_corrects_digit_pairs() -> None:
    caller = ReactiveCaller(Scenario(language="en", number="+4792345678"))
    answer = caller.answer("I have nine two, three four, five six, seven seven. Is that right?")
    assert answer.tool == "reject_phone_number"
    assert answer.kind == "correction" and answer.text == "no, it's seven eight, not seven seven"
    assert caller.answer("I have nine two, three four, five six, seven eight. Is that right?").kind == "yes"


@pytest.mark.parametrize("number", ["+4792345678", "+4741234567", "+4790901010", "+4799999999"])
def test_scripted_parties_err_in_valid_numbers_that_differ_from_the_truth(number: str) -> None:
    scenario = Scenario(language="nb", number=number)
    first = scenario.number_utterance(first=True)
    realtime = extract_phone_numbers(first.realtime_heard, language="nb", region="NO")
    stand_in_top = extract_phone_numbers(first.stand_in[0][0], language="nb", region="NO")
    stand_in_second = extract_phone_numbers(first.stand_in[1][0], language="nb", region="NO")
    assert realtime and realtime[0].e164 != scenario.e164
    assert first.tool_arguments["spoken_number"] == realtime[0].e164[3:]
    assert stand_in_top and stand_in_top[0].e164 != scenario.e164
    assert stand_in_second and stand_in_second[0].e164 == scenario.e164
    assert first.stand_in[0][1] > first.stand_in[1][1]
    spoken = extract_phone_numbers(first.text, language="nb", region="NO")
    assert spoken and spoken[0].e164 == scenario.e164


def test_agent_reply_speaks_the_quoted_read_back_only() -> None:
    scenario = Scenario(language="nb")
    output = 'Les opp nøyaktig: "nittito, trettifire, femtiseks, syttiåtte" og spør om det stemmer, særlig "syttiåtte".'
    assert scenario.agent_reply("capture_phone_number", output) == (
        "Jeg har notert nittito, trettifire, femtiseks, syttiåtte. Stemmer det?"
    )
    assert scenario.agent_reply("confirm_phone_number", "Nummeret er bekreftet. Takk.") == scenario.phrases.thanks
    assert scenario.agent_reply("reject_phone_number", "Be innringeren si hele nummeret.") == scenario.phrases.ask_again


@pytest.mark.parametrize("text", ["12345", "+4612345678", "+47 123", "nummer"])
def test_parse_demo_number_rejects_what_is_not_a_norwegian_8_digit_number(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_demo_number(text)


def test_verdict_names_both_numbers() -> None:
    record = DemoRecord(language="nb", spoken_phone="+4792345678", speed=None, engines=[])
    record.realtime_phone = "+4792345677"
    assert not record.ok and record.failure_reason() == "the caller never confirmed a number"
    record.confirmed_phone = "+4792345678"
    assert record.ok and record.failure_reason() is None
    assert record.verdict() == (
        "confirmed +4792345678 = spoken number ✓; the realtime model's own transcript gave +4792345677 ✗"
    )
