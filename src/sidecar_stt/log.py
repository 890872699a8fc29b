"""The package logger. Messages are static; transcripts and numbers go only in ``extra`` (personal data)."""

import logging

logger = logging.getLogger("sidecar_stt")
