"""The demo call's script: what the caller says, and how the two scripted parties hear it.

A :class:`Scenario` holds the caller's true phone number and language. It turns the caller's intent (give the
number, say yes, correct one pair) into an :class:`Utterance`: the words the caller speaks, what the scripted
realtime model hears and which tool it calls with which argument, and what the scripted stand-in engine hears.

The scripted parties err the way real ones do on Norwegian phone numbers:

- the realtime model mishears the last pair of the number ("syttiåtte" → "syttisju") and passes its own wrong
  reading as the tool argument; it also mishears the value in a correction ("femtiseks" → "femtisju");
- in Norwegian, the first time the number is said, the stand-in for Azure Speech confuses the tens of one pair
  ("femtiseks" → "sekstiseks", confidence 0.6, the right reading second in its n-best at 0.3), and the
  realtime model makes the same confusion, so two sources agree on a wrong pair and the first read-back is
  wrong there. Everything else the stand-in hears exactly.

The real local Whisper beside them hears whatever it hears. Pure Python: phrases, digits and confusions only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

import phonenumbers
from num2words import num2words

from ..core.readback import pair_groups
from ..errors import ConfigurationError

__all__ = [
    "DEFAULT_NUMBER",
    "DemoLanguage",
    "Phrasebook",
    "Scenario",
    "Utterance",
    "UtteranceKind",
    "parse_demo_number",
]

DemoLanguage = Literal["nb", "en"]
UtteranceKind = Literal["number", "yes", "correction", "repeat"]

DEFAULT_NUMBER: Final = "+4792345678"


@dataclass(frozen=True)
class Phrasebook:
    """The words of one demo language: the caller's lines, the agent's lines and the voice to speak them."""

    voice: str
    rate_wpm: int
    number_intro: str
    repeat_intro: str
    yes: str
    correction: str
    """``{new}`` and ``{old}`` are the right and the wrong group, in words."""
    greeting: str
    read_back: str
    """What the agent says around a read-back; ``{read_back}`` is the tool's exact words."""
    thanks: str
    ask_again: str
    instructions: str
    digit_by_digit: bool
    """Whether the caller says the number one digit at a time (else in pairs)."""


PHRASEBOOKS: Final[dict[DemoLanguage, Phrasebook]] = {
    "nb": Phrasebook(
        voice="nb",
        rate_wpm=190,
        number_intro="nummeret mitt er",
        repeat_intro="nei, nummeret er",
        yes="ja, det stemmer",
        correction="nei, det er {new}, ikke {old}",
        greeting="Hei, du har kommet til legekontoret. Hvilket telefonnummer kan vi nå deg på?",
        read_back="Jeg har notert {read_back}. Stemmer det?",
        thanks="Takk, da har jeg nummeret ditt.",
        ask_again="Beklager, kan du si hele nummeret én gang til?",
        instructions="Du er resepsjonisten på et legekontor og tar imot innringerens telefonnummer.",
        digit_by_digit=False,
    ),
    "en": Phrasebook(
        voice="en",
        rate_wpm=170,
        number_intro="my number is",
        repeat_intro="no, the number is",
        yes="yes, correct",
        correction="no, it's {new}, not {old}",
        greeting="Hello, you have reached the clinic. Which phone number can we reach you on?",
        read_back="I have {read_back}. Is that right?",
        thanks="Thank you, I have your number now.",
        ask_again="Sorry, could you say the whole number once more?",
        instructions="You are the receptionist of a clinic and take the caller's phone number.",
        digit_by_digit=True,
    ),
}


@dataclass(frozen=True)
class Utterance:
    """One caller turn: the words spoken and how the scripted parties hear them.

    Attributes:
        kind: the caller's intent.
        text: the words the caller speaks (synthesized with espeak-ng).
        realtime_heard: the scripted realtime model's own transcript of the turn.
        tool: the tool the realtime model calls in answer.
        tool_arguments: the arguments it passes (its own, possibly wrong, hearing).
        stand_in: the stand-in engine's n-best ``(text, confidence)``; empty when there is no stand-in.
    """

    kind: UtteranceKind
    text: str
    realtime_heard: str
    tool: str
    tool_arguments: dict[str, Any] = field(default_factory=dict)
    stand_in: tuple[tuple[str, float], ...] = ()


def parse_demo_number(text: str) -> str:
    """The E.164 form of a Norwegian 8-digit number (``"+47 92 34 56 78"``, ``"92345678"``).

    Raises:
        ConfigurationError: not a valid 8-digit Norwegian number.
    """
    try:
        parsed = phonenumbers.parse(text, "NO")
    except phonenumbers.NumberParseException as e:
        raise ConfigurationError(f"--number {text!r} is not a phone number; expected e.g. +4792345678") from e
    national = str(parsed.national_number)
    if parsed.country_code != 47 or len(national) != 8 or not phonenumbers.is_valid_number(parsed):
        raise ConfigurationError(f"--number {text!r} must be a valid 8-digit Norwegian number, e.g. +4792345678")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _valid_no(digits: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse("+47" + digits))
    except phonenumbers.NumberParseException:
        return False


def _shift_units(group: str, step: int) -> str:
    """``group`` with its last digit moved by ``step`` (bounced back inside 0–9)."""
    last = int(group[-1])
    moved = last + step if 0 <= last + step <= 9 else last - step
    return group[:-1] + str(moved)


