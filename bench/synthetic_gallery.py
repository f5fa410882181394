"""The persisted synthetic fingerprint gallery shared by the fingerprint and registration
benchmarks: n subjects "S0000000".. x 10 fingers (synthetic.py, impression 0), built once on
2 processes and reused from var/ while the engine code that shapes its arrays is unchanged."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench-fingerprint"


def params_named(name: str) -> object:
    from borderwatch.engines.fingerprint import mcc

    return {"fast": mcc.FAST_PARAMS, "default": mcc.DEFAULT_PARAMS}[name]


def subject_id(s: int) -> str:
    return f"S{s:07d}"


def _encode_subject(args: tuple[int, int, str]) -> tuple[str, dict]:
    from borderwatch.engines.fingerprint import mcc, signature, synthetic

    seed, s, params = args
    fingers = {}
    for f in range(1, 11):
        t = synthetic.impression(seed, s, f, 0)
        fingers[f] = (mcc.encode(t, params_named(params)), signature.signature(t))  # type: ignore[arg-type]
    return subject_id(s), fingers


def engine_key() -> str:
    """Hash of the code that decides the stored arrays (not of search code)."""
    from borderwatch.engines.fingerprint import gallery

    src = ROOT / "src" / "borderwatch" / "engines" / "fingerprint"
    h = hashlib.sha256()
    for name in ("mcc.py", "synthetic.py", "signature.py", "template.py"):
        h.update((src / name).read_bytes())
    h.update(f"{gallery.FORMAT}/{gallery.VERSION}".encode())
    return h.hexdigest()[:12]


def synthetic_gallery(n: int, seed: int, params: str) -> tuple[Path, float]:
    """The saved gallery directory for these settings (built now if missing) and the seconds
    its build took."""
    from borderwatch.engines.fingerprint import gallery

    where = VAR / f"gallery-{n}-{params}-{seed}-{engine_key()}"
    timing = where / "build_seconds.txt"
    if timing.exists() and (where / "CURRENT").exists():
        return where, float(timing.read_text())
    g = gallery.Gallery(params_named(params))  # type: ignore[arg-type]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        jobs = [(seed, s, params) for s in range(n)]
        for sid, fingers in pool.map(_encode_subject, jobs, chunksize=64):
            g.add_encoded(sid, fingers)
    g.save(where)
    build = time.perf_counter() - t0
    timing.write_text(f"{build:.1f}\n")
    return where, build


if __name__ == "__main__":
    import sys

    print(synthetic_gallery(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
