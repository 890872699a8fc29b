"""``get_accurate_transcript``: the tool that reads the sidecar's accurate transcript of the caller's latest turn.

Each tool answers from the ledger; none ever asks the model to transcribe anything itself.
"""

from __future__ import annotations

from typing import Any, Final

from livekit.agents import llm

from ...core.instructions import model_texts
from .call_state import CallState
from .turn_reader import TurnReader

__all__ = ["MAX_TRANSCRIPT_CHARS", "build_transcript_tool"]

MAX_TRANSCRIPT_CHARS: Final = 2000
"""Each engine's transcript of the turn is cut to its last this many characters before it goes to the model."""


def build_transcript_tool(state: CallState, reader: TurnReader) -> llm.FunctionTool[..., Any]:
    """``get_accurate_transcript``: the sidecar's final transcript(s) of the caller's latest turn."""

    @llm.function_tool(name="get_accurate_transcript")
    async def get_accurate_transcript() -> str:
        """Get an accurate transcript of what the caller said in their latest turn, from a dedicated
        speech-to-text engine. Use it whenever exact words, digits or names matter more than your own hearing."""
        texts = model_texts(state.options.language)
        if state.not_hearing_reason is not None:
            return texts["sidecar_unavailable"]
        result = await reader.turn_transcript()
        if result.turn is None:
            return texts["transcript_nothing_said"]
        if not result.segments:
            return texts["transcript_missing"]
        lines = [f"{source}: {result.text(source)[-MAX_TRANSCRIPT_CHARS:]}" for source in result.sources]
        return texts["transcript_header"] + "\n" + "\n".join(lines)

    return get_accurate_transcript
