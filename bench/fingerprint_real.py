"""Section (f) of the fingerprint benchmark: 1:N search with real FVC2002 B fingers.

    PYTHONPATH=src .venv/bin/python -m bench.fingerprint_real   # (f) alone, Markdown on stdout

(bench/run.py --only fingerprint runs it as part of the whole section.)

FVC2002 B holds 4 databases x 10 fingers x 8 impressions, each finger of a different person,
so there are no real tenprints. A *pseudo-subject* is the 10 fingers of one database at one
impression j: finger 100 + p at position p. Mixed galleries hold every pseudo-subject (4 x 8)
as a distinct subject beside synthetic ones (bench/synthetic_gallery.py); each search then
removes (tombstones) the ones that must not be there:

- fold k (4 folds): database k is held out of the gallery entirely; its prints are the
  non-mated probes. The other three databases are enrolled;
- probe impression i (8): impression i of the enrolled databases is the mated probe and is
  taken out of the gallery; their 7 other impressions stay, as 7 distinct subjects.

So 21 real pseudo-subjects (210 fingers) are in the gallery at each search, the rest is
synthetic. Probes: the tenprint (positions 1..10), two-finger (positions p and p + 5, as the
two index fingers of a tenprint card) and one-finger (each position) subsets of one
pseudo-subject. A mated probe has 7 mates enrolled; it is scored once per mate as if that
mate were the only one (the other 6 are dropped from its candidate list), which is the
one-enrolment-per-person case. Non-mated probes: the held-out database, its fingers placed
at the positions by the identity and by BW_FP_REAL_SHUFFLES - 1 random permutations (other
pseudo-subjects from the same 80 images: more non-mated searches, not independent ones).

Sizes: BW_FP_REAL_SIZES=10000,100000 (gallery fingers, real ones included),
BW_FP_REAL_SHUFFLES=10, BW_FP_SHORTLIST=200, BW_FP_GALLERY_PARAMS=fast, BW_FP_REAL_PLOT=1
(write docs/img/fp-impostor-scores.png).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic_gallery import engine_key, params_named, synthetic_gallery

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-fingerprint"
PLOT = ROOT / "docs" / "img" / "fp-impostor-scores.png"
SEED = 2024
CANDIDATES = 10  # candidate list length L
IMPRESSIONS = range(1, 9)
PAIRS = ((1, 6), (2, 7), (3, 8), (4, 9), (5, 10))
MODES: dict[str, tuple[tuple[int, ...], ...]] = {
    "tenprint": (tuple(range(1, 11)),),
    "two-finger": PAIRS,
    "one-finger": tuple((p,) for p in range(1, 11)),
}


def _env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# ---- rates ---------------------------------------------------------------------------------
def threshold_for_fpir(nonmated_top: np.ndarray, fpir: float) -> float:
    """The lowest threshold at which at most fpir of the non-mated searches return a candidate
    scoring at or above it (a candidate at exactly the threshold is returned)."""
    top = np.sort(np.asarray(nonmated_top, dtype=float))[::-1]
    allowed = int(np.floor(fpir * len(top) + 1e-9))
    if allowed >= len(top):
        return -np.inf
    return float(np.nextafter(top[allowed], np.inf))


def fnir_at_fpir(
    mated: np.ndarray, nonmated_top: np.ndarray, fpir: float
) -> tuple[float, float, float]:
    """(FNIR, threshold, FPIR reached): mated holds each mated trial's mate score in the
    candidate list (-inf when the mate is not in it), nonmated_top the best candidate score of
    each non-mated search (-inf for an empty list)."""
    t = threshold_for_fpir(nonmated_top, fpir)
    fnir = float(np.mean(np.asarray(mated) < t))
    reached = float(np.mean(np.asarray(nonmated_top) >= t))
    return fnir, t, reached


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs."""
    a, b = np.sort(a), np.sort(b)
    x = np.concatenate([a, b])
    gap = np.searchsorted(a, x, side="right") / len(a) - np.searchsorted(b, x, side="right") / len(
        b
    )
    return float(np.max(np.abs(gap)))


# ---- the galleries -------------------------------------------------------------------------
def _real_templates() -> dict[str, dict[str, Any]]:
    from bench.fingerprint import PPI, _templates

    return {db: _templates(db) for db in PPI}


def _pseudo(db: str, impression: int) -> str:
    return f"R-{db}-{impression}"


def _fingers(real: Mapping[str, Any], impression: int, order: Sequence[int]) -> dict[int, Any]:
    """Position p holds finger 100 + order[p - 1] at this impression (empty templates left out)."""
    out = {p: real[f"{100 + f}_{impression}"] for p, f in enumerate(order, start=1)}
    return {p: t for p, t in out.items() if len(t) > 0}


