"""A partial correction applied to the reading the caller rejected, per source and n-best entry.

"nei, det siste er syttiåtte" after the read-back "nittito, trettifire, femtiseks, syttisju": every hypothesis of
every source that names a correction becomes the corrected digits, so fusion can vote on the corrected readings
as on any others. Pure: no state, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from .correction import apply_correction
from .fusion import Evidence
from .proposal import Proposal
from .reader import TextReader
from .segment import Alternative

__all__ = ["correct_evidence"]


def correct_evidence(
    evidence: Sequence[Evidence],
    reference: Proposal,
    reader: TextReader,
    *,
    max_alternatives: int,
    require_cue: bool,
) -> tuple[list[Evidence], dict[str, tuple[int, ...]]]:
    """Each source's hypotheses with the correction they hold applied to ``reference``'s groups (empty text where
    none applies), and, per corrected national number, the groups it changed. With ``require_cue`` only a
    hypothesis with a correction cue ("ikke …", "det siste …") counts; the model's tool argument never does."""
    prefix = reference.e164[: len(reference.e164) - len(reference.digits)]
    changed: dict[str, tuple[int, ...]] = {}
    corrected: list[Evidence] = []
    for e in evidence:
        if e.kind == "tool_argument":
            continue
        alts: list[Alternative] = []
        for alt in e.alternatives[:max_alternatives]:
            text = ""
            if not require_cue or reader.has_correction_cue(alt.text):
                correction = reader.correction(alt.text)
                applied = apply_correction(correction, reference.groups) if correction else None
                if applied is not None:
                    text = prefix + applied[0]
                    changed.setdefault(applied[0], applied[1])
            alts.append(Alternative(text, alt.confidence))
        if any(a.text for a in alts):
            corrected.append(Evidence(e.source, e.kind, tuple(alts)))
    return corrected, changed
