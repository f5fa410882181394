"""`borderwatch fingerprint extract|match|enrol|search`: the engine from a shell.

The benchmark is not an engine command: run `bench/run.py --only fingerprint` from a checkout.

Every bad input (missing file, unreadable template, malformed gallery, bad finger position)
ends with one line on stderr naming the problem and exit code 2; nothing is written then.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.template import Template

EXIT_BAD_INPUT = 2


def _read_template(path: str) -> Template:
    """A template from our .bwt file or an ISO/IEC 19794-2 record (by content)."""
    from borderwatch.engines.fingerprint import templatefile

    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FingerprintInputError(f"cannot read {p}: {exc.strerror or exc}") from None
    if data[:4] == b"FMR\x00":
        from borderwatch.engines.fingerprint import iso19794

        views = iso19794.decode_fmr(data)
        if len(views) != 1:
            raise FingerprintInputError(f"{p} holds {len(views)} finger views; give one")
        return views[0]
    return templatefile.loads(data, str(p))


def _finger_arg(text: str) -> tuple[int, str]:
    pos, sep, path = text.partition("=")
    if not sep or not pos.isdigit() or not 1 <= int(pos) <= 10:
        raise argparse.ArgumentTypeError(f"{text!r} is not POSITION=FILE with POSITION 1..10")
    return int(pos), path


def _cmd_extract(a: argparse.Namespace) -> int:
    from borderwatch.engines.fingerprint import features, templatefile

    t = features.extract_file(a.image, finger_position=a.finger, resolution_ppi=a.ppi)
    out = Path(a.output)
    if a.format == "iso":
        from borderwatch.engines.fingerprint import iso19794

        tmp = out.with_name(f".{out.name}.partial")
        tmp.write_bytes(iso19794.encode_fmr([t]))
        tmp.replace(out)
    else:
        templatefile.save(t, out)
    print(f"{out}: {len(t)} minutiae, quality {t.quality}")
    return 0


def _cmd_match(a: argparse.Namespace) -> int:
    from borderwatch.engines.fingerprint import calibration, mcc

    score = mcc.compare(_read_template(a.first), _read_template(a.second))
    fmr = calibration.fmr_for_score(score)
    print(json.dumps({"score": round(score, 6), "fmr": fmr}))
    return 0


def _cmd_enrol(a: argparse.Namespace) -> int:
    from borderwatch.engines.fingerprint import gallery

    fingers = {pos: _read_template(path) for pos, path in a.finger}
    root = Path(a.gallery)
    g = gallery.Gallery.load(root, mmap=False) if (root / "CURRENT").exists() else gallery.Gallery()
    g.add(a.subject, fingers)
    g.save(root)
    print(f"enrolled {a.subject} ({len(fingers)} fingers); gallery holds {len(g)} fingers")
    return 0


def _cmd_search(a: argparse.Namespace) -> int:
    from borderwatch.engines.fingerprint import calibration, gallery

    probe = {pos: _read_template(path) for pos, path in a.finger}
    g = gallery.Gallery.load(a.gallery)
    out = [
        {
            "subject": c.subject_id,
            "score": round(c.score, 6),
            "fingers": {str(k): round(v, 6) for k, v in c.finger_scores.items()},
            "best_finger_fmr": calibration.fmr_for_score(max(c.finger_scores.values(), default=0)),
        }
        for c in g.search(probe, k=a.top)
    ]
    print(json.dumps(out, indent=1))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="borderwatch fingerprint", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="image -> template file")
    e.add_argument("image")
    e.add_argument("output")
    e.add_argument("--finger", type=int, default=0, help="finger position 0..10")
    e.add_argument("--ppi", type=float, default=None, help="override the image's resolution")
    e.add_argument("--format", choices=["bwt", "iso"], default="bwt")
    e.set_defaults(func=_cmd_extract)
    m = sub.add_parser("match", help="compare two templates (.bwt or ISO 19794-2)")
    m.add_argument("first")
    m.add_argument("second")
    m.set_defaults(func=_cmd_match)
    n = sub.add_parser("enrol", help="add a subject's fingers to a gallery directory")
    n.add_argument("gallery")
    n.add_argument("subject")
    n.add_argument("finger", nargs="+", type=_finger_arg, metavar="POSITION=TEMPLATE")
    n.set_defaults(func=_cmd_enrol)
    s = sub.add_parser("search", help="1:N search of a tenprint against a gallery")
    s.add_argument("gallery")
    s.add_argument("finger", nargs="+", type=_finger_arg, metavar="POSITION=TEMPLATE")
    s.add_argument("--top", type=int, default=10)
    s.set_defaults(func=_cmd_search)
    return p


def main(argv: list[str]) -> int:
    from borderwatch.engines.fingerprint.gallery import GalleryError

    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except (FingerprintInputError, GalleryError, KeyError, ValueError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"borderwatch fingerprint {args.command}: error: {msg}", file=sys.stderr)
        return EXIT_BAD_INPUT
