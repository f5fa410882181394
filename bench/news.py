"""News extraction: precision, recall and F1 per claim type and for resolved dates against
the gold annotations in bench/data/news_gold (format: docs/news-annotations.md), and articles
per second.

Article texts are read from a data folder (`--data`, default ../shared/news relative to the
repository root), since the annotations keep only spans and values where a text's licence is
unclear. A claim is right when an extracted claim of the same kind overlaps its span and every
field the gold names (count, state, day or period, values) is equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from borderwatch.engines.news import Claim, extract  # noqa: E402

GOLD = ROOT / "bench" / "data" / "news_gold"
DEFAULT_DATA = ROOT / ".." / "shared" / "news"
COUNTS = {"detained", "apprehended", "crossing", "prevented", "total"}
REPEATS = 20


def _overlaps(a: list[int], start: int, end: int) -> bool:
    return a[0] < end and start < a[1]


def _right(gold: dict[str, Any], claim: Claim) -> bool:
    if "count" in gold and gold["count"] != claim.count:
        return False
    if "state" in gold and gold["state"] != claim.state:
        return False
    if "day" in gold:
        got = (
            None
            if claim.date is None
            else [claim.date.start.isoformat(), claim.date.end.isoformat()]
        )
        if got != gold["day"]:
            return False
    if "nationality" in gold and claim.values.get("nationality") != gold["nationality"]:
        return False
    return all(claim.values.get(k) == v for k, v in gold.get("values", {}).items())


def score(data: Path) -> tuple[dict[str, Counter[str]], int, float]:
    """Per category (claim kinds, "counts with state and day", "dates"): tp, fp, fn."""
    tally: dict[str, Counter[str]] = {}
    texts: list[tuple[str, dt.date, str]] = []
    for gold_file in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_file.read_text("utf-8"))
        path = data / gold["file"]
        if not path.exists():
            print(f"skipped {gold['file']}: not in {data}", file=sys.stderr)
            continue
        text = path.read_text("utf-8")
        if hashlib.sha256(text.encode()).hexdigest() != gold["text_sha256"]:
            print(f"skipped {gold['file']}: text differs from the annotated one", file=sys.stderr)
            continue
        published = dt.date.fromisoformat(gold["published"])
        texts.append((text, published, gold["time_zone"]))
        found = extract(text, published, gold["time_zone"])
        used: set[int] = set()
        for g in gold["claims"]:
            cats = [g["kind"]] + (["counts with state and day"] if g["kind"] in COUNTS else [])
            hit = next(
                (i for i, c in enumerate(found.claims) if i not in used and str(c.kind) == g["kind"]
                 and _overlaps(g["span"], c.span.start, c.span.end) and _right(g, c)),
                None,
            )  # fmt: skip
            for cat in cats:
                tally.setdefault(cat, Counter())["tp" if hit is not None else "fn"] += 1
            if hit is not None:
                used.add(hit)
        for i, c in enumerate(found.claims):
            if i not in used:
                cats = [str(c.kind)] + (
                    ["counts with state and day"] if str(c.kind) in COUNTS else []
                )
                for cat in cats:
                    tally.setdefault(cat, Counter())["fp"] += 1
        dates = tally.setdefault("resolved dates", Counter())
        left = list(found.dates)
        for g in gold["dates"]:
            match = next((d for d in left if _overlaps(g["span"], d.span.start, d.span.end)
                          and [d.start.isoformat(), d.end.isoformat()] == g["day"]), None)  # fmt: skip
            dates["tp" if match else "fn"] += 1
            if match:
                left.remove(match)
        dates["fp"] += len(left)
    start = time.perf_counter()
    for _ in range(REPEATS):
        for text, published, tz in texts:
            extract(text, published, tz)
    elapsed = time.perf_counter() - start
    rate = REPEATS * len(texts) / elapsed if texts else 0.0
    return tally, len(texts), rate


def _prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def run(data: Path = DEFAULT_DATA) -> str:
    tally, articles, rate = score(data.resolve())
    lines = [
        "## News extraction (engines/news)",
        "",
        f"Gold: bench/data/news_gold ({articles} article(s) found in the data folder; the texts are"
        " read from `--data`, default ../shared/news). Rule-based pipeline, no model. Command:"
        " `.venv/bin/python bench/news.py` or `make bench ONLY=news`.",
        "",
        "| category | gold | extracted | right | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for cat in sorted(
        tally, key=lambda k: (k in ("counts with state and day", "resolved dates"), k)
    ):
        c = tally[cat]
        p, r, f = _prf(c)
        lines.append(
            f"| {cat} | {c['tp'] + c['fn']} | {c['tp'] + c['fp']} | {c['tp']} | {p:.2f} | {r:.2f} | {f:.2f} |"
        )
    lines += [
        "",
        f"Speed: {rate:.1f} articles per second ({REPEATS} passes, one process, pipeline warm).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of article texts")
    print(run(parser.parse_args().data))


if __name__ == "__main__":
    main()
