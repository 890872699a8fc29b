"""``CapturePhoneNumberTask``: phone capture in LiveKit's ``AgentTask`` pattern, for a realtime model.

::

    @function_tool
    async def book(self, context: RunContext) -> str:
        number = await CapturePhoneNumberTask(sidecar)      # -> CapturedPhoneNumber
        return await lookup(number.e164)

The task runs on the session's realtime model with the four capture tools of a fresh
:class:`PhoneNumberCapture`; it completes with the confirmed number, or raises ``ToolError`` when the caller
declined or the capture gave up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from livekit.agents import AgentTask, llm
from livekit.agents.llm.tool_context import ToolError
from livekit.agents.types import NOT_GIVEN, NotGivenOr

from ...core.instructions import phone_capture_instructions
from ...core.numerals import normalize_language
from .phone_capture import CapturedPhoneNumber, PhoneNumberCapture

if TYPE_CHECKING:
    from .sidecar import Sidecar

__all__ = ["CapturePhoneNumberTask"]

_ASK = {
    "nb": "Be innringeren om telefonnummeret. Har innringeren alt sagt det, kall capture_phone_number med en gang.",
    "en": "Ask the caller for their phone number. If they already said it, call capture_phone_number at once.",
}


class CapturePhoneNumberTask(AgentTask[CapturedPhoneNumber]):
    """Asks for, reads back and confirms one phone number using the sidecar's accurate transcripts."""

    def __init__(
        self,
        sidecar: Sidecar,
        *,
        language: str | None = None,
        region: str | None = None,
        max_attempts: int = 3,
        extra_instructions: str = "",
        chat_ctx: NotGivenOr[llm.ChatContext] = NOT_GIVEN,
    ) -> None:
        self.capture = PhoneNumberCapture(
            sidecar,
            language=language,
            region=region,
            max_attempts=max_attempts,
            on_confirmed=sidecar.on_phone_confirmed,
            on_finished=self._on_finished,
        )
        self._language = normalize_language(self.capture.language)
        instructions = phone_capture_instructions(self._language)
        if extra_instructions:
            instructions = f"{instructions}\n{extra_instructions}"
        super().__init__(instructions=instructions, chat_ctx=chat_ctx, tools=list(self.capture.tools()))

    async def on_enter(self) -> None:
        self.session.generate_reply(instructions=_ASK["nb" if self._language in ("nb", "nn") else "en"])

    def _on_finished(self, result: CapturedPhoneNumber | None) -> None:
        if self.done():
            return
        if result is None:
            self.complete(ToolError("the caller did not give a phone number"))
        else:
            self.complete(result)
