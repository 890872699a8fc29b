"""Hostile text in every field of a call never becomes markup, a script or a link on its page: it is shown as
the text it is. Checked on the HTML (parsed) and in headless Chromium (no dialog, no request, text intact)."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sidecar_stt.calls import StoredCall, render_call_page, write_call_page
from sidecar_stt.calls.store import CallSummary, ReprocessRun
from sidecar_stt.core.ledger import UserTurn
from sidecar_stt.core.segment import Alternative, Segment
from sidecar_stt.recording.record import CallRecord, RecordedMessage, RecordedToolCall, segment_to_json

HOSTILE = (
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
)
EVIL = " ".join(HOSTILE)
"""All three in one text: each field carries every attack."""

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def hostile_call(tmp_path: Path, *, with_number: bool = True) -> StoredCall:
    number = "+4792345678" if with_number else EVIL
    segment = Segment(
        source=EVIL,
        segment_id=EVIL,
        start_s=0.5,
        end_s=2.0,
        is_final=True,
        alternatives=(Alternative(EVIL + " nittito trettifire femtiseks syttiåtte", 0.9), Alternative(EVIL, None)),
        turn_id=EVIL,
    )
    unheard = Segment(EVIL, EVIL + "2", 3.0, 3.5, True, (Alternative(EVIL, 0.5),), turn_id=None)
    events: list[dict[str, Any]] = [
        {
            "type": "phone_number_proposed",
            "e164": number,
            "read_back": EVIL,
            "proposal_id": EVIL,
            "utterance_id": EVIL,
            "attempt": EVIL,
            "rule": EVIL,
            "sources": [EVIL],
            "at_s": 2.1,
        },
        {"type": "capture_step_refused", "reason": EVIL, "rule": EVIL, "at_s": 2.2},
        {"type": "phone_number_confirmed", "e164": number, "proposal_id": EVIL, "at_s": 2.5},
    ]
    record = CallRecord(
        call_id=EVIL,
        started_at=1_700_000_000.0,
        ended_at=1_700_000_010.0,
        audio_s=4.0,
        engines=(EVIL,),
        turns=[UserTurn(turn_id=EVIL, start_s=0.5, end_s=2.0, item_id=EVIL, realtime_transcript=EVIL)],
        segments=[segment, unheard],
        messages=[
            RecordedMessage("assistant", EVIL, EVIL, 0.1),
            RecordedMessage("assistant", EVIL, EVIL + "b", 2.3),
        ],
        tool_calls=[RecordedToolCall(EVIL, {EVIL: EVIL}, EVIL, EVIL, 2.05, is_error=True)],
        capture_events=events,
        engine_events=[
            {"type": "engine_failed", "source": EVIL, "error": EVIL, "at_s": 1.0},
            {"type": "frames_dropped", "source": EVIL, "count": EVIL, "at_s": 1.5},
        ],
        meta={EVIL: EVIL},
        complete=False,
        costs={EVIL: {"audio_sent_s": 1.0, "transcript_s": 0.5}},
    )
    summary = CallSummary(EVIL, record.started_at, 4.0, False, record.live_outcome, True, EVIL)
    run = ReprocessRun(
        call_id=EVIL,
        engine_spec=EVIL,
        mode=EVIL,
        status="done",
        started_at=1.0,
        finished_at=2.0,
        processing_s=1.0,
        segments=[segment_to_json(segment)],
        numbers=[number, "+4792345677"],
        found_e164="+4792345677",
        verdict="disagrees",
        differing_groups=[3],
        error=EVIL,
        audio_sent_s=1.0,
        transcript_s=1.0,
    )
    failed = ReprocessRun(EVIL, EVIL + "x", EVIL, EVIL, 1.0, None, None, [], [], None, EVIL, [], EVIL)
    folder = tmp_path / "call"
    folder.mkdir(exist_ok=True)
    return StoredCall(summary=summary, folder=folder, record=record, runs=[run, failed])


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)


def check_page(html: str) -> _Elements:
    parsed = _Elements()
    parsed.feed(html)
    parsed.close()
    tags = [tag for tag, _ in parsed.tags]
    assert "img" not in tags
    for tag, attrs in parsed.tags:
        assert not [name for name in attrs if name.startswith("on")], tag
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            assert not attrs.get(name, "").strip().lower().startswith("javascript:"), (tag, attrs)
    # the two script blocks of the page, whole: the waveform's numbers and the page's own code
    assert tags.count("script") == 2
    peaks, code = parsed.scripts
    assert isinstance(json.loads(peaks), list)
    assert "alert(1)" not in code and "function" in code
    return parsed


def test_hostile_text_in_every_field_stays_text(tmp_path: Path) -> None:
    stored = hostile_call(tmp_path)
    html = render_call_page(stored)
    parsed = check_page(html)
    shown = "".join(parsed.text)
    assert shown.count(EVIL) >= 15  # the text itself, in the call id, engines, transcripts, tools, runs, events
    for tag, attrs in parsed.tags:
        if tag == "article":
            assert attrs["id"] == EVIL and attrs["data-turn"] == EVIL


def test_hostile_text_stays_text_on_a_redacted_page_and_with_a_hostile_number(tmp_path: Path) -> None:
    check_page(render_call_page(hostile_call(tmp_path), redact=True))
    check_page(render_call_page(hostile_call(tmp_path, with_number=False)))


def test_a_hostile_page_name_gives_a_relative_audio_link(tmp_path: Path) -> None:
    stored = hostile_call(tmp_path)
    import numpy as np
    import soundfile

    soundfile.write(str(stored.folder / "caller.wav"), np.zeros(16000, dtype=np.int16), 16000, subtype="PCM_16")
    page = write_call_page(stored, tmp_path / "javascript:alert(1).html", audio="beside")
    parsed = check_page(page.read_text(encoding="utf-8"))
    [audio] = [attrs for tag, attrs in parsed.tags if tag == "audio"]
    assert audio["src"] == "./javascript%3Aalert%281%29.wav"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
@pytest.mark.timeout(120)
def test_hostile_page_runs_nothing_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_path = write_call_page(hostile_call(tmp_path), tmp_path / "hostile.html")
    dialogs: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.resolve().as_uri())
        page.wait_for_load_state("load")
        page.locator("article.turn .play-turn").first.click()
        page.wait_for_timeout(300)
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 2
        assert page.locator("h1").inner_text() == f"Call {EVIL}"
        browser.close()
    assert dialogs == [] and requests == [] and errors == []


def test_the_page_template_and_assets_ship_in_the_wheel() -> None:
    import fnmatch
    import tomllib

    import sidecar_stt

    repo = Path(__file__).resolve().parent.parent
    patterns = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["sidecar_stt"]
    package = Path(sidecar_stt.__file__).parent
    shipped = [p for p in (package / "calls").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert any(p.name == "call_page.html.mako" for p in shipped)
    for path in shipped:
        name = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
