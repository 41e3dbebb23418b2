"""Video-level screening quality on synthetic inspections with known defects.

    PYTHONPATH=src:. python bench/sewer_video_accuracy.py [--videos 4] [--seconds 30] [--heldout]

Renders crawler videos (with ``--heldout``: the held-out texture/lighting/camera ranges),
screens each with the shipped model and matches findings to the ground truth: a defect is
*found* when a finding of the same class overlaps the seconds it is in view (±1 s), *seen*
when a finding of any class does. Also reports the share of findings that match a defect
of their class, and, for found defects, the distance error (counter reading vs the defect's
true position) and the clock error in hours. Synthetic data only: it says nothing about real
Korean footage.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--heldout", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=500)
    args = parser.parse_args()

    from seoul_digital.sewer.engine.inference import Classifier
    from seoul_digital.sewer.engine.registry import shipped_model_dir
    from seoul_digital.sewer.engine.screening import screen_video
    from seoul_digital.sewer.engine.synth import HELDOUT_RANGES, TRAIN_RANGES, generate_video

    classifier = Classifier(shipped_model_dir(), threads=args.threads)
    work = Path(tempfile.mkdtemp(prefix="sewer-videoacc-"))
    found = seen = total = matched_findings = findings = 0
    distance_errors, clock_errors = [], []
    for v in range(args.videos):
        speed = 0.45
        report = generate_video(work / f"v{v}.mp4", seed=args.seed + v, length_m=args.seconds * speed * 0.8,
                                fps=15.0, speed_mps=speed, defects=max(2, int(args.seconds / 8)),
                                ranges=HELDOUT_RANGES if args.heldout else TRAIN_RANGES)
        result = screen_video(report.path, classifier)
        truth = [d for d in report.defects if d["start_s"] is not None]
        total += len(truth)
        findings += len(result.findings)
        used = set()
        for d in truth:
            lo, hi = d["start_s"] - 1.0, d["end_s"] + 1.0
            overlapping = [f for f in result.findings if f.start_s <= hi and f.end_s >= lo]
            same = [f for f in overlapping if f.code == d["code"]]
            seen += bool(overlapping)
            if same:
                found += 1
                best = max(same, key=lambda f: f.confidence)
                used.update(id(f) for f in same)
                if best.distance_m is not None:
                    distance_errors.append(abs(best.distance_m - d["distance_m"]))
                if best.clock is not None:
                    diff = abs(best.clock - d["clock"]) % 12
                    clock_errors.append(min(diff, 12 - diff))
        matched_findings += sum(1 for f in result.findings if id(f) in used)
        print(f"video {v}: {len(truth)} defects in view, {len(result.findings)} findings, "
              f"codes {[d['code'] for d in truth]}")
    print(f"\n{'held-out' if args.heldout else 'training'}-range synthetic videos: {args.videos} × ~{args.seconds:.0f} s")
    print(f"  defects found with the right class: {found}/{total} ({100 * found / max(total, 1):.0f} %)")
    print(f"  defects flagged by any finding:     {seen}/{total} ({100 * seen / max(total, 1):.0f} %)")
    print(f"  findings matching a defect of their class: {matched_findings}/{findings} "
          f"({100 * matched_findings / max(findings, 1):.0f} %)")
    if distance_errors:
        print(f"  distance error (found defects): median {statistics.median(distance_errors):.2f} m, "
              f"max {max(distance_errors):.2f} m")
    if clock_errors:
        within = sum(1 for e in clock_errors if e <= 1)
        print(f"  clock error: median {statistics.median(clock_errors):.1f} h, within ±1 h {within}/{len(clock_errors)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
