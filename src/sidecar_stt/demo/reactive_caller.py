"""The demo's caller: decides each answer from what the agent actually said.

The caller knows only their own number. After every agent turn :meth:`ReactiveCaller.answer` listens to the
agent's words: when they hold the caller's number, the caller says yes; when they hold a number wrong in one
group, the caller corrects that group ("nei, det er femtiseks, ikke sekstiseks"); when they hold a number wrong
in more places, or none at all, the caller says the whole number again. So the call ends right only when the
agent really read back the right number — the demo is not a replay.
"""

from __future__ import annotations

from ..core.phone import extract_phone_numbers
from ..core.readback import pair_groups
from .scenario import Scenario, Utterance

__all__ = ["ReactiveCaller"]


class ReactiveCaller:
    """A caller with one true phone number (see the module docstring)."""

    def __init__(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self.heard: list[str] = []
        """Everything the agent said to the caller, in order."""

    def first(self) -> Utterance:
        """The caller's first turn: the number."""
        return self._scenario.number_utterance(first=True)

    def heard_number(self, agent_said: str) -> str | None:
        """The phone number (E.164) in the agent's words, if any."""
        found = extract_phone_numbers(agent_said, language=self._scenario.language, region="NO")
        return found[0].e164 if found else None

    def answer(self, agent_said: str) -> Utterance:
        """The caller's answer to ``agent_said``."""
        self.heard.append(agent_said)
        scenario = self._scenario
        heard = self.heard_number(agent_said)
        if heard is None:
            return scenario.number_utterance(first=False)
        if heard == scenario.e164:
            return scenario.yes_utterance()
        heard_groups = pair_groups(heard[3:]) if heard.startswith("+47") else ()
        if len(heard_groups) == len(scenario.groups):
            wrong = [i for i, (a, b) in enumerate(zip(heard_groups, scenario.groups, strict=True)) if a != b]
            if len(wrong) == 1:
                index = wrong[0]
                return scenario.correction_utterance(right=scenario.groups[index], wrong=heard_groups[index])
        return scenario.number_utterance(first=False)
