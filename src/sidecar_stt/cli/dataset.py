"""sidecar dataset synth: a synthetic phone-number speech set made locally with espeak-ng and sox.

example:
  sidecar dataset synth --language nb --count 128 --out data/nb --seed 1 --snr clean,20,10 --telephone

Writes OUT/manifest.jsonl and OUT/audio/*.wav, in the format of
https://github.com/sidecar-stt/sidecar-stt/blob/main/docs/DATASET.md. The same seed gives the same manifest and
the same audio. Progress goes to stderr. A folder that already holds a dataset is
left alone unless --force is given, which replaces it. Needs espeak-ng and sox on the PATH and the eval extra
(pip install "sidecar-stt[eval]").
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sidecar_stt.cli.options import at_least, require_extra, writable_dir
from sidecar_stt.errors import ConfigurationError

__all__ = ["parse_snr_list", "register", "run_synth"]


def parse_snr_list(text: str) -> tuple[float | None, ...]:
    """``"clean,20,10"`` → ``(None, 20.0, 10.0)``; raises ``argparse.ArgumentTypeError``."""
    out: list[float | None] = []
    for part in text.split(","):
        item = part.strip().lower()
        if not item:
            continue
        if item in ("clean", "none", "inf"):
            out.append(None)
            continue
        try:
            out.append(float(item))
        except ValueError as e:
            raise argparse.ArgumentTypeError(f"not an SNR in dB: {part!r}") from e
    if not out:
        raise argparse.ArgumentTypeError("give at least one SNR (dB) or 'clean'")
    return tuple(out)


_SYNTH_HELP = "synthesise a phone-number speech set with espeak-ng and sox"


def register(subparsers: Any) -> None:
    """Add ``dataset synth`` to the ``sidecar`` command."""
    dataset = subparsers.add_parser(
        "dataset",
        help="make evaluation datasets",
        description="Make evaluation datasets for sidecar eval.\n\nactions:\n  synth  " + _SYNTH_HELP + "\n\n"
        "example:\n  sidecar dataset synth --language nb --count 128 --out data/nb",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = dataset.add_subparsers(dest="dataset_command", required=True, metavar="ACTION")
    synth = kinds.add_parser(
        "synth",
        help=_SYNTH_HELP,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    synth.add_argument("--language", choices=("nb", "en"), default="nb", help="spoken language (nb)")
    synth.add_argument("--count", type=at_least(1), default=32, help="number of recordings (32)")
    synth.add_argument("--out", required=True, help="output folder")
    synth.add_argument("--force", action="store_true", help="replace the dataset already in --out")
    synth.add_argument("--seed", type=int, default=0, help="random seed (0)")
    synth.add_argument(
        "--snr",
        type=parse_snr_list,
        default=(None,),
        help="comma-separated SNRs in dB to cycle through, 'clean' for no noise (clean)",
    )
    synth.add_argument("--telephone", action="store_true", help="telephone band: 300–3400 Hz at 8 kHz")
    synth.add_argument("--styles", default=None, help="comma-separated spoken styles (all of the language)")
    synth.add_argument("--jobs", type=at_least(1), default=2, help="parallel espeak-ng/sox processes (2)")
    synth.set_defaults(func=run_synth)


def run_synth(args: argparse.Namespace) -> int:
    """Make the set; exit code 0. A bad option, a missing tool or extra, or an unwritable or occupied ``--out``
    raise one :class:`ConfigurationError` line (exit code 2)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sidecar_stt.evaluation.synth import SynthOptions, clear_dataset, synthesize_dataset

    require_extra("soundfile", extra="eval", what="sidecar dataset synth")
    styles = tuple(s.strip() for s in args.styles.split(",") if s.strip()) if args.styles else None
    options = SynthOptions(
        language=args.language,
        count=args.count,
        seed=args.seed,
        snr_db=tuple(args.snr),
        telephone=args.telephone,
        styles=styles,
    )
    out = writable_dir(args.out)
    if (out / "manifest.jsonl").exists() or (out / "audio").exists():
        if not args.force:
            raise ConfigurationError(
                f"{out} already holds a dataset; choose another --out, or add --force to replace it"
            )
        clear_dataset(out)
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]synth[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(args.language, total=args.count)
        recordings = synthesize_dataset(
            args.out,
            options,
            jobs=args.jobs,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    print(f"{len(recordings)} recordings in {args.out}/manifest.jsonl", file=sys.stderr)
    return 0