def _shift_tens(group: str) -> str:
    """``group`` with its first digit one higher (one lower from 9)."""
    first = int(group[0])
    return str(first + 1 if first < 9 else first - 1) + group[1:]


class Scenario:
    """The demo call for one number and language; see the module docstring."""

    def __init__(self, *, language: DemoLanguage = "nb", number: str = DEFAULT_NUMBER) -> None:
        self.language: DemoLanguage = language
        self.phrases = PHRASEBOOKS[language]
        self.e164 = parse_demo_number(number)
        self.digits = self.e164[3:]
        self.groups = pair_groups(self.digits)
        self.stand_in_pair = self._confusable_pair()

    # -- words --------------------------------------------------------------------------------------

    def _word(self, value: int) -> str:
        if self.language == "en":
            return str(num2words(value, lang="en"))
        return str(num2words(value, lang="no")).replace("syv", "sju")  # as most callers say it

    def say_group(self, group: str) -> str:
        """One group in words as the caller says it ("56" → "femtiseks" / "five six")."""
        if self.phrases.digit_by_digit:
            return " ".join(self._word(int(d)) for d in group)
        words: list[str] = []
        rest = group
        while len(rest) > 1 and rest[0] == "0":
            words.append(self._word(0))
            rest = rest[1:]
        words.append(self._word(int(rest)))
        return " ".join(words)

    def say_groups(self, groups: tuple[str, ...] | list[str]) -> str:
        """The whole number in words."""
        return " ".join(self.say_group(g) for g in groups)

    # -- how the scripted parties err -----------------------------------------------------------

    def _confusable_pair(self) -> int:
        """The pair the stand-in confuses: the third, else another one that keeps the number valid."""
        for index in (2, 1, 3):
            groups = list(self.groups)
            groups[index] = _shift_tens(groups[index])
            if _valid_no("".join(groups)):
                return index
        raise ConfigurationError("no pair of this number can be confused into another valid number")

    def realtime_groups(self, *, first: bool) -> list[str]:
        """The number as the realtime model hears it: the last pair's units wrong, and the first time also the
        pair the stand-in confuses (the same acoustic confusion: "femtiseks" → "sekstiseks")."""
        groups = list(self.groups)
        groups[-1] = _shift_units(groups[-1], -1)
        if first and self.language == "nb":
            groups[self.stand_in_pair] = _shift_tens(groups[self.stand_in_pair])
        return groups

    def _stand_in_groups(self) -> list[str]:
        groups = list(self.groups)
        groups[self.stand_in_pair] = _shift_tens(groups[self.stand_in_pair])
        return groups

    # -- utterances -----------------------------------------------------------------------------

    def number_utterance(self, *, first: bool) -> Utterance:
        """The caller gives the whole number (``first``: the first time, else as a repeat)."""
        intro = self.phrases.number_intro if first else self.phrases.repeat_intro
        text = f"{intro} {self.say_groups(self.groups)}"
        heard_groups = self.realtime_groups(first=first)
        stand_in: tuple[tuple[str, float], ...] = ()
        if self.language == "nb":
            if first:
                confused = f"{intro} {self.say_groups(self._stand_in_groups())}"
                stand_in = ((confused, 0.6), (text, 0.3))
            else:
                stand_in = ((text, 0.92),)
        return Utterance(
            kind="number" if first else "repeat",
            text=text,
            realtime_heard=f"{intro} {self.say_groups(heard_groups)}",
            tool="capture_phone_number",
            tool_arguments={"spoken_number": "".join(heard_groups)},
            stand_in=stand_in,
        )

    def yes_utterance(self) -> Utterance:
        """The caller confirms."""
        text = self.phrases.yes
        return Utterance(
            kind="yes",
            text=text,
            realtime_heard=text,
            tool="confirm_phone_number",
            stand_in=((text, 0.93),) if self.language == "nb" else (),
        )

    def correction_utterance(self, *, right: str, wrong: str) -> Utterance:
        """The caller says one group was wrong: ``right`` instead of ``wrong`` (digit strings)."""
        text = self.phrases.correction.format(new=self.say_group(right), old=self.say_group(wrong))
        misheard = self.say_group(_shift_units(right, +1))
        return Utterance(
            kind="correction",
            text=text,
            realtime_heard=self.phrases.correction.format(new=misheard, old=self.say_group(wrong)),
            tool="reject_phone_number",
            tool_arguments={"correction": misheard},
            stand_in=((text, 0.9),) if self.language == "nb" else (),
        )

    # -- the scripted realtime model's spoken lines ---------------------------------------------

    def agent_reply(self, tool: str, output: str) -> str:
        """What the scripted realtime model says after ``tool`` returned ``output``.

        It follows the tool's instruction the way the instructions ask: a quoted read-back is spoken exactly;
        a confirmation is thanked for; anything else makes it ask for the number again.
        """
        start = output.find('"')
        end = output.find('"', start + 1) if start >= 0 else -1
        if 0 <= start < end:
            return self.phrases.read_back.format(read_back=output[start + 1 : end])
        if tool == "confirm_phone_number" and output.startswith(("Nummeret er bekreftet", "The number is confirmed")):
            return self.phrases.thanks
        return self.phrases.ask_again
