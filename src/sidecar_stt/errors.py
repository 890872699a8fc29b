"""Errors raised by Sidecar.

SidecarError
 ├── ConfigurationError        a missing extra, key or a bad engine spec; never retried
 ├── EngineError(retryable)    an engine failed; ``retryable`` says whether a restart may help
 │    └── EngineTimeoutError   an engine did not answer in time (retryable)
 └── AudioError                audio that cannot be read or decoded
"""

from __future__ import annotations

__all__ = ["AudioError", "ConfigurationError", "EngineError", "EngineTimeoutError", "SidecarError"]


class SidecarError(Exception):
    """Base class of every error Sidecar raises."""


class ConfigurationError(SidecarError):
    """A missing pip extra, a missing environment variable or a malformed engine spec."""


class EngineError(SidecarError):
    """An engine failed. ``retryable`` tells whether restarting the engine may help."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class EngineTimeoutError(EngineError):
    """An engine did not answer in time."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class AudioError(SidecarError):
    """Audio that cannot be found, read or decoded."""
