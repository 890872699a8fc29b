"""Metrics, scoring and summary rows of the bake-off."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from sidecar_stt.evaluation.dataset import Recording
from sidecar_stt.evaluation.metrics import edit_distance, normalize_words, percentile, wilson_interval, word_errors
from sidecar_stt.evaluation.output import EngineOutput, FinalTranscript
from sidecar_stt.evaluation.scoring import engine_labels, fusion_groups, hypothesis_digits, score_output
from sidecar_stt.evaluation.summary import rates_by, summarize

pytestmark = pytest.mark.unit


def test_edit_distance() -> None:
    assert edit_distance("92345678", "92345678") == 0
    assert edit_distance("92345678", "9234567") == 1
    assert edit_distance("92345678", "92355678") == 1
    assert edit_distance("", "123") == 3
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance(["a", "b"], ["b", "a"]) == 2


def test_words_are_normalised_and_wer_counts_edits() -> None:
    assert normalize_words("Nittito, ninety-two; Altså!") == ["nittito", "ninety", "two", "altså"]
    assert word_errors("nittito trettifire", "nittito, trettifire.") == (0, 2)
    assert word_errors("nittito trettifire", "92 34") == (2, 2)
    assert word_errors("a b c", "a c d") == (2, 3)


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4)
    assert high == pytest.approx(0.7634, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([1.0, 2.0], 100) == 2.0


def _rec(rid: str, phone: str | None, *, reference: str | None = None, **meta: object) -> Recording:
    return Recording(
        id=rid,
        audio=Path("/nonexistent.wav"),
        language="nb",
        reference=reference,
        expected_phone=phone,
        meta=dict(meta),
    )


def _out(
    rid: str, *finals: Sequence[tuple[str, float | None]], error: str | None = None, ttf: float = 0.5
) -> EngineOutput:
    return EngineOutput(
        spec="e",
        recording_id=rid,
        audio_sha256="x",
        mode="stream",
        finals=tuple(FinalTranscript(alternatives=tuple(f)) for f in finals),
        time_to_final_s=ttf,
        processing_s=1.0,
        audio_s=4.0,
        error=error,
    )


def test_nbest_texts_put_each_alternative_in_its_final() -> None:
    out = _out("r", [("nummeret er", 0.9)], [("nitti to", 0.8), ("nittito", 0.5)])
    assert out.text == "nummeret er nitti to"
    assert out.nbest_texts() == ["nummeret er nitti to", "nummeret er nittito"]
    assert EngineOutput.from_json(out.to_json()) == out


def test_score_output_top1_nbest_digits_and_words() -> None:
    rec = _rec("r", "+4792345678", reference="nittito trettifire femtiseks syttiåtte", style="pairs", snr_db=10)
    right = score_output(rec, _out("r", [("nittito trettifire femtiseks syttiåtte", 0.9)]))
    assert (right.success, right.in_nbest, right.found, right.digit_errors, right.word_errors) == (
        True,
        True,
        "+4792345678",
        0,
        0,
    )
    assert (right.style, right.snr_db, right.digit_count, right.word_count) == ("pairs", 10.0, 8, 4)
    second = score_output(
        rec,
        _out("r", [("nittito trettifire femtiseks syttisju", 0.9), ("nittito trettifire femtiseks syttiåtte", 0.4)]),
    )
    assert second.found == "+4792345677" and not second.success and second.in_nbest
    assert second.digit_errors == 1
    short = score_output(rec, _out("r", [("92 34 56", 0.9)]))
    assert short.found is None and short.digit_errors == 2 and short.word_errors == 4
    failed = score_output(rec, _out("r", error="APIConnectionError: down"))
    assert failed.failed and not failed.success and failed.time_to_final_s is None
    assert failed.digit_errors == 8


def test_hypothesis_digits_reads_words_and_printed_digits() -> None:
    assert hypothesis_digits("nittito 34 og fem", language="nb") == "92345"
    assert hypothesis_digits("ingen tall her", language="nb") == ""


def test_summarize_and_rates_by_group() -> None:
    recs = [
        _rec(f"r{i}", "+4792345678", reference="nittito trettifire femtiseks syttiåtte", style=s)
        for i, s in enumerate(["pairs", "pairs", "digits", "digits"])
    ]
    good = [("nittito trettifire femtiseks syttiåtte", 0.9)]
    bad = [("nittito trettifire", 0.9)]
    outs = [_out("r0", good, ttf=0.2), _out("r1", bad, ttf=0.4), _out("r2", good, ttf=0.6), _out("r3", error="X: y")]
    scores = [score_output(r, o) for r, o in zip(recs, outs, strict=True)]
    (row,) = summarize(scores)
    assert row.engine == "e" and row.n == 4 and row.phone_n == 4
    assert row.successes == 2 and row.phone_success_rate == 0.5
    assert row.failures == 1
    assert row.digit_error_rate == pytest.approx((0 + 4 + 0 + 8) / 32, abs=1e-4)
    assert row.wer == pytest.approx((0 + 2 + 0 + 4) / 16, abs=1e-4)
    assert row.time_to_final_s_p50 == pytest.approx(0.4)
    assert row.rtf == pytest.approx(3.0 / 12.0)
    assert row.ci95 == wilson_interval(2, 4)
    data = row.to_json()
    for key in (
        "engine",
        "phone_success_rate",
        "phone_success_in_nbest",
        "digit_error_rate",
        "wer",
        "time_to_final_s_p50",
        "rtf",
        "failures",
        "n",
    ):
        assert key in data
    by_style = {r.group: (r.successes, r.n) for r in rates_by(scores, lambda s: s.style)}
    assert by_style == {"digits": (1, 2), "pairs": (1, 2)}
    snr_groups = [r.group for r in rates_by(scores, lambda s: "clean" if s.snr_db is None else f"{s.snr_db:g}")]
    assert snr_groups == ["clean"]


def test_dataset_scoring_and_reports_import_without_livekit() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['livekit'] = None\n"
        "import sidecar_stt.evaluation, sidecar_stt.evaluation.report, sidecar_stt.evaluation.html\n"
        "import sidecar_stt.evaluation.synth, sidecar_stt.evaluation.cache\n"
        "assert 'matplotlib' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_engine_labels_shorten_long_specs_only() -> None:
    assert engine_labels(["a", "b"]) == {"a": "a", "b": "b", "fusion:a+b": "fusion:a+b"}
    long = ["whisper:base?language=no&beam=5", "whisper:base?language=no&beam=1", "azure:nb-NO"]
    labels = engine_labels(long)
    assert [labels[s] for s in long] == ["A", "B", "C"]
    assert [labels["fusion:" + "+".join(g)] for g in fusion_groups(long)] == ["A+B", "A+C", "B+C", "A+B+C"]
