"""report.html shows hostile text as text: whatever an engine spec, a clip id, a transcript, an expected number, an
error or a setting holds, the page gains no tag, no event handler, no ``javascript:`` link and no script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from sidecar_stt.evaluation.dataset import Recording
from sidecar_stt.evaluation.html import render_html
from sidecar_stt.evaluation.results import EvalResults
from sidecar_stt.evaluation.scoring import RecordingScore
from sidecar_stt.evaluation.summary import summarize

pytestmark = pytest.mark.unit

HOSTILE = (
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "'><svg onload=alert(1)>",
    "</style><b>x</b>",
    "a&b &amp; <!-- -->",
)
# the page's own elements: anything else was injected
PAGE_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "b", "ul", "li", "div", "img"),
    *("table", "tr", "th", "td", "span", "wbr", "details", "summary"),
}


class _Page(HTMLParser):
    """The tags, attributes and text of a page, as a browser's tokenizer reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _score(engine: str, hostile: str, i: int) -> RecordingScore:
    return RecordingScore(
        engine=engine,
        recording_id=f"{hostile}#{i}",
        expected=hostile,
        found=hostile if i % 2 else None,
        success=i % 2 == 1,
        in_nbest=False,
        digit_errors=1,
        digit_count=8,
        word_errors=None,
        word_count=None,
        time_to_final_s=0.5,
        processing_s=0.5,
        audio_s=4.0,
        failed=i % 3 == 0,
        error=f"RuntimeError: {hostile}",
        text=f"transcript {hostile}",
        style=hostile,
        snr_db=None,
        audio_sent_s=4.0,
    )


def _hostile_results() -> EvalResults:
    specs = [f"engine:{h}" for h in HOSTILE[:3]] + ["whisper:base?language=no&beam=5"]
    scores = [_score(spec, HOSTILE[i % len(HOSTILE)], i) for spec in specs for i in range(len(HOSTILE))]
    return EvalResults(
        specs=specs,
        recordings=[Recording(id=h, audio=Path("/data/x.wav")) for h in HOSTILE],
        outputs={},
        scores=scores,
        rows=summarize(scores),
        runs=len(scores),
        settings={
            "pace": HOSTILE[0],
            "mode": HOSTILE[1],
            "concurrency": HOSTILE[2],
            "dataset": HOSTILE[3],
            "started_at": HOSTILE[4],
            "sidecar_version": HOSTILE[5],
        },
    )


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(_hostile_results())


def test_hostile_text_adds_no_tag_handler_link_or_script(page: str) -> None:
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    assert {tag for tag, _ in parsed.tags} <= PAGE_TAGS
    images = sum(tag == "img" for tag, _ in parsed.tags)
    assert images == page.count("data:image/png;base64,") == 3  # success, latency, per spoken style
    assert parsed.comments == []
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name in {"lang", "charset", "name", "content", "class", "style", "alt", "src"}, (tag, name)
            if name == "src":
                assert (value or "").startswith("data:image/png;base64,")
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    assert "<script" not in page.lower()
    assert page.lower().count("</style>") == 1  # the page's own stylesheet is not closed early


def test_hostile_text_is_shown_as_it_was_given(page: str) -> None:
    parsed = _Page()
    parsed.feed(page)
    text = "".join(parsed.text)
    for score in _hostile_results().scores:
        shown = score.error if score.failed else score.text  # a failed run shows its error
        assert score.style is not None and score.expected is not None and shown is not None
        for value in (score.engine, score.recording_id, score.style, score.expected, shown):
            assert value in text, value
    pace, mode, concurrency, dataset, started_at, version = HOSTILE
    assert f"dataset {dataset} · {started_at} · sidecar-stt {version}" in text
    assert f"pace {pace} · mode {mode} · concurrency {concurrency} · " in text


def test_engine_names_keep_their_separators_and_break_after_them(page: str) -> None:
    # a spec with "&" reads as typed (the break opportunity after it may not split its escape)
    assert "whisper:<wbr>base?<wbr>language=no&amp;<wbr>beam=5" in page
    parsed = _Page()
    parsed.feed(page)
    assert "whisper:base?language=no&beam=5" in "".join(parsed.text)