def _mixed_gallery(
    fingers: int, params: str, real: Mapping[str, Mapping[str, Any]]
) -> tuple[Path, int]:
    """The saved gallery of synthetic subjects plus all 32 real pseudo-subjects (built now if
    missing) and its synthetic subject count, chosen so that with the 21 real pseudo-subjects
    left at each search the gallery holds `fingers` fingers."""
    from bench.fingerprint import _extraction_key
    from borderwatch.engines.fingerprint import gallery

    n_synth = (fingers - 21 * 10) // 10
    where = VAR / f"mixed-{fingers}-{params}-{SEED}-{engine_key()}-{_extraction_key()}"
    if (where / "CURRENT").exists():
        return where, n_synth
    base, _ = synthetic_gallery(n_synth, SEED, params)
    g = gallery.Gallery.load(base)
    for db, templates in real.items():
        for j in IMPRESSIONS:
            g.add(_pseudo(db, j), _fingers(templates, j, range(1, 11)))
    g.save(where)
    return where, n_synth


def _probes(
    templates: Mapping[str, Any], impression: int, order: Sequence[int]
) -> list[tuple[str, dict[int, Any]]]:
    fingers = _fingers(templates, impression, order)
    out = []
    for mode, subsets in MODES.items():
        for positions in subsets:
            probe = {p: fingers[p] for p in positions if p in fingers}
            if probe:
                out.append((mode, probe))
    return out


def _search_size(fingers: int, params: str, shortlist: int, shuffles: int, real: Any) -> dict:
    """Mate scores, non-mated top scores, rank-1 hits and search times by mode, one size."""
    from borderwatch.engines.fingerprint import gallery

    where, n_synth = _mixed_gallery(fingers, params, real)
    rng = np.random.default_rng(SEED)
    dbs = list(real)
    orders = {db: [list(range(1, 11))] for db in dbs}
    for db in dbs:
        orders[db] += [list(rng.permutation(10) + 1) for _ in range(shuffles - 1)]
    res: dict[str, dict[str, list[float]]] = {
        m: {"mated": [], "rank1": [], "nonmated": [], "top_real": [], "seconds": []} for m in MODES
    }
    for held in dbs:
        for i in IMPRESSIONS:
            g = gallery.Gallery.load(where)
            for db in dbs:
                for j in IMPRESSIONS:
                    if db == held or j == i:
                        g.remove(_pseudo(db, j))
            for db in dbs:
                if db == held:
                    continue
                mates = {_pseudo(db, j) for j in IMPRESSIONS if j != i}
                for mode, probe in _probes(real[db], i, range(1, 11)):
                    t0 = time.perf_counter()
                    found = g.search(probe, k=CANDIDATES + len(mates) - 1, shortlist=shortlist)
                    res[mode]["seconds"].append(time.perf_counter() - t0)
                    for mate in sorted(mates):
                        others = mates - {mate}
                        alone = [c for c in found if c.subject_id not in others]
                        listed = alone[:CANDIDATES]
                        hit = [c.score for c in listed if c.subject_id == mate]
                        res[mode]["mated"].append(hit[0] if hit else -np.inf)
                        res[mode]["rank1"].append(bool(listed) and listed[0].subject_id == mate)
            for order in orders[held]:
                for mode, probe in _probes(real[held], i, order):
                    t0 = time.perf_counter()
                    found = g.search(probe, k=CANDIDATES, shortlist=shortlist)
                    res[mode]["seconds"].append(time.perf_counter() - t0)
                    res[mode]["nonmated"].append(found[0].score if found else -np.inf)
                    res[mode]["top_real"].append(bool(found) and found[0].subject_id[:2] == "R-")
            del g
    return {"n_synth": n_synth, "where": where.name, "res": res}


