"""Scoring engine outputs against a recording's expectations, one engine or a fusion of engines.

Per recording
    ``success``        the best phone number our parser finds in the best transcript is the expected one;
    ``in_nbest``       the expected number is among the candidates of any n-best transcript;
    ``digit_errors``   edit distance between the expected national digits and the hypothesis digits (the best
                       candidate's digits, or — when no valid number was found — every digit our numeral
                       parser reads in the best transcript);
    ``word_errors``    word edit distance against the reference, when there is one.
    ``audio_sent_s``   seconds of audio this run passed to the engine (0 for a result read from the cache, whose
                       figure is ``audio_sent_cached_s`` instead, ``cached`` set);
    ``transcript_s``   seconds of transcript: the summed spans of the engine's finals, or the recording's speech
                       span (``meta.speech_start_s``–``meta.speech_end_s``, else the whole file) when the engine
                       gave no times (see :meth:`EngineOutput.transcript_s`).

A fusion row feeds every member's n-best to :func:`~sidecar_stt.core.fusion.fuse_phone_evidence`; its
time to final is the slowest member's (fusion waits for all), its processing time the sum of its members',
and it fails only when every member failed; its audio sent and transcript seconds are its members' summed (a
fusion bills every member). Without a fused candidate its hypothesis digits are the first
member's.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..core.numerals import parse_digit_readings
from ..core.phone import extract_phone_numbers
from ..core.segment import Alternative
from .dataset import Recording
from .metrics import edit_distance, word_errors
from .output import EngineOutput

__all__ = [
    "RecordingScore",
    "engine_labels",
    "fusion_groups",
    "fusion_name",
    "hypothesis_digits",
    "score_fusion",
    "score_output",
    "speech_span",
]


@dataclass(frozen=True, slots=True)
class RecordingScore:
    """How one engine (or fusion) did on one recording."""

    engine: str
    recording_id: str
    expected: str | None
    found: str | None
    """The best candidate (E.164), if any."""
    success: bool
    in_nbest: bool
    digit_errors: int
    digit_count: int
    word_errors: int | None
    word_count: int | None
    time_to_final_s: float | None
    processing_s: float
    audio_s: float
    failed: bool
    error: str | None
    text: str
    style: str | None = None
    snr_db: float | None = None
    telephone: bool | None = None
    audio_sent_s: float = 0.0
    """Seconds of audio this run passed to the engine: 0 for a result read from the cache."""
    audio_sent_cached_s: float | None = 0.0
    """For a cached result, the audio the run that produced it passed (``None``: not counted then); else 0."""
    transcript_s: float = 0.0
    cached: bool = False

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "engine": self.engine,
            "recording_id": self.recording_id,
            "expected": self.expected,
            "found": self.found,
            "success": self.success,
            "in_nbest": self.in_nbest,
            "digit_errors": self.digit_errors,
            "digit_count": self.digit_count,
            "word_errors": self.word_errors,
            "word_count": self.word_count,
            "time_to_final_s": self.time_to_final_s,
            "processing_s": round(self.processing_s, 4),
            "audio_s": round(self.audio_s, 4),
            "failed": self.failed,
            "error": self.error,
            "text": self.text,
            "style": self.style,
            "snr_db": self.snr_db,
            "telephone": self.telephone,
            "audio_sent_s": round(self.audio_sent_s, 4),
            "audio_sent_cached_s": _round(self.audio_sent_cached_s),
            "transcript_s": round(self.transcript_s, 4),
            "cached": self.cached,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def speech_span(rec: Recording, audio_s: float) -> tuple[float, float]:
    """Where the caller speaks in ``rec``: ``meta.speech_start_s``–``meta.speech_end_s``, else the whole file."""
    start, end = rec.meta.get("speech_start_s"), rec.meta.get("speech_end_s")
    start_s = float(start) if isinstance(start, int | float) else 0.0
    end_s = float(end) if isinstance(end, int | float) else audio_s
    return (min(max(0.0, start_s), audio_s), min(max(0.0, end_s), audio_s))


class _Usage(NamedTuple):
    """What one result cost: audio sent in this run (or earlier, for a cached result) and its transcript."""

    audio_sent_s: float
    audio_sent_cached_s: float | None
    transcript_s: float
    cached: bool


def _usage(rec: Recording, output: EngineOutput) -> _Usage:
    return _Usage(
        audio_sent_s=0.0 if output.cached else output.audio_sent_s or 0.0,
        audio_sent_cached_s=output.audio_sent_s if output.cached else 0.0,
        transcript_s=output.transcript_s(speech_span(rec, output.audio_s)),
        cached=output.cached,
    )


def _summed(parts: Sequence[_Usage]) -> _Usage:
    cached = [p.audio_sent_cached_s for p in parts]
    return _Usage(
        audio_sent_s=sum(p.audio_sent_s for p in parts),
        audio_sent_cached_s=None if None in cached else sum(c or 0.0 for c in cached),
        transcript_s=sum(p.transcript_s for p in parts),
        cached=bool(parts) and all(p.cached for p in parts),
    )


def hypothesis_digits(text: str, *, language: str) -> str:
    """Every digit the numeral parser reads in ``text`` (best reading of each number run), in order."""
    try:
        runs = parse_digit_readings(text, language=language)
    except ValueError:
        return "".join(ch for ch in text if ch.isdigit())
    return "".join(run.readings[0].digits for run in runs if run.readings)


def _meta(rec: Recording) -> dict[str, Any]:
    snr = rec.meta.get("snr_db")
    tel = rec.meta.get("telephone")
    style = rec.meta.get("style")
    return {
        "style": None if style is None else str(style),
        "snr_db": None if snr is None else float(snr),
        "telephone": None if tel is None else bool(tel),
    }


def _words(rec: Recording, text: str) -> tuple[int | None, int | None]:
    if rec.reference is None:
        return None, None
    return word_errors(rec.reference, text)


def _digit_errors(rec: Recording, hyp: str) -> tuple[int, int]:
    expected = rec.expected_digits or ""
    return (edit_distance(expected, hyp), len(expected)) if expected else (0, 0)


def score_output(rec: Recording, output: EngineOutput, *, region: str = "NO") -> RecordingScore:
    """Score one engine's output on ``rec``."""
    language = rec.language
    text = output.text
    try:
        best = extract_phone_numbers(text, language=language, region=region) if text else []
    except ValueError:
        best = []
    found = best[0].e164 if best else None
    in_nbest = False
    if rec.expected_phone is not None:
        for variant in output.nbest_texts():
            if not variant:
                continue
            try:
                cands = extract_phone_numbers(variant, language=language, region=region)
            except ValueError:
                cands = []
            if any(c.e164 == rec.expected_phone for c in cands):
                in_nbest = True
                break
    hyp = best[0].digits if best else hypothesis_digits(text, language=language)
    d_err, d_count = _digit_errors(rec, hyp)
    w_err, w_count = _words(rec, text)
    failed = output.error is not None
    return RecordingScore(
        engine=output.spec,
        recording_id=rec.id,
        expected=rec.expected_phone,
        found=found,
        success=rec.expected_phone is not None and found == rec.expected_phone,
        in_nbest=in_nbest,
        digit_errors=d_err,
        digit_count=d_count,
        word_errors=w_err,
        word_count=w_count,
        time_to_final_s=None if failed else output.time_to_final_s,
        processing_s=output.processing_s,
        audio_s=output.audio_s,
        failed=failed,
        error=output.error,
        text=text,
        **_meta(rec),
        **_usage(rec, output)._asdict(),
    )


