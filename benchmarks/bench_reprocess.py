"""Post-call re-transcription time per minute of call audio, local Whisper tiny.en and base, on this CPU.

Each pass makes a fresh call: ~45 s of espeak-ng speech (English for tiny.en, Norwegian for base) with pauses,
in which the caller gives a fresh random valid Norwegian mobile number in pairs; the call's record says the live
capture confirmed that number. The call is stored (SQLite) and reprocessed with ``reprocess_call`` in VAD mode
at beam 5 with an engine loaded beforehand (a worker keeps its model), so the figure is VAD + decode +
extraction + reconciliation + store. ``misses`` counts passes whose reconciliation did not agree with the
confirmed number (the post-call engine did not hear it). Passes alternate between the two models.

Last line: ``RESULT reprocess_s_per_audio_min_tiny=<median> reprocess_s_per_audio_min_base=<median>
misses_tiny=<n> misses_base=<n>``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import phonenumbers
import soundfile

from sidecar_stt.calls import CallStore, reprocess_call
from sidecar_stt.core.readback import pair_groups, read_back_groups
from sidecar_stt.engines import from_spec
from sidecar_stt.recording import AUDIO_FILE, JOURNAL_FILE, JournalWriter
from sidecar_stt.testing.audio import concat, silence, synthesize_speech

MODELS = {
    "tiny": ("whisper:tiny.en?beam=5", "en", "en-us"),
    "base": ("whisper:base?language=no&beam=5", "nb", "nb"),
}
FILLER = {
    "nb": [
        "hei, jeg ringer om en time jeg bestilte hos dere i forrige uke",
        "jeg må dessverre flytte den til en annen dag, helst tidlig om morgenen",
        "ja, det passer fint, tusen takk for at dere kunne hjelpe meg så raskt",
        "nei, det var alt for i dag, ha en fin dag videre",
    ],
    "en": [
        "hello, I am calling about an appointment I booked with you last week",
        "unfortunately I have to move it to another day, early in the morning if possible",
        "yes, that works fine, thank you so much for helping me this quickly",
        "no, that was all for today, have a nice day",
    ],
}
INTRO = {"nb": "nummeret mitt er", "en": "my number is"}


def random_mobile(rng: random.Random) -> str:
    while True:
        national = rng.choice("49") + "".join(rng.choice("0123456789") for _ in range(7))
        parsed = phonenumbers.parse(national, "NO")
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def make_call(root: Path, call_id: str, language: str, voice: str, e164: str, *, fillers: int = 2) -> float:
    """A recorded call in ``root/call_id``: ``fillers`` sentences before and after the number, pauses between."""
    digits = e164[3:]
    said = f"{INTRO[language]} " + ", ".join(read_back_groups(pair_groups(digits), language=language))
    texts = [*FILLER[language][:fillers], said, *FILLER[language][2 : 2 + fillers]]
    parts = []
    for text in texts:
        parts += [silence(1.5), synthesize_speech(text, voice=voice, rate_wpm=150)]
    pcm = concat([*parts, silence(1.0)])
    folder = root / call_id
    folder.mkdir(parents=True)
    soundfile.write(str(folder / AUDIO_FILE), pcm, 24000, subtype="PCM_16")
    journal = JournalWriter(folder / JOURNAL_FILE)
    now = time.time()
    journal.write({"kind": "call_started", "created_at": now, "call_id": call_id, "engines": [], "language": language})
    journal.write({"kind": "audio_started", "created_at": now, "sample_rate": 24000})
    event = {"type": "phone_number_confirmed", "e164": e164, "digits": digits, "proposal_id": "p1"}
    journal.write({"kind": "capture", "created_at": now, "at_s": len(pcm) / 24000, "event": event})
    journal.write({"kind": "call_ended", "created_at": now, "audio_s": len(pcm) / 24000})
    journal.close()
    return len(pcm) / 24000


async def one_pass(
    store: CallStore, root: Path, name: str, engine: Any, k: int, rng: random.Random
) -> tuple[float, bool]:
    spec, language, voice = MODELS[name]
    call_id = f"{name}-{k}"
    make_call(root, call_id, language, voice, random_mobile(rng))
    store.add_call(root / call_id)
    result = await reprocess_call(store, call_id, spec, engine=engine)
    per_min = result.processing_s / (result.audio_s / 60)
    print(
        f"{name}: audio_s={result.audio_s:.1f} processing_s={result.processing_s:.2f} s_per_audio_min={per_min:.2f} "
        f"segments={len(result.segments)} verdict={result.reconciliation.verdict}"
    )
    return per_min, result.reconciliation.verdict == "agrees"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    rng = random.Random(args.seed)
    engines = {name: from_spec(spec) for name, (spec, _, _) in MODELS.items()}
    for engine in engines.values():
        await engine.load()  # type: ignore[attr-defined]
    results: dict[str, list[float]] = {name: [] for name in MODELS}
    misses = dict.fromkeys(MODELS, 0)
    with tempfile.TemporaryDirectory(prefix="bench-reprocess-") as tmp:
        root = Path(tmp)
        store = CallStore(root=root)
        for name in MODELS:  # warm-up: VAD and decoder first use, not counted
            await one_pass(store, root, name, engines[name], -1, rng)
        for k in range(args.repeats):
            for name in MODELS:
                per_min, agrees = await one_pass(store, root, name, engines[name], k, rng)
                results[name].append(per_min)
                misses[name] += not agrees
        store.close()
    for name, values in results.items():
        spread = f"min={min(values):.2f} median={statistics.median(values):.2f} max={max(values):.2f}"
        print(f"{name}: s per audio minute {spread}")
    print(
        f"RESULT reprocess_s_per_audio_min_tiny={statistics.median(results['tiny']):.2f} "
        f"reprocess_s_per_audio_min_base={statistics.median(results['base']):.2f} "
        f"misses_tiny={misses['tiny']} misses_base={misses['base']}"
    )


if __name__ == "__main__":
    asyncio.run(main())
