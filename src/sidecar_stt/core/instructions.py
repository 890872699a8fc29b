"""Instruction snippets for the realtime model: how to use the sidecar's phone-capture tools.

Add :func:`phone_capture_instructions` to an Agent's instructions. The snippets make the model hand the number
to the tools instead of repeating its own hearing, and speak the returned read-back exactly.
"""

from __future__ import annotations

from .numerals import normalize_language

__all__ = ["PHONE_CAPTURE_INSTRUCTIONS", "phone_capture_instructions"]

PHONE_CAPTURE_INSTRUCTIONS: dict[str, str] = {
    "nb": (
        "Når innringeren sier telefonnummeret sitt, eller en del av det, kall capture_phone_number med en gang. "
        "Ikke gjenta nummeret slik du selv hørte det. Verktøyet svarer med nøyaktig hva du skal si: les opp "
        "gruppene nøyaktig slik de står, i samme rekkefølge, uten å endre, slå sammen eller legge til sifre, og "
        "spør om det stemmer. Sier innringeren ja, kall confirm_phone_number. Sier innringeren nei, eller retter "
        "en del av nummeret, kall reject_phone_number og følg svaret. Vil innringeren ikke oppgi nummer, kall "
        "decline_phone_number_capture."
    ),
    "en": (
        "When the caller says their phone number, or part of it, call capture_phone_number at once. Do not "
        "repeat the number as you heard it yourself. The tool answers with exactly what to say: speak the groups "
        "exactly as given, in the same order, without changing, merging or adding digits, and ask whether it is "
        "correct. If the caller says yes, call confirm_phone_number. If they say no or correct part of it, call "
        "reject_phone_number and follow its answer. If the caller will not give a number, call "
        "decline_phone_number_capture."
    ),
}
PHONE_CAPTURE_INSTRUCTIONS["nn"] = PHONE_CAPTURE_INSTRUCTIONS["nb"]


def phone_capture_instructions(language: str = "nb") -> str:
    """The snippet for ``language`` (Norwegian for nb/nn/no, English otherwise)."""
    code = normalize_language(language)
    return PHONE_CAPTURE_INSTRUCTIONS.get(code, PHONE_CAPTURE_INSTRUCTIONS["en"])
