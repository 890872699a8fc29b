"""Pure-Python core: numerals, phone numbers, ledger, fusion and capture. No livekit, no vendor SDK, no I/O."""
