"""A synthetic phone-number speech set made locally with espeak-ng and sox.

Each recording is a random valid Norwegian number (mobile 4/9 or landline, checked with ``phonenumbers``) said
in one spoken style, by a varied espeak-ng voice (speed, pitch, variant), optionally band-passed like a phone
call (300–3400 Hz at 8 kHz) and mixed with white noise at a chosen SNR. The spoken text comes from our own
read-back (:func:`~sidecar_stt.core.readback.read_back`, words from ``num2words``) and is the reference
transcript. Everything is drawn from one seed: the same seed gives the same manifest and the same audio.

Styles
    ``pairs``        "nittito, trettifire, femtiseks, syttiåtte"
    ``digits``       "ni, to, tre, fire, …"
    ``mobile_323``   "ni hundre og tjuetre, førtifem, seks hundre og syttiåtte" (mobiles only)
    ``old_counting`` "nittito, fireogtretti, seksogfemti, åtteogsytti" (Norwegian only)
    ``sentence``     a frame with fillers around pairs or digits: "eh, nummeret mitt er altså …"
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import phonenumbers
from num2words import num2words

from ..core.readback import read_back
from ..errors import AudioError, ConfigurationError
from .dataset import Recording, write_manifest

__all__ = [
    "STYLES",
    "SynthOptions",
    "SynthSpec",
    "clear_dataset",
    "plan_dataset",
    "random_norwegian_number",
    "synthesize_dataset",
]

STYLES: Final[dict[str, tuple[str, ...]]] = {
    "nb": ("pairs", "digits", "mobile_323", "old_counting", "sentence"),
    "en": ("digits", "pairs", "mobile_323", "sentence"),
}
_VOICES: Final[dict[str, tuple[str, ...]]] = {
    "nb": ("nb", "nb+m3", "nb+f3", "nb+m1", "nb+f2", "nb+m7", "nb+f4", "nb+klatt"),
    "en": ("en", "en-us", "en+m3", "en+f3", "en-us+f2", "en+m1", "en-gb-x-rp", "en+klatt"),
}
_FRAMES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "nb": (
        ("nummeret mitt er", ""),
        ("eh, du kan ringe meg på", "takk"),
        ("ja, det er altså", ""),
        ("mobilnummeret er eh", "ja"),
        ("altså, det er", "det er mobilen min"),
    ),
    "en": (
        ("my number is", ""),
        ("uh, you can call me on", "thanks"),
        ("yes, it's", ""),
        ("so, my mobile is uh", "okay"),
    ),
}
_FILLERS: Final[dict[str, tuple[str, ...]]] = {"nb": ("eh", "altså", "ehm"), "en": ("uh", "um", "so")}
_OLD_TENS: Final = {"tjue": "tyve"}
_LANDLINE_FIRST: Final = "23567"
_SAMPLE_RATE: Final = 16_000
_TELEPHONE_RATE: Final = 8_000


@dataclass(frozen=True, slots=True)
class SynthOptions:
    """What to make: ``count`` recordings in ``language`` (``nb`` or ``en``) from ``seed``.

    ``snr_db`` lists the noise levels to cycle through (``None`` = clean); ``telephone`` band-passes every
    recording to 300–3400 Hz at 8 kHz.
    """

    language: str = "nb"
    count: int = 32
    seed: int = 0
    snr_db: tuple[float | None, ...] = (None,)
    telephone: bool = False
    styles: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class SynthSpec:
    """Everything that decides one recording: drawn from the seed before any audio is made."""

    id: str
    language: str
    e164: str
    style: str
    text: str
    voice: str
    rate_wpm: int
    pitch: int
    snr_db: float | None
    telephone: bool
    noise_seed: int
    lead_s: float
    tail_s: float


def random_norwegian_number(rng: random.Random, *, mobile: bool) -> str:
    """A random valid Norwegian number (E.164): a mobile starting with 4 or 9, or a landline."""
    wanted = (
        {phonenumbers.PhoneNumberType.MOBILE}
        if mobile
        else {phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    )
    while True:
        first = rng.choice("49") if mobile else rng.choice(_LANDLINE_FIRST)
        digits = first + "".join(rng.choice("0123456789") for _ in range(7))
        number = phonenumbers.parse(digits, "NO")
        if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in wanted:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _old_counting(e164: str) -> str:
    """Pairs with the old Norwegian counting for 21–99 ("fireogtretti")."""
    digits = phonenumbers.national_significant_number(phonenumbers.parse(e164, None))
    words: list[str] = []
    for k in range(0, len(digits), 2):
        pair = digits[k : k + 2]
        value = int(pair)
        if pair[0] == "0":
            words.append(" ".join(str(num2words(int(d), lang="no")) for d in pair))
        elif value > 20 and value % 10:
            tens = str(num2words(value - value % 10, lang="no"))
            words.append(f"{num2words(value % 10, lang='no')}og{_OLD_TENS.get(tens, tens)}")
        else:
            words.append(str(num2words(value, lang="no")))
    return ", ".join(words)


def _spoken_text(e164: str, *, style: str, language: str, rng: random.Random) -> str:
    if style == "old_counting":
        return _old_counting(e164)
    if style in ("pairs", "digits", "mobile_323"):
        return read_back(e164, language=language, style=style)  # type: ignore[arg-type]
    if style == "sentence":
        base = rng.choice(("pairs", "digits"))
        body = read_back(e164, language=language, style=base)  # type: ignore[arg-type]
        parts = body.split(", ")
        if len(parts) > 2 and rng.random() < 0.6:
            cut = rng.randrange(1, len(parts))
            parts.insert(cut, rng.choice(_FILLERS[language]))
        head, tail = rng.choice(_FRAMES[language])
        text = f"{head} {', '.join(parts)}"
        return f"{text}, {tail}" if tail else text
    raise ConfigurationError(f"unknown spoken style {style!r}")


def plan_dataset(options: SynthOptions) -> list[SynthSpec]:
    """Draw every recording's parameters from ``options.seed`` (no audio is made)."""
    language = options.language
    if language not in STYLES:
        raise ConfigurationError(f"synthetic sets exist for {sorted(STYLES)}, not {language!r}")
    styles = options.styles or STYLES[language]
    for style in styles:
        if style not in STYLES[language]:
            raise ConfigurationError(f"style {style!r} does not exist for {language!r}")
    if options.count < 1:
        raise ConfigurationError("count must be at least 1")
    snrs = options.snr_db or (None,)
    rng = random.Random(options.seed)
    specs: list[SynthSpec] = []
    width = max(4, len(str(options.count)))
    for i in range(options.count):
        style = styles[i % len(styles)]
        snr = snrs[(i // len(styles) + i % len(styles)) % len(snrs)]  # every style meets every SNR
        mobile = style == "mobile_323" or rng.random() < 0.7
        e164 = random_norwegian_number(rng, mobile=mobile)
        text = _spoken_text(e164, style=style, language=language, rng=rng)
        specs.append(
            SynthSpec(
                id=f"{language}-{i + 1:0{width}d}",
                language=language,
                e164=e164,
                style=style,
                text=text,
                voice=rng.choice(_VOICES[language]),
                rate_wpm=rng.randrange(125, 191, 5),
                pitch=rng.randrange(25, 76, 5),
                snr_db=snr,
                telephone=options.telephone,
                noise_seed=rng.randrange(2**31),
                lead_s=round(rng.uniform(0.3, 0.7), 2),
                tail_s=round(rng.uniform(0.6, 1.0), 2),
            )
        )
    return specs


def _run(cmd: Sequence[str]) -> None:
    proc = subprocess.run(list(cmd), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AudioError(f"{Path(cmd[0]).name} failed: {proc.stderr.strip()[:300]}")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConfigurationError(f"{name} is not installed (Debian: apt-get install {name})")
    return path


def _speech_bounds(samples: npt.NDArray[np.int16], rate: int) -> tuple[float, float]:
    level = np.abs(samples.astype(np.int32))
    loud = np.flatnonzero(level > max(64, int(level.max()) // 50))
    if loud.size == 0:
        return 0.0, len(samples) / rate
    return float(loud[0]) / rate, float(loud[-1] + 1) / rate


def _render(spec: SynthSpec, out: Path) -> tuple[float, float, float]:
    """Make one recording's WAV; returns ``(duration_s, speech_start_s, speech_end_s)``."""
    import soundfile

    espeak, sox = _tool("espeak-ng"), _tool("sox")
    rate = _TELEPHONE_RATE if spec.telephone else _SAMPLE_RATE
    with tempfile.TemporaryDirectory(prefix="sidecar-synth-") as tmp:
        raw, shaped = Path(tmp) / "raw.wav", Path(tmp) / "shaped.wav"
        _run([espeak, "-v", spec.voice, "-s", str(spec.rate_wpm), "-p", str(spec.pitch), "-w", str(raw), spec.text])
        effects = ["highpass", "80"]
        if spec.telephone:
            effects += ["sinc", "300-3400"]
        effects += ["rate", "-h", str(rate), "norm", "-3", "pad", str(spec.lead_s), str(spec.tail_s)]
        _run([sox, "-D", str(raw), "-b", "16", "-c", "1", "-e", "signed-integer", str(shaped), *effects])
        clean, got_rate = soundfile.read(str(shaped), dtype="int16")
    clean = np.asarray(clean, dtype=np.int16)
    start_s, end_s = _speech_bounds(clean, int(got_rate))
    signal = clean.astype(np.float64)
    if spec.snr_db is not None:
        speech = signal[int(start_s * got_rate) : int(end_s * got_rate)]
        power = float(np.mean(speech**2)) if speech.size else 0.0
        noise_rng = np.random.default_rng(spec.noise_seed)
        noise = noise_rng.standard_normal(signal.shape[0])
        signal = signal + noise * np.sqrt(power / (10 ** (spec.snr_db / 10)))
    pcm = np.clip(np.round(signal), -32768, 32767).astype(np.int16)
    soundfile.write(str(out), pcm, int(got_rate), subtype="PCM_16", format="WAV")
    return len(pcm) / int(got_rate), round(start_s, 3), round(end_s, 3)


def clear_dataset(out_dir: str | Path) -> None:
    """Remove the dataset :func:`synthesize_dataset` wrote in ``out_dir`` (its manifest and audio folder)."""
    out = Path(out_dir)
    (out / "manifest.jsonl").unlink(missing_ok=True)
    shutil.rmtree(out / "audio", ignore_errors=True)


def synthesize_dataset(
    out_dir: str | Path,
    options: SynthOptions,
    *,
    jobs: int = 2,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Recording]:
    """Make the set in ``out_dir`` (``manifest.jsonl`` + ``audio/*.wav``) and return its recordings.

    Blocking (runs espeak-ng and sox ``jobs`` at a time). ``on_progress(done, total)`` is called after each
    recording.
    """
    specs = plan_dataset(options)
    out = Path(out_dir)
    audio_dir = out / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    done = 0

    def make(spec: SynthSpec) -> Recording:
        path = audio_dir / f"{spec.id}.wav"
        duration_s, start_s, end_s = _render(spec, path)
        return Recording(
            id=spec.id,
            audio=path.resolve(),
            language=spec.language,
            channel=0,
            reference=spec.text,
            expected_phone=spec.e164,
            meta={
                "style": spec.style,
                "voice": spec.voice,
                "rate_wpm": spec.rate_wpm,
                "pitch": spec.pitch,
                "snr_db": spec.snr_db,
                "telephone": spec.telephone,
                "sample_rate": _TELEPHONE_RATE if spec.telephone else _SAMPLE_RATE,
                "duration_s": round(duration_s, 3),
                "speech_start_s": start_s,
                "speech_end_s": end_s,
                "synthetic": "espeak-ng",
            },
        )

    recordings: list[Recording] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for rec in pool.map(make, specs):
            recordings.append(rec)
            done += 1
            if on_progress is not None:
                on_progress(done, len(specs))
    write_manifest(out / "manifest.jsonl", recordings)
    return recordings
