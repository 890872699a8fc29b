"""adapters/livekit"""
