"""``facepay-terminal face-eval DIR [--json] [--models DIR]``: how well the face pipeline
does on a folder of photos (layout in ``terminal.face.evaluation``).

For a technician or a reviewer checking a model set or a threshold change: identities
found at rank 1, strangers accepted at the membership and payment thresholds, faces found
where there are none, group counts, spoofs rejected, and the time of each stage. Exit 0
when the evaluation ran (the figures are the answer, not a pass/fail), 1 when it could not.

What must not live here: the evaluation itself (``terminal/face/evaluation.py``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from terminal.cli import exit_codes
from terminal.config import Settings
from terminal.face.errors import ModelError
from terminal.face.evaluation import Evaluator
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``face-eval`` command to the command line."""
    face_eval = commands.add_parser(
        "face-eval", parents=[common], help="evaluate the face pipeline on a folder of photos"
    )
    face_eval.add_argument("folder", type=Path, metavar="DIR", help="identities/, unknown/, ...")
    face_eval.add_argument("--json", action="store_true", help="one JSON object")
    face_eval.add_argument(
        "--models", type=Path, help="models folder (default: FACEPAY_MODELS_DIR, then packages)"
    )
    face_eval.add_argument(
        "--detect-size",
        type=int,
        default=640,
        metavar="PX",
        help="detect on images scaled to this long side (default 640; the till uses 320)",
    )
    face_eval.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    del settings
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return exit_codes.BAD_INPUT
    try:
        models = FaceModels.load(
            ModelLocator(models_dir=args.models), detect_long_side=args.detect_size
        )
    except ModelError as exc:
        print(f"model error: {exc}", file=sys.stderr)
        return exit_codes.BAD_INPUT

    def warn(text: str) -> None:
        print(f"warning: {text}", file=sys.stderr)

    report = Evaluator(models, warn).run(folder)
    summary = report.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print(summary)
    return exit_codes.OK


def _print(s: dict[str, Any]) -> None:
    t = s["thresholds"]
    multi = (
        ", ".join(f"{m['file']} {m['found']}/{m['present']}/{m['expected']}" for m in s["multi"])
        or "-"
    )
    lines = [
        f"identities           {s['identities']} ({s['enrolled']} enrolled)",
        f"probes               {s['probes']} ({s['probes_without_face']} without a usable face)",
        f"rank-1 accuracy      {s['rank1']:.1%} ({s['rank1_correct']}/{s['probes']})",
        f"false accepts        {s['false_accepts_membership']} at membership {t['membership']},"
        f" {s['false_accepts_payment']} at payment {t['payment']}"
        f" (margin {t['payment_margin']}), per frame",
        f"unknowns rejected    {s['unknown_rejected']}/{s['unknowns']}",
        f"scores               genuine min {s['genuine_min']}, impostor max {s['impostor_max']}",
        f"faces on non-faces   {s['nonface_faces']} in {s['nonface_images']} images",
        f"group photos         {s['multi_exact']}/{len(s['multi'])} exact (usable faces),"
        f" {s['multi_present_exact']} exact (all detections); usable/all/expected: {multi}",
        f"spoofs rejected      {s['spoof_rejected']}/{s['spoof_samples']},"
        f" live accepted {s['live_accepted']}/{s['live_samples']}"
        f" (liveness threshold {t['liveness_real']})",
    ]
    for stage in ("detect", "liveness", "embed", "search", "pipeline"):
        lines.append(
            f"{stage + ' ms':<20} p50 {s[f'{stage}_ms_p50']:.2f}  p99 {s[f'{stage}_ms_p99']:.2f}"
        )
    print("\n".join(lines))
