"""Every text the realtime model receives from Sidecar, in one table per language.

Add :func:`phone_capture_instructions` to an Agent's instructions: it makes the model hand the number to the
tools instead of repeating its own hearing, and speak the returned read-back exactly. The other entries are what
the tools answer at each step (the exact read-back to speak, a request to repeat, a refusal, ...).
:func:`model_texts` is the one place that picks a language: Norwegian for nb/nn/no, English otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .numerals import normalize_language

__all__ = ["MODEL_TEXTS", "model_texts", "phone_capture_instructions"]

MODEL_TEXTS: Final[dict[str, dict[str, str]]] = {
    "nb": {
        # the snippet for the Agent's instructions
        "capture_instructions": (
            "Når innringeren sier telefonnummeret sitt, eller en del av det, kall capture_phone_number med en "
            "gang. Ikke gjenta nummeret slik du selv hørte det. Verktøyet svarer med nøyaktig hva du skal si: les "
            "opp gruppene nøyaktig slik de står, i samme rekkefølge, uten å endre, slå sammen eller legge til "
            "sifre, og spør om det stemmer. Sier innringeren ja, kall confirm_phone_number. Sier innringeren nei, "
            "eller retter en del av nummeret, kall reject_phone_number og følg svaret. Vil innringeren ikke oppgi "
            "nummer, kall decline_phone_number_capture."
        ),
        "ask_for_number": (
            "Be innringeren om telefonnummeret. Har innringeren alt sagt det, kall capture_phone_number med en gang."
        ),
        # the capture's steps
        "propose": 'Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
        "propose_uncertain": 'Les opp nøyaktig: "{read_back}" og spør om det stemmer, særlig "{group}".',
        "propose_corrected": 'Les opp det rettede nummeret nøyaktig: "{read_back}" og spør om det stemmer nå.',
        "repeat": 'Spør igjen om nummeret "{read_back}" stemmer.',
        "stale": 'Nummeret er endret. Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
        "not_answered": 'Innringeren har ikke svart på dette nummeret ennå. Les opp nøyaktig: "{read_back}" og '
        "vent på svaret.",
        "answer_not_yes": (
            "Innringeren sa ikke ja til dette nummeret. Sa de nei eller rettet det, kall reject_phone_number; "
            "sa de et nytt nummer, kall capture_phone_number."
        ),
        "answer_not_heard": 'Svaret til innringeren ble ikke hørt. Spør igjen om nummeret "{read_back}" stemmer.',
        "no_sidecar_number": (
            "Den nøyaktige transkripsjonen hørte ikke noe nummer i det innringeren sa. Ikke les opp nummeret slik "
            "du selv hørte det. Be innringeren si nummeret én gang til, rolig."
        ),
        "sidecar_unavailable": (
            "Den nøyaktige transkripsjonen virker ikke akkurat nå. Ikke les opp nummeret slik du selv hørte det. "
            "Beklag, og be innringeren si nummeret én gang til om litt."
        ),
        "propose_realtime_fallback": (
            'Bare din egen hørsel fant dette nummeret. Les opp nøyaktig: "{read_back}" og spør nøye om hvert par '
            "stemmer."
        ),
        "ask_again": "Be innringeren si hele nummeret én gang til, rolig, to og to siffer.",
        "ask_again_digits": "Be innringeren si nummeret ett siffer om gangen.",
        "ask_rest": "Be innringeren si resten av nummeret.",
        # the keypad
        "ask_keypad": (
            "Be innringeren taste nummeret på tastaturet på telefonen og avslutte med firkant-tasten. Vent til "
            "du får beskjed om hva som ble tastet; ikke gjett på sifrene."
        ),
        "propose_keypad": 'Innringeren tastet et nummer. Les opp nøyaktig: "{read_back}" og spør om det stemmer.',
        "keypad_invalid": (
            "Det innringeren tastet er ikke et gyldig telefonnummer. Be innringeren taste hele nummeret på nytt og "
            "avslutte med firkant-tasten."
        ),
        "keypad_rejected": (
            "Innringeren tastet et nummer de allerede har sagt er feil. Be innringeren taste hele nummeret på nytt "
            "og avslutte med firkant-tasten."
        ),
        "not_heard": "Fant ikke noe telefonnummer. Be innringeren si nummeret.",
        "nothing_said": "Innringeren har ikke sagt noe ennå. Be om telefonnummeret.",
        "confirmed": "Nummeret er bekreftet. Takk innringeren og gå videre.",
        "failed": "Gi opp å ta imot nummeret. Beklag og tilby en annen løsning.",
        "declined": "Innringeren vil ikke oppgi nummer. Gå videre uten.",
        "not_proposed": "Ingen nummer er lest opp ennå. Be innringeren si nummeret.",
        "reused": "Vent på innringerens neste svar før du gjør noe mer med nummeret.",
        "finished": "Nummerfangsten er allerede avsluttet.",
        # get_accurate_transcript
        "transcript_nothing_said": "Innringeren har ikke sagt noe ennå.",
        "transcript_missing": (
            "Ingen nøyaktig transkripsjon av innringerens siste tur kom i tide. Ikke gjett; be innringeren gjenta."
        ),
        "transcript_header": "Nøyaktig transkripsjon av innringerens siste tur:",
    },
    "en": {
        "capture_instructions": (
            "When the caller says their phone number, or part of it, call capture_phone_number at once. Do not "
            "repeat the number as you heard it yourself. The tool answers with exactly what to say: speak the "
            "groups exactly as given, in the same order, without changing, merging or adding digits, and ask "
            "whether it is correct. If the caller says yes, call confirm_phone_number. If they say no or correct "
            "part of it, call reject_phone_number and follow its answer. If the caller will not give a number, "
            "call decline_phone_number_capture."
        ),
        "ask_for_number": (
            "Ask the caller for their phone number. If they already said it, call capture_phone_number at once."
        ),
        "propose": 'Read back exactly: "{read_back}" and ask whether it is correct.',
        "propose_uncertain": 'Read back exactly: "{read_back}" and ask whether it is correct, especially "{group}".',
        "propose_corrected": 'Read back the corrected number exactly: "{read_back}" and ask whether it is right now.',
        "repeat": 'Ask again whether the number "{read_back}" is correct.',
        "stale": 'The number has changed. Read back exactly: "{read_back}" and ask whether it is correct.',
        "not_answered": 'The caller has not answered this number yet. Read back exactly: "{read_back}" and wait '
        "for their answer.",
        "answer_not_yes": (
            "The caller did not say yes to this number. If they said no or corrected it, call reject_phone_number; "
            "if they said a new number, call capture_phone_number."
        ),
        "answer_not_heard": (
            'The caller\'s answer was not heard. Ask again whether the number "{read_back}" is correct.'
        ),
        "no_sidecar_number": (
            "The accurate transcription heard no number in what the caller said. Do not read back the number as "
            "you heard it yourself. Ask the caller to say the number once more, slowly."
        ),
        "sidecar_unavailable": (
            "The accurate transcription is not working right now. Do not read back the number as you heard it "
            "yourself. Apologise and ask the caller to say the number again in a moment."
        ),
        "propose_realtime_fallback": (
            'Only your own hearing found this number. Read back exactly: "{read_back}" and ask carefully whether '
            "each pair is right."
        ),
        "ask_again": "Ask the caller to say the whole number once more, slowly, two digits at a time.",
        "ask_again_digits": "Ask the caller to say the number one digit at a time.",
        "ask_rest": "Ask the caller for the rest of the number.",
        "ask_keypad": (
            "Ask the caller to type the number on their phone's keypad and finish with the hash key. Wait until "
            "you are told what was typed; do not guess the digits."
        ),
        "propose_keypad": 'The caller typed a number. Read back exactly: "{read_back}" and ask whether it is correct.',
        "keypad_invalid": (
            "What the caller typed is not a valid phone number. Ask the caller to type the whole number again and "
            "finish with the hash key."
        ),
        "keypad_rejected": (
            "The caller typed a number they already said was wrong. Ask the caller to type the whole number again "
            "and finish with the hash key."
        ),
        "not_heard": "No phone number was heard. Ask the caller for the number.",
        "nothing_said": "The caller has not said anything yet. Ask for the phone number.",
        "confirmed": "The number is confirmed. Thank the caller and move on.",
        "failed": "Stop asking for the number. Apologise and offer another way.",
        "declined": "The caller does not want to give a number. Move on without it.",
        "not_proposed": "No number has been read back yet. Ask the caller for the number.",
        "reused": "Wait for the caller's next answer before doing anything more with the number.",
        "finished": "Number capture has already ended.",
        "transcript_nothing_said": "The caller has not spoken yet.",
        "transcript_missing": (
            "No accurate transcript of the caller's latest turn arrived in time. Do not guess; ask the caller to "
            "repeat."
        ),
        "transcript_header": "Accurate transcript of the caller's latest turn:",
    },
}


def model_texts(language: str = "nb") -> Mapping[str, str]:
    """The texts for ``language``: Norwegian for nb/nn/no, English otherwise."""
    return MODEL_TEXTS["nb"] if normalize_language(language) in ("nb", "nn") else MODEL_TEXTS["en"]


def phone_capture_instructions(language: str = "nb") -> str:
    """The snippet to add to an Agent's instructions so the model uses the phone-capture tools."""
    return model_texts(language)["capture_instructions"]
