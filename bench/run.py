"""`make bench`: run the benchmarks and write their sections into docs/benchmarks.md.

Each benchmark is a module bench/<name>.py with `run() -> str` returning a Markdown section
(what was run, the peer measured in the same run, the figures). This script adds the machine
and the date, and replaces only the sections it ran, so one benchmark can be re-run alone:

    make bench                    # all
    make bench ONLY=fingerprint   # one (comma-separated list allowed)
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
BENCHMARKS = [
    "events", "fingerprint", "placement", "registration", "uploads", "procedures", "api_lists",
    "news", "linkage", "forecast", "load", "scenario",
]  # fmt: skip
HEADER = (
    "# Benchmarks\n\nWritten by `make bench` (bench/run.py). Each section names the machine,"
    " the date and the peer\nmeasured in the same run."
    " Re-run one section with `make bench ONLY=<name>`.\n"
)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem_gib:.0f} GiB, Python {platform.python_version()}"


def sections(text: str) -> dict[str, str]:
    found = re.findall(r"<!-- bench:(\w+) -->\n(.*?)<!-- /bench:\1 -->\n", text, flags=re.S)
    return dict(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=os.environ.get("ONLY", ""))
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or BENCHMARKS
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    commit = _git("rev-parse", "--short", "HEAD")
    if _git("status", "--porcelain", "--untracked-files=no", "--", "src", "bench"):
        commit += " with uncommitted changes"
    sys.path.insert(0, str(ROOT))
    done: dict[str, str] = {}
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== bench {name}", flush=True)
        started = dt.datetime.now(dt.UTC)
        body = module.run()
        when = f"{started:%Y-%m-%d %H:%M} UTC"
        stamp = f"_Run {when} on {machine()}, commit {commit or 'uncommitted'}._\n\n"
        done[name] = stamp + body.strip() + "\n"
    # Read the file only now: other sections may have been rewritten while this one ran.
    existing = sections(DOC.read_text()) if DOC.exists() else {}
    existing.update(done)
    out = [HEADER]
    for name in BENCHMARKS:
        if name in existing:
            out.append(f"\n<!-- bench:{name} -->\n{existing[name]}<!-- /bench:{name} -->\n")
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("".join(out))
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def _git(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - git with our own arguments
        ["git", *args],  # noqa: S607 - git from PATH, fixed arguments
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
