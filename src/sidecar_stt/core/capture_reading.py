"""How a phone capture reads the evidence of the caller's utterances, against what it remembers.

:class:`CaptureReading` holds the reading rules of :class:`~sidecar_stt.core.capture.PhoneCaptureMachine`: which
sources may count (after a rejection only the caller's own words, as the sidecar engines and the keypad heard
them), fusion with every rejected reading excluded, ranking against the earlier utterances of the number, and what
the escalation ladder (:mod:`.capture_ladder`) looks for when the sidecar hears only rejected readings. It reads the
capture's memory; it changes nothing but the list of utterances that held a number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .capture_evidence import proposable
from .capture_memory import CaptureMemory, Utterance
from .fusion import Evidence, FusedCandidate, FusionWeights, fuse_phone_evidence, rank_readings
from .reader import TextReader

__all__ = ["CaptureReading"]


class CaptureReading:
    """The reading rules of one capture machine (see the module docstring). Not thread-safe."""

    def __init__(
        self,
        *,
        language: str,
        region: str,
        weights: FusionWeights,
        history_decay: float,
        memory: Callable[[], CaptureMemory],
    ) -> None:
        """``memory`` returns the capture's memory of the moment (a restart replaces it)."""
        self._language = language
        self._region = region
        self._weights = weights
        self._history_decay = history_decay
        self._memory = memory

    def reader(self) -> TextReader:
        """A fresh reader for one step: each text is parsed once per step, nothing is cached across steps."""
        return TextReader(language=self._language, region=self._region)

    def usable(self, evidence: Sequence[Evidence]) -> Utterance:
        """The evidence that may count: after a rejection only the sidecar engines (the caller's own words), never
        the realtime model's transcript or tool argument, which would bring its rejected hearing back."""
        if self._memory().rejected_numbers:
            return tuple(e for e in evidence if e.kind in ("sidecar", "keypad"))
        return tuple(evidence)

    def fuse(self, evidence: Sequence[Evidence], reader: TextReader) -> list[FusedCandidate]:
        """The readings of ``evidence``, fused across sources and n-best ranks, every rejected reading left out."""
        if not evidence:
            return []
        return fuse_phone_evidence(
            evidence,
            language=self._language,
            region=self._region,
            rejected=self._memory().rejected_readings,
            weights=self._weights,
            reader=reader,
        )

    def rank(self, usable: Utterance, reader: TextReader) -> list[FusedCandidate]:
        """The readings of the latest utterance, ranked with the earlier utterances of the number."""
        earlier = [self.usable(piece) for piece in self._memory().number_utterances]
        return rank_readings(usable, earlier, fuse=lambda ev: self.fuse(ev, reader), history_decay=self._history_decay)

    def rank_and_remember(self, usable: Utterance, reader: TextReader, *, has_digits: bool) -> list[FusedCandidate]:
        """The readings of an utterance, ranked with the earlier ones; an utterance that held a number or digits is
        kept to help rank the later ones."""
        ranked = self.rank(usable, reader)
        if ranked or has_digits:
            self._memory().number_utterances.append(usable)
        return ranked

    def heard_only_rejected(self, usable: Utterance, reader: TextReader) -> bool:
        """Whether every whole number the sidecar engines heard (best hypotheses) is one the caller rejected."""
        heard = {
            c.e164
            for e in usable
            if e.kind == "sidecar" and e.alternatives
            for c in reader.phones(e.alternatives[0].text)
        }
        return bool(heard) and heard <= set(self._memory().rejected_numbers)

    def earlier_alternative(self, reader: TextReader) -> FusedCandidate | None:
        """The best reading not rejected that a sidecar engine heard, lower in its n-best, in an earlier utterance
        of the number (the latest first): the ladder's first rung."""
        for utterance in reversed(self._memory().number_utterances):
            readings = proposable(False, self.fuse(utterance, reader))
            if readings:
                return readings[0]
        return None

    def realtime_reading(self, evidence: Sequence[Evidence], reader: TextReader) -> FusedCandidate | None:
        """The realtime model's own reading of an utterance when it differs from every rejected one: the ladder's
        second rung."""
        readings = self.fuse([e for e in evidence if e.kind == "realtime_transcript"], reader)
        return readings[0] if readings else None
