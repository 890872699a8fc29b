"""``AudioFileWriter``: caller audio to a WAV file that stays readable if the process dies mid-call.

Written with ``soundfile`` (libsndfile). After each :meth:`checkpoint` the data is flushed and the RIFF header's
lengths are rewritten (libsndfile's ``SFC_UPDATE_HEADER_NOW``), so a crash loses at most the audio since the last
checkpoint and any WAV reader sees the rest. Blocking: use it from a worker thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ..errors import ConfigurationError

__all__ = ["AudioFileWriter"]

_SFC_UPDATE_HEADER_NOW: Final = 0x1060


def _soundfile() -> Any:
    try:
        import soundfile
    except ImportError as e:  # pragma: no cover - depends on the installed extras
        raise ConfigurationError("call recording needs soundfile: pip install 'sidecar-stt[calls]'") from e
    return soundfile


class AudioFileWriter:
    """Mono 16-bit PCM WAV at ``sample_rate``; :attr:`frames` samples written so far."""

    def __init__(self, path: Path, *, sample_rate: int) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self.frames = 0
        self._sf = _soundfile()
        self._file: Any = self._sf.SoundFile(
            str(path), "w", samplerate=sample_rate, channels=1, subtype="PCM_16", format="WAV"
        )

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        if self._file is None or not len(samples):
            return
        self._file.write(samples)
        self.frames += len(samples)

    def checkpoint(self) -> None:
        """Flush the samples and rewrite the header's lengths, so the file on disk is complete up to here."""
        if self._file is None:
            return
        self._file.flush()
        snd = getattr(self._sf, "_snd", None)
        ffi = getattr(self._sf, "_ffi", None)
        handle = getattr(self._file, "_file", None)
        if snd is not None and ffi is not None and handle is not None:
            # soundfile exposes no header update; without it libsndfile still reads a zero-length data chunk to EOF
            snd.sf_command(handle, _SFC_UPDATE_HEADER_NOW, ffi.NULL, 0)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