# ---- impostor scores -----------------------------------------------------------------------
def impostor_scores(params: str, real: Mapping[str, Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """Single-finger MCC scores: real vs real impostors (every FVC impostor pair within a
    database, as (a)), real vs real across databases (each image against those of its 40
    random others that are in another database: the only real non-mates the 1:N galleries
    put before a non-mated probe), real vs synthetic (each real image against 100 synthetic gallery
    fingers), synthetic vs synthetic (impression 1 of 320 synthetic fingers against 100
    other synthetic fingers' impression 0), and real genuine pairs for reference."""
    from bench.fingerprint import _pairs
    from borderwatch.engines.fingerprint import mcc, synthetic

    p = params_named(params)
    rng = np.random.default_rng(SEED + 1)
    gen_pairs, imp_pairs = _pairs()
    rr, gen, real_cyl = [], [], []
    for templates in real.values():
        cyl = {k: mcc.encode(v, p) for k, v in templates.items()}  # type: ignore[arg-type]
        rr += [mcc.similarity(cyl[a], cyl[b], p) for a, b in imp_pairs]  # type: ignore[arg-type]
        gen += [mcc.similarity(cyl[a], cyl[b], p) for a, b in gen_pairs]  # type: ignore[arg-type]
        real_cyl += list(cyl.values())
    gallery_fingers = [
        mcc.encode(synthetic.impression(SEED, int(s), int(rng.integers(1, 11)), 0), p)  # type: ignore[arg-type]
        for s in rng.choice(100_000, size=100, replace=False)
    ]
    rs = [mcc.similarity(a, b, p) for a in real_cyl for b in gallery_fingers]  # type: ignore[arg-type]
    db_of = [n // 80 for n in range(len(real_cyl))]  # 80 images per database, in order
    cross = [
        mcc.similarity(real_cyl[a], real_cyl[b], p)  # type: ignore[arg-type]
        for a in range(len(real_cyl))
        for b in rng.choice(len(real_cyl), size=40, replace=False)
        if db_of[int(b)] != db_of[a]
    ]
    synth_probes = [
        mcc.encode(synthetic.impression(SEED, 200_000 + s, s % 10 + 1, 1), p)  # type: ignore[arg-type]
        for s in range(len(real_cyl))
    ]
    ss = [mcc.similarity(a, b, p) for a in synth_probes for b in gallery_fingers]  # type: ignore[arg-type]
    minutiae = {
        "real": np.array([len(t) for tt in real.values() for t in tt.values()]),
        "synthetic": np.array(
            [len(synthetic.impression(SEED, int(s), 1 + int(s) % 10, 0)) for s in range(320)]
        ),
    }
    return {
        "real vs real (impostor)": np.array(rr),
        "real vs real, other database": np.array(cross),
        "real vs synthetic": np.array(rs),
        "synthetic vs synthetic": np.array(ss),
        "real genuine (reference)": np.array(gen),
        "minutiae real": minutiae["real"],
        "minutiae synthetic": minutiae["synthetic"],
    }


COLOURS = ((31, 119, 180), (148, 103, 189), (214, 39, 40), (44, 160, 44))


def plot_histograms(series: Mapping[str, np.ndarray], path: Path, bins: int = 60) -> None:
    """Share of scores per bin, log scale, one line per series (Pillow: no matplotlib here)."""
    from PIL import Image, ImageDraw, ImageFont

    w, h, left, right, top, bottom = 900, 560, 80, 20, 40, 60
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=14)
    hi = max(float(np.max(v)) for v in series.values())
    edges = np.linspace(0.0, max(hi, 1e-6) * 1.02, bins + 1)
    lo_y, hi_y = -5.0, 0.0  # log10 of the share per bin
    pw, ph = w - left - right, h - top - bottom

    def xy(x: float, y: float) -> tuple[float, float]:
        return (
            left + pw * (x - edges[0]) / (edges[-1] - edges[0]),
            top + ph * (hi_y - y) / (hi_y - lo_y),
        )

    d.rectangle([left, top, left + pw, top + ph], outline="black")
    for e in range(int(lo_y), int(hi_y) + 1):
        x0, y0 = xy(edges[0], e)
        d.line([x0, y0, left + pw, y0], fill=(225, 225, 225))
        d.text((x0 - 8, y0), f"1e{e}", fill="black", font=font, anchor="rm")
    for t in np.linspace(0, edges[-1], 6):
        x0, y0 = xy(float(t), lo_y)
        d.line([x0, y0, x0, y0 + 5], fill="black")
        d.text((x0, y0 + 8), f"{t:.3f}", fill="black", font=font, anchor="mt")
    d.text((left + pw / 2, h - 22), "impostor MCC score (one finger against one, gallery parameters)", fill="black",
           font=font, anchor="mm")  # fmt: skip
    d.text((left, 12), "share of comparisons per bin (log scale)", fill="black", font=font)
    for n, (label, v) in enumerate(series.items()):
        share = np.histogram(v, bins=edges)[0] / len(v)
        pts: list[tuple[float, float]] = []
        for b in range(bins):
            y = np.log10(share[b]) if share[b] > 0 else lo_y
            pts += [xy(edges[b], y), xy(edges[b + 1], y)]
        colour = COLOURS[n % len(COLOURS)]
        d.line(pts, fill=colour, width=2)
        d.line([w - 330, top + 15 + 20 * n, w - 300, top + 15 + 20 * n], fill=colour, width=3)
        d.text((w - 292, top + 15 + 20 * n), f"{label} (n={len(v):,})", fill="black", font=font,
               anchor="lm")  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def _stats_rows(s: Mapping[str, np.ndarray]) -> list[str]:
    ref = s["real vs real (impostor)"]
    rows = [
        "| scores | n | mean | p99 | p99.9 | max | share above real-real p99.9 | KS vs real-real |",
        "|---|---|---|---|---|---|---|---|",
    ]
    p999 = float(np.percentile(ref, 99.9))
    for label in ("real vs real (impostor)", "real vs real, other database", "real vs synthetic",
                  "synthetic vs synthetic", "real genuine (reference)"):  # fmt: skip
        v = s[label]
        ks = "" if v is ref or "genuine" in label else f"{ks_statistic(ref, v):.3f}"
        rows.append(
            f"| {label} | {len(v):,} | {v.mean():.4f} | {np.percentile(v, 99):.4f}"
            f" | {np.percentile(v, 99.9):.4f} | {v.max():.4f} | {100 * (v > p999).mean():.2f} %"
            f" | {ks} |"
        )
    return rows


# ---- the section ---------------------------------------------------------------------------
def _fmt_rate(fnir: float, reached: float, n_non: int, fpir: float) -> str:
    coarse = "" if fpir * n_non >= 1 else "*"
    return f"{100 * fnir:.1f} %{coarse} ({100 * reached:.2f})"


def real_search() -> str:
    params = os.environ.get("BW_FP_GALLERY_PARAMS", "fast")
    shortlist = _env("BW_FP_SHORTLIST", 200)
    shuffles = _env("BW_FP_REAL_SHUFFLES", 10)
    sizes = [int(s) for s in os.environ.get("BW_FP_REAL_SIZES", "10000,100000").split(",") if s]
    real = _real_templates()
    rows = [
        "| gallery fingers (synthetic + real) | search | mated trials | non-mated searches"
        " | rank-1 | FNIR at FPIR 1 % (FPIR reached %) | FNIR at FPIR 0.1 % (FPIR reached %)"
        " | mate not in the list | non-mated top candidate real | median s / search |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    built = []
    for size in sizes:
        t0 = time.perf_counter()
        out = _search_size(size, params, shortlist, shuffles, real)
        built.append(f"{size:,}: {out['where']} ({time.perf_counter() - t0:.0f} s)")
        for mode, r in out["res"].items():
            mated, non = np.array(r["mated"]), np.array(r["nonmated"])
            cells = [
                _fmt_rate(*fnir_at_fpir(mated, non, x)[::2], len(non), x) for x in (0.01, 0.001)
            ]
            rows.append(
                f"| {size:,} ({10 * out['n_synth']:,} + 210) | {mode} | {len(mated):,}"
                f" | {len(non):,} | {100 * np.mean(r['rank1']):.1f} % | {cells[0]} | {cells[1]}"
                f" | {100 * np.mean(np.isneginf(mated)):.1f} % | {100 * np.mean(r['top_real']):.0f} %"
                f" | {np.median(r['seconds']):.3f} |"
            )
    s = impostor_scores(params, real)
    if _env("BW_FP_REAL_PLOT", 1):
        plot_histograms(
            {k: v for k, v in s.items() if k.startswith(("real vs", "synthetic vs"))}, PLOT
        )
    mr, ms = s["minutiae real"], s["minutiae synthetic"]
    return "\n".join(
        [
            f"Gallery parameters `{params}`, pre-filter shortlist {shortlist} subjects, candidate"
            f" list of {CANDIDATES}; {shuffles} finger-to-position orders per held-out database"
            " for the non-mated probes. Protocol: module docstring of bench/fingerprint_real.py."
            " FNIR: share of mated trials whose mate is not in the candidate list with a score"
            " at or above the threshold; the threshold is the lowest at which at most 1 % /"
            " 0.1 % of the non-mated searches return any candidate at or above it. * : FPIR x"
            " non-mated searches < 1, so the threshold is just above the highest non-mated"
            " score and the FPIR reached (in brackets) is 0. Searches " + "; ".join(built) + ".",
            "",
            *rows,
            "",
            f"Impostor scores, one finger against one finger (`{params}` parameters):"
            f" {PLOT.relative_to(ROOT)}. Median minutiae: real {np.median(mr):.0f}"
            f" (p10-p90 {np.percentile(mr, 10):.0f}-{np.percentile(mr, 90):.0f}), synthetic"
            f" {np.median(ms):.0f} ({np.percentile(ms, 10):.0f}-{np.percentile(ms, 90):.0f}).",
            "",
            *_stats_rows(s),
        ]
    )


if __name__ == "__main__":
    VAR.mkdir(parents=True, exist_ok=True)
    print(real_search())
