"""Registrations per minute, end to end: person, ten fingerprint images, 1:N identification.

A child process (this file re-invoked with `--child`) works on a fresh SQLite database in a
temporary folder: it loads the demo scenario (whose gallery holds the synthetic fingerprints of
the scenario's persons), then registers persons through the real services as a Lithuanian
registration officer would: `create_person`, `capture_images` (decode, resample, extract, store
ten PNGs and templates) and `request_identification`, whose task runs in-process on commit
(django-tasks ImmediateBackend) and searches the gallery of every member state.

The fingerprints are the FVC2002 B sets (real images, never copied into the repository): person
k of a set is fingers 101..110, impression k, so persons 2..8 of a set are the same person
registered again and must be found; the first of each set must not hit anything.

The same registrations then run a second time, in a second fresh database, against a gallery
of 1 M fingers: the scenario's persons plus BENCH_REG_SYNTHETIC (default 100,000) synthetic
persons x 10 fingers, created as Person rows, whose fingers come from the synthetic gallery the
fingerprint benchmark builds (bench/synthetic_gallery.py, cached in var/; about 30 minutes to
build the first time). That gallery is encoded with the fast MCC parameters
(GALLERY_PARAMS=fast, the national-scale setting); the scenario-size run keeps the default.
It also times one compaction of the journal into a new 1 M-finger snapshot: what every
enrolment would cost if the index were rewritten each time.

    .venv/bin/python bench/run.py --only registration
    BENCH_REG_SETS=DB1_B BENCH_REG_SYNTHETIC=0 .venv/bin/python bench/run.py --only registration

No outside peer exists for this flow; the same run reports its parts (capture alone,
identification alone) so the cost of identification is set against the cost of capture, and
the scenario-size gallery is the peer of the 1 M-finger one.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FVC = Path(os.environ.get("BW_FP_FVC", ROOT.parent / "shared" / "data" / "fvc2002"))
SETS = ("DB1_B", "DB2_B", "DB3_B", "DB4_B")
SEED = 2021
SYNTHETIC_SEED = 2024  # the fingerprint benchmark's synthetic gallery, shared through var/
IMPRESSIONS = range(1, 9)
FINGERS = range(101, 111)  # finger 101 is recorded as position 1 (right thumb), and so on


def log(message: str) -> None:
    print(f"  [registration] {message}", file=sys.stderr, flush=True)


def add_synthetic_persons(synthetic_dir: str, n: int) -> dict[str, float]:
    """Create n synthetic Person rows and make the gallery their synthetic fingers plus every
    registered person's latest set (as `gallery rebuild` would, without re-encoding 1 M)."""
    from bench.synthetic_gallery import subject_id
    from borderwatch.engines.fingerprint.gallery import Gallery
    from borderwatch.registration import gallery
    from borderwatch.registration.models import Person
    from borderwatch.registration.services import latest_templates

    t0 = time.perf_counter()
    states = ("LT", "LV", "PL")
    created = Person.objects.bulk_create(
        (
            Person(
                member_state=states[i % 3],
                name_as_written=f"Synthetic {i}",
                name_transliterated=f"Synthetic {i}",
                nationality="IQ",
                eurodac_category=2,
                synthetic=True,
            )
            for i in range(n)
        ),
        batch_size=5000,
    )
    ids = list(
        Person.objects.filter(synthetic=True, name_as_written__startswith="Synthetic ")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == len(created) == n
    t1 = time.perf_counter()
    merged = Gallery.load(synthetic_dir, mmap=True)
    if merged.subject_count() != n:
        raise SystemExit(f"{synthetic_dir} holds {merged.subject_count()} subjects, not {n}")
    merged.rename({subject_id(i): str(pk) for i, pk in enumerate(ids)})
    for person_id, fingers in latest_templates():
        merged.add(str(person_id), fingers)
    gallery.replace(merged)
    del merged
    t2 = time.perf_counter()
    gallery.size()  # this process loads the index once, as a long-running worker does
    t3 = time.perf_counter()
    log(
        f"{n:,} synthetic persons: rows {t1 - t0:.0f} s, snapshot {t2 - t1:.0f} s, load {t3 - t2:.1f} s"
    )
    return {"rows_s": t1 - t0, "snapshot_s": t2 - t1, "load_s": t3 - t2}


def child(sets: list[str], synthetic_dir: str, n: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from borderwatch.accounts.services import create_user
    from borderwatch.core.roles import Role
    from borderwatch.registration import gallery
    from borderwatch.registration.models import Hit, IdentificationRequest, RequestStatus
    from borderwatch.registration.services import (
        capture_images,
        compact_gallery,
        create_person,
        request_identification,
    )
    from borderwatch.scenario.loader import load

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    load("belarus-2021", SEED)
    log(f"scenario loaded in {time.perf_counter() - t0:.0f} s")
    setup = add_synthetic_persons(synthetic_dir, n) if n else {}
    gallery_persons = gallery.size()
    fingers_at_start = gallery.finger_count()
    officer = create_user(
        None,
        username="bench_registrar_lt",
        password=secrets.token_urlsafe(16),
        role=Role.REGISTRATION_OFFICER,
        member_state="LT",
    )
    rows = []
    for db in sets:
        registered: list[int] = []
        for k in IMPRESSIONS:
            files = {
                pos: (f"{f}_{k}.tif", (FVC / db / f"{f}_{k}.tif").read_bytes())
                for pos, f in enumerate(FINGERS, start=1)
            }
            t_start = time.perf_counter()
            person = create_person(
                officer,
                member_state="LT",
                name_as_written=f"Bench {db} {k}",
                name_transliterated=f"Bench {db} {k}",
                sex="M",
                nationality="IQ",
                eurodac_category=2,
            )
            fs = capture_images(officer, person.pk, files, {})
            t_captured = time.perf_counter()
            req = request_identification(officer, fs.pk)  # the task runs on commit, in-process
            t_done = time.perf_counter()
            req.refresh_from_db()
            assert req.status == RequestStatus.DONE, (req.status, req.error)
            found = set(Hit.objects.filter(request=req).values_list("candidate_id", flat=True))
            rows.append(
                {
                    "set": db,
                    "impression": k,
                    "capture_s": t_captured - t_start,
                    "identify_s": t_done - t_captured,
                    "total_s": t_done - t_start,
                    "gallery_persons": req.gallery_size,
                    "mates_before": len(registered),
                    "mates_found": len(found & set(registered)),
                    "other_hits": len(found - set(registered)),
                }
            )
            registered.append(person.pk)
            log(
                f"{db} #{k}: capture {rows[-1]['capture_s']:.1f} s, identification "
                f"{rows[-1]['identify_s']:.2f} s, {len(found)} hit(s)"
            )
    failed = IdentificationRequest.objects.exclude(status=RequestStatus.DONE).count()
    journal = gallery.journal_entries()
    t0 = time.perf_counter()
    compacted = compact_gallery(force=True)
    compaction_s = time.perf_counter() - t0
    log(f"compaction of {journal} journal records: {compaction_s:.1f} s")
    return {
        "gallery_persons_at_start": gallery_persons,
        "gallery_fingers_at_start": fingers_at_start,
        "params": os.environ.get("BORDERWATCH_GALLERY_PARAMS", "default"),
        "setup": setup,
        "rows": rows,
        "failed": failed,
        "journal_records": journal,
        "compacted": compacted,
        "compaction_s": compaction_s,
    }


def _measure(sets: list[str], synthetic_dir: str = "", n: int = 0) -> dict[str, Any]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "borderwatch.config.settings"
    env["DJANGO_DEBUG"] = "0"
    env["BORDERWATCH_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    env["BORDERWATCH_GALLERY_PARAMS"] = "fast" if n else "default"
    env.pop("DATABASE_URL", None)
    (ROOT / "var").mkdir(exist_ok=True)  # the 1 M-finger snapshots need disk, not /tmp
    with tempfile.TemporaryDirectory(prefix="bench_registration_", dir=ROOT / "var") as var:
        env["BORDERWATCH_VAR_DIR"] = var
        env["BORDERWATCH_GALLERY_DIR"] = str(Path(var) / "gallery")
        done = subprocess.run(  # noqa: S603 - this interpreter, our module and arguments
            [
                *(sys.executable, "-m", "bench.registration", "--child", ",".join(sets)),
                *("--synthetic", synthetic_dir, "--subjects", str(n)),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _per_minute(seconds: list[float]) -> str:
    return f"{60 / statistics.mean(seconds):.1f}"


def _summary(label: str, result: dict[str, Any]) -> dict[str, str]:
    rows = result["rows"]
    total = [r["total_s"] for r in rows]
    capture = [r["capture_s"] for r in rows]
    identify = [r["identify_s"] for r in rows]
    with_mates = [r for r in rows if r["mates_before"]]
    return {
        "label": label,
        "gallery": f"{result['gallery_persons_at_start']:,} persons /"
        f" {result['gallery_fingers_at_start']:,} fingers ({result['params']})",
        "n": str(len(rows)),
        "total": f"{statistics.median(total):.2f}",
        "per_min": _per_minute(total),
        "capture": f"{statistics.median(capture):.2f}",
        "identify": f"{statistics.median(identify):.2f}",
        "identify_p95": f"{sorted(identify)[max(0, round(0.95 * len(identify)) - 1)]:.2f}",
        "mates": f"{sum(r['mates_found'] == r['mates_before'] for r in with_mates)}"
        f"/{len(with_mates)}",
        "false": str(sum(r["other_hits"] for r in rows)),
        "failed": str(result["failed"]),
        "compaction": f"{result['compaction_s']:.1f} s ({result['journal_records']} records)",
    }


def run() -> str:
    from bench.synthetic_gallery import synthetic_gallery

    sets = [s for s in os.environ.get("BENCH_REG_SETS", ",".join(SETS)).split(",") if s]
    missing = [s for s in sets if not (FVC / s).is_dir()]
    if missing:
        raise SystemExit(f"FVC2002 sets not found under {FVC}: {', '.join(missing)}")
    n = int(os.environ.get("BENCH_REG_SYNTHETIC", "100000"))
    runs = [_summary("scenario gallery", _measure(sets))]
    build_note = ""
    if n:
        where, build = synthetic_gallery(n, SYNTHETIC_SEED, "fast")
        big = _measure(sets, str(where), n)
        runs.append(_summary(f"scenario + {n:,} synthetic persons", big))
        st = big["setup"]
        build_note = (
            f" The synthetic fingers ({where.name}) took {build:.0f} s to encode on 2 processes"
            " (once, cached); in this run, creating the Person rows took"
            f" {st['rows_s']:.0f} s, writing the merged snapshot {st['snapshot_s']:.0f} s and"
            f" loading it into the searching process {st['load_s']:.1f} s (memory-mapped;"
            " a worker does this once)."
        )
    env = " ".join(f"{k}={os.environ[k]}" for k in sorted(os.environ) if k.startswith("BENCH_REG_"))
    table = [
        "| gallery at the start | registrations | median s end to end | **registrations / min**"
        " | capture median s | identification median / p95 s | mates found | false hits"
        " | requests not done | compaction of the journal |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ] + [
        f"| {r['gallery']} | {r['n']} | {r['total']} | **{r['per_min']}** | {r['capture']}"
        f" | {r['identify']} / {r['identify_p95']} | {r['mates']} | {r['false']} | {r['failed']}"
        f" | {r['compaction']} |"
        for r in runs
    ]
    return "\n".join(
        [
            "## Registration: end to end with identification",
            "",
            f"Command: `{env} .venv/bin/python bench/run.py --only registration`.".replace(
                "` ", "`"
            ),
            "",
            "Each run: one process, a fresh SQLite database with the demo scenario loaded (seed"
            f" 2021), then {len(sets) * len(IMPRESSIONS)} registrations one after the other from"
            f" the FVC2002 sets {', '.join(sets)} (person k of a set = fingers 101..110,"
            " impression k: ten image files), as a Lithuanian registration officer. Each"
            " registration = `create_person` + `capture_images` (decode, resample, extract with"
            " the classical pyfing pipeline, store PNGs and templates) + `request_identification`"
            " (the task runs in-process on commit: 1:N search of every member state, hits,"
            " enrolment as one journal record). The second run adds synthetic persons (Person"
            " rows; their fingers only in the gallery index, encoded with the fast MCC"
            " parameters) so that the gallery holds"
            f" {runs[-1]['gallery'].split(' (')[0]} at the start." * bool(n) + build_note,
            "",
            *table,
            "",
            "Mates found: searches that had earlier registrations of the same person / of those,"
            " how many found every one as a hit. False hits: hits on anyone else. Compaction:"
            " folding the journal into a new snapshot of the whole gallery, timed after the"
            " registrations; without the journal every enrolment would cost that much.",
            "",
            "The machine has 2 cores shared with other work.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="child process of bench/registration.py")
    parser.add_argument("--child", required=True, help="comma-separated FVC2002 sets")
    parser.add_argument("--synthetic", default="", help="synthetic gallery directory")
    parser.add_argument("--subjects", type=int, default=0, help="its subjects")
    args = parser.parse_args(argv)
    print(json.dumps(child(args.child.split(","), args.synthetic, args.subjects)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
