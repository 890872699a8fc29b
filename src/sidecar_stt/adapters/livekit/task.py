"""``CapturePhoneNumberTask``: phone capture in LiveKit's ``AgentTask`` pattern, for a realtime model.

::

    @function_tool
    async def book(self, context: RunContext) -> str:
        number = await CapturePhoneNumberTask(sidecar)      # -> PhoneCaptureResult
        return await lookup(number.e164)

The task runs on the session's realtime model with the four capture tools of the session's one capture
(``sidecar.phone``, shared with ``sidecar.tools()``); it completes with the confirmed number, or raises
``ToolError`` when the caller declined or the capture gave up.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from livekit.agents import AgentTask, llm
from livekit.agents.llm.tool_context import ToolError
from livekit.agents.types import NOT_GIVEN, NotGivenOr

from ...core.instructions import model_texts, phone_capture_instructions
from .capture_tools import PhoneCaptureResult

if TYPE_CHECKING:
    from .sidecar import Sidecar

__all__ = ["CapturePhoneNumberTask"]


class CapturePhoneNumberTask(AgentTask[PhoneCaptureResult]):
    """Asks for, reads back and confirms one phone number using the sidecar's accurate transcripts."""

    def __init__(
        self,
        sidecar: Sidecar,
        *,
        extra_instructions: str = "",
        chat_ctx: NotGivenOr[llm.ChatContext] = NOT_GIVEN,
    ) -> None:
        self.capture = sidecar.phone
        self._sidecar = sidecar
        instructions = phone_capture_instructions(self.capture.language)
        if extra_instructions:
            instructions = f"{instructions}\n{extra_instructions}"
        super().__init__(instructions=instructions, chat_ctx=chat_ctx, tools=list(self.capture.tools()))
        self._waiter: asyncio.Task[None] | None = None

    async def on_enter(self) -> None:
        self.capture.start()
        self._sidecar.listen()  # on-demand engines start now: the caller may say the number at once
        self._waiter = asyncio.create_task(self._complete_when_captured())
        self.session.generate_reply(instructions=model_texts(self.capture.language)["ask_for_number"])

    async def _complete_when_captured(self) -> None:
        result = await self.capture.wait_result()
        if self.done():
            return
        if result is None:
            self.complete(ToolError("the caller did not give a phone number"))
        else:
            self.complete(result)
