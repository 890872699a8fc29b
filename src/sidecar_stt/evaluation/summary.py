"""One summary row per engine (and fusion) from per-recording scores, and success rates per group.

Phone rates count recordings that have an expected number; a failed run counts as a miss. The digit error
rate is the sum of digit edit distances over the sum of expected digits; WER likewise over reference words
(``None`` when no recording has a reference). The time to final is the median over runs that did not fail;
the real-time factor is total processing time over total audio time. Cost and data: ``audio_sent_s`` is the
audio this run sent to the engine (what a cloud engine bills), ``audio_sent_cached_s`` what earlier runs sent
for the results read from the cache (``None`` when one of them was not counted), ``transcript_s`` the seconds
of transcript the results hold; all summed over the engine's recordings.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from .metrics import percentile, wilson_interval
from .scoring import RecordingScore

__all__ = ["EngineSummary", "GroupRate", "rates_by", "summarize"]


@dataclass(frozen=True, slots=True)
class EngineSummary:
    """The row of one engine or fusion in ``results.json``."""

    engine: str
    phone_success_rate: float | None
    phone_success_in_nbest: float | None
    digit_error_rate: float | None
    wer: float | None
    time_to_final_s_p50: float | None
    rtf: float | None
    failures: int
    n: int
    successes: int
    phone_n: int
    ci95: tuple[float, float]
    """Wilson 95 % interval of :attr:`phone_success_rate`."""
    time_to_final_s_p90: float | None = None
    audio_sent_s: float = 0.0
    """Seconds of audio this run sent to the engine (results read from the cache sent none)."""
    audio_sent_cached_s: float | None = 0.0
    """Seconds of audio earlier runs sent for the results read from the cache."""
    transcript_s: float = 0.0
    """Seconds of transcript the engine's results hold."""
    cached: int = 0
    """Recordings whose result was read from the cache."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with the documented keys first."""
        return {
            "engine": self.engine,
            "phone_success_rate": self.phone_success_rate,
            "phone_success_in_nbest": self.phone_success_in_nbest,
            "digit_error_rate": self.digit_error_rate,
            "wer": self.wer,
            "time_to_final_s_p50": self.time_to_final_s_p50,
            "rtf": self.rtf,
            "failures": self.failures,
            "n": self.n,
            "successes": self.successes,
            "phone_n": self.phone_n,
            "phone_success_ci95": [round(self.ci95[0], 4), round(self.ci95[1], 4)],
            "time_to_final_s_p90": self.time_to_final_s_p90,
            "audio_sent_s": round(self.audio_sent_s, 3),
            "audio_sent_cached_s": _round(self.audio_sent_cached_s, 3),
            "transcript_s": round(self.transcript_s, 3),
            "cached": self.cached,
        }


def _ratio(num: float, den: float) -> float | None:
    return None if den <= 0 else round(num / den, 4)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def summarize(scores: Sequence[RecordingScore]) -> list[EngineSummary]:
    """One row per engine, in the order engines first appear in ``scores``."""
    order: list[str] = []
    by_engine: dict[str, list[RecordingScore]] = {}
    for s in scores:
        if s.engine not in by_engine:
            order.append(s.engine)
            by_engine[s.engine] = []
        by_engine[s.engine].append(s)
    rows: list[EngineSummary] = []
    for engine in order:
        items = by_engine[engine]
        phone = [s for s in items if s.expected is not None]
        successes = sum(s.success for s in phone)
        words = [s for s in items if s.word_count is not None]
        ttfs = [s.time_to_final_s for s in items if s.time_to_final_s is not None and not s.failed]
        ran = [s for s in items if not s.failed]
        cached_sent = [s.audio_sent_cached_s for s in items]
        rows.append(
            EngineSummary(
                engine=engine,
                phone_success_rate=_ratio(successes, len(phone)),
                phone_success_in_nbest=_ratio(sum(s.in_nbest for s in phone), len(phone)),
                digit_error_rate=_ratio(sum(s.digit_errors for s in phone), sum(s.digit_count for s in phone)),
                wer=_ratio(sum(s.word_errors or 0 for s in words), sum(s.word_count or 0 for s in words)),
                time_to_final_s_p50=_round(percentile(ttfs, 50)),
                rtf=_ratio(sum(s.processing_s for s in ran), sum(s.audio_s for s in ran)),
                failures=sum(s.failed for s in items),
                n=len(items),
                successes=successes,
                phone_n=len(phone),
                ci95=wilson_interval(successes, len(phone)),
                time_to_final_s_p90=_round(percentile(ttfs, 90)),
                audio_sent_s=sum(s.audio_sent_s for s in items),
                audio_sent_cached_s=None if None in cached_sent else sum(c or 0.0 for c in cached_sent),
                transcript_s=sum(s.transcript_s for s in items),
                cached=sum(s.cached for s in items),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class GroupRate:
    """Phone success of one engine within one group (a spoken style, an SNR, ...)."""

    engine: str
    group: str
    successes: int
    n: int
    ci95: tuple[float, float]

    @property
    def rate(self) -> float:
        """Successes over recordings (0 for an empty group)."""
        return self.successes / self.n if self.n else 0.0


def rates_by(scores: Sequence[RecordingScore], key: Callable[[RecordingScore], Hashable | None]) -> list[GroupRate]:
    """Phone success per engine × group; recordings whose ``key`` is ``None`` or that expect no number are
    left out. Groups are sorted by their label, engines keep their order of appearance."""
    engines: list[str] = []
    counts: dict[tuple[str, str], list[int]] = {}
    for s in scores:
        if s.engine not in engines:
            engines.append(s.engine)
        value = key(s)
        if value is None or s.expected is None:
            continue
        slot = counts.setdefault((s.engine, str(value)), [0, 0])
        slot[0] += int(s.success)
        slot[1] += 1
    groups = sorted({g for _e, g in counts}, key=_group_order)
    out: list[GroupRate] = []
    for engine in engines:
        for group in groups:
            hit = counts.get((engine, group))
            if hit is not None:
                out.append(GroupRate(engine, group, hit[0], hit[1], wilson_interval(hit[0], hit[1])))
    return out


def _group_order(label: str) -> tuple[int, float, str]:
    if label == "clean":
        return (-1, 0.0, label)
    try:
        return (0, -float(label), label)  # numbers (SNRs) from clean-ish to noisy
    except ValueError:
        return (1, 0.0, label)