def _evidence_alternatives(output: EngineOutput) -> tuple[Alternative, ...]:
    tops = [f.alternatives[0][1] if f.alternatives else None for f in output.finals]
    top_conf = None if not tops or any(c is None for c in tops) else sum(c for c in tops if c is not None) / len(tops)
    confidences: list[float | None] = [top_conf]
    for final in output.finals:
        confidences.extend(c for _t, c in final.alternatives[1:])
    texts = output.nbest_texts()
    return tuple(
        Alternative(text=t, confidence=confidences[i] if i < len(confidences) else None)
        for i, t in enumerate(texts)
        if t
    )


def fusion_groups(specs: Sequence[str]) -> list[tuple[str, ...]]:
    """Every pair of ``specs`` and, with three or more, all of them."""
    unique = list(dict.fromkeys(specs))
    groups = [tuple(p) for p in itertools.combinations(unique, 2)]
    if len(unique) > 2:
        groups.append(tuple(unique))
    return groups


def engine_labels(specs: Sequence[str], *, max_len: int = 24) -> dict[str, str]:
    """Short plot labels: the specs themselves when all are short, else ``A``, ``B``, … and ``A+B`` for
    fusions (the report's table spells the full names beside the labels)."""
    unique = list(dict.fromkeys(specs))
    names = unique + [fusion_name(g) for g in fusion_groups(unique)]
    if all(len(n) <= max_len for n in names):
        return {n: n for n in names}
    letters = {spec: _letter(i) for i, spec in enumerate(unique)}
    labels = dict(letters)
    for group in fusion_groups(unique):
        labels[fusion_name(group)] = "+".join(letters[s] for s in group)
    return labels


def _letter(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"E{i + 1}"


def fusion_name(specs: Sequence[str]) -> str:
    """The row name of a fusion: ``fusion:a+b``."""
    return "fusion:" + "+".join(specs)


def score_fusion(rec: Recording, outputs: Sequence[EngineOutput], *, region: str = "NO") -> RecordingScore:
    """Score the fusion of ``outputs`` (one per member engine, same recording) on ``rec``."""
    from ..core.fusion import Evidence, fuse_phone_evidence

    evidence = [
        Evidence(source=o.spec, kind="sidecar", alternatives=_evidence_alternatives(o))
        for o in outputs
        if o.error is None and o.text
    ]
    fused = fuse_phone_evidence(evidence, language=rec.language, region=region) if evidence else []
    found = fused[0].e164 if fused else None
    if fused:
        hyp = str(fused[0].digits)
    else:
        hyp = hypothesis_digits(outputs[0].text, language=rec.language) if outputs else ""
    d_err, d_count = _digit_errors(rec, hyp)
    failed = all(o.error is not None for o in outputs)
    ttfs = [o.time_to_final_s for o in outputs if o.error is None and o.time_to_final_s is not None]
    errors = [o.error for o in outputs if o.error is not None]
    return RecordingScore(
        engine=fusion_name([o.spec for o in outputs]),
        recording_id=rec.id,
        expected=rec.expected_phone,
        found=found,
        success=rec.expected_phone is not None and found == rec.expected_phone,
        in_nbest=rec.expected_phone is not None and any(f.e164 == rec.expected_phone for f in fused),
        digit_errors=d_err,
        digit_count=d_count,
        word_errors=None,
        word_count=None,
        time_to_final_s=None if failed or not ttfs else max(ttfs),
        processing_s=sum(o.processing_s for o in outputs),
        audio_s=max((o.audio_s for o in outputs), default=0.0),
        failed=failed,
        error="; ".join(e for e in errors if e) or None,
        text=" | ".join(o.text for o in outputs),
        **_meta(rec),
        **_summed([_usage(rec, o) for o in outputs])._asdict(),
    )
