"""Compare pyfing feature pipelines on FVC2002 B-sets: EER with our MCC matcher, and time per image.

Used to choose features.DEFAULT_PIPELINE (docs/decisions/fingerprint-features.md). FVC protocol:
genuine = all pairs of a finger's 8 impressions (280 per set), impostor = first impressions of
different fingers (45 per set). Extraction time is wall time per image on this machine.

    .venv/bin/python bench/fingerprint_features.py --pipeline classical --db DB1_B DB2_B
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

from borderwatch.engines.fingerprint import mcc
from borderwatch.engines.fingerprint.features import PIPELINES, extract_file
from borderwatch.engines.fingerprint.template import Template

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "fvc2002"
# DB2's sensor scans at 569 ppi (FVC2002 paper); the TIFFs record no resolution.
PPI = {"DB1_B": 500.0, "DB2_B": 569.0, "DB3_B": 500.0, "DB4_B": 500.0}


def eer(genuine: np.ndarray, impostor: np.ndarray) -> float:
    """Equal error rate in %, where false non-match and false match rates cross."""
    thresholds = np.unique(np.concatenate([genuine, impostor]))
    fnmr = np.array([(genuine < t).mean() for t in thresholds])
    fmr = np.array([(impostor >= t).mean() for t in thresholds])
    i = int(np.argmin(np.abs(fnmr - fmr)))
    return float(100 * (fnmr[i] + fmr[i]) / 2)


def run_db(db: str, pipeline: str) -> dict[str, object]:
    templates: dict[tuple[int, int], Template] = {}
    times = []
    for finger, imp in itertools.product(range(101, 111), range(1, 9)):
        path = DATA / db / f"{finger}_{imp}.tif"
        t0 = time.perf_counter()
        templates[finger, imp] = extract_file(
            path, resolution_ppi=PPI[db], pipeline=PIPELINES[pipeline]
        )
        times.append(time.perf_counter() - t0)
    cyl = {k: mcc.encode(t) for k, t in templates.items()}
    genuine = [
        mcc.similarity(cyl[f, a], cyl[f, b])
        for f in range(101, 111)
        for a, b in itertools.combinations(range(1, 9), 2)
    ]
    impostor = [
        mcc.similarity(cyl[f, 1], cyl[g, 1]) for f, g in itertools.combinations(range(101, 111), 2)
    ]
    times_s = np.array(times[1:])  # the first image also pays imports and model loading
    return {
        "db": db,
        "pipeline": pipeline,
        "eer_percent": round(eer(np.array(genuine), np.array(impostor)), 2),
        "genuine_pairs": len(genuine),
        "impostor_pairs": len(impostor),
        "seconds_per_image_median": round(float(np.median(times_s)), 3),
        "seconds_per_image_mean": round(float(times_s.mean()), 3),
        "first_image_seconds": round(times[0], 2),
        "minutiae_mean": round(float(np.mean([len(t) for t in templates.values()])), 1),
        "quality_mean": round(float(np.mean([t.quality for t in templates.values()])), 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pipeline", choices=sorted(PIPELINES), default="classical")
    ap.add_argument("--db", nargs="+", default=sorted(PPI))
    args = ap.parse_args()
    if not DATA.exists():
        print(f"FVC2002 images not found at {DATA}", file=sys.stderr)
        return 2
    for db in args.db:
        print(json.dumps(run_db(db, args.pipeline)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
