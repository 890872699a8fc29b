"""``get_accurate_transcript``: the tool that reads the sidecar's accurate transcript of the caller's latest turn.

Each tool answers from the ledger; none ever asks the model to transcribe anything itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from livekit.agents import llm

if TYPE_CHECKING:
    from .sidecar import Sidecar

__all__ = ["build_transcript_tool"]


def build_transcript_tool(sidecar: Sidecar) -> llm.FunctionTool[..., Any]:
    """``get_accurate_transcript``: the sidecar's final transcript(s) of the caller's latest turn."""

    @llm.function_tool(name="get_accurate_transcript")
    async def get_accurate_transcript() -> str:
        """Get an accurate transcript of what the caller said in their latest turn, from a dedicated
        speech-to-text engine. Use it whenever exact words, digits or names matter more than your own hearing."""
        if not sidecar.hearing:
            return (
                f"The accurate transcript is not available: {sidecar.not_hearing_reason}. "
                "Do not guess; ask the caller to repeat, and rely on your own hearing only for small talk."
            )
        result = await sidecar.turn_transcript()
        if result.turn is None:
            return "The caller has not spoken yet."
        if not result.segments:
            return (
                "No accurate transcript of the caller's latest turn arrived in time. "
                "Do not guess; ask the caller to repeat."
            )
        lines = [f"{source}: {result.text(source)}" for source in result.sources]
        return "Accurate transcript of the caller's latest turn:\n" + "\n".join(lines)

    return get_accurate_transcript
