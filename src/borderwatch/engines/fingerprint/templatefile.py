"""Our own template file (.bwt): a Template in a numpy .npz with a format name and version.

ISO/IEC 19794-2 (iso19794.py) is the exchange format; this one keeps float coordinates and
angles exactly as extracted, for caches and the CLI. Reading checks every field and raises
FingerprintInputError naming the problem; pickles are never loaded.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.template import Template

FORMAT = "borderwatch-template"
VERSION = 1


def dumps(t: Template) -> bytes:
    """The file's bytes for a template."""
    buf = io.BytesIO()
    np.savez(
        buf,
        format=np.array(FORMAT),
        version=np.array(VERSION),
        minutiae=t.as_array(),
        header=np.array([t.width, t.height, t.quality, t.finger_position], dtype=np.int64),
    )
    return buf.getvalue()


def save(t: Template, path: str | os.PathLike[str]) -> None:
    """Write atomically: a temporary file beside the target, then os.replace."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.partial")
    tmp.write_bytes(dumps(t))
    os.replace(tmp, p)


def loads(data: bytes, name: str = "template") -> Template:
    """Parse a template file's bytes; `name` is used in error messages."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            fields = {k: z[k] for k in z.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise FingerprintInputError(f"{name} is not a borderwatch template file: {exc}") from None
    missing = {"format", "version", "minutiae", "header"} - set(fields)
    if missing:
        raise FingerprintInputError(f"{name} lacks {', '.join(sorted(missing))}")
    if str(fields["format"]) != FORMAT:
        raise FingerprintInputError(f"{name} is not a {FORMAT} file")
    if int(fields["version"]) != VERSION:
        raise FingerprintInputError(f"{name} has version {fields['version']}; we read {VERSION}")
    m, h = fields["minutiae"], fields["header"]
    if m.ndim != 2 or m.shape[1] != 5 or not np.issubdtype(m.dtype, np.floating):
        raise FingerprintInputError(f"{name}: minutiae must be an (n, 5) float array")
    if not np.isfinite(m).all():
        raise FingerprintInputError(f"{name}: minutiae contain NaN or infinity")
    if h.shape != (4,) or not np.issubdtype(h.dtype, np.integer):
        raise FingerprintInputError(f"{name}: header must be 4 integers")
    try:
        return Template.from_arrays(
            m, width=int(h[0]), height=int(h[1]), quality=int(h[2]), finger_position=int(h[3])
        )
    except ValueError as exc:
        raise FingerprintInputError(f"{name}: {exc}") from None


def load(path: str | os.PathLike[str]) -> Template:
    """Read a template file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FingerprintInputError(f"cannot read {p}: {exc.strerror or exc}") from None
    return loads(data, str(p))
