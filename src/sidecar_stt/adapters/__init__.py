"""Adapters to voice-agent frameworks. ``adapters.livekit`` is the only code that imports livekit's agents."""
