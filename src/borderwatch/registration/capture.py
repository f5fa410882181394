"""Fingerprint uploads to templates: ten image files or one ANSI/NIST-ITL transaction.

Decoding is cheap and comes first, so that a wrong finger count or an undecodable file is
refused before the ~0.3 s per finger of feature extraction. Everything is decoded and
extracted before anything is saved: a bad file rejects the whole capture with a message
naming the finger and the problem (ValidationError, keyed by field). Images are kept as PNG
resampled to 500 ppi: the same pixel grid as the template's minutiae, so the expert's overlay
needs no scaling.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.core.exceptions import ValidationError
from PIL import Image

from borderwatch.engines.fingerprint import (
    FingerprintInputError,
    Template,
    decode_image,
    extract_template,
    read_nist,
    resample_to_500ppi,
    template_to_bytes,
)
from borderwatch.registration.models import FINGER_NAMES, MissingReason

POSITIONS = range(1, 11)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a 1000 ppi uncompressed rolled print is ~2 MB
MAX_NIST_BYTES = 10 * MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class RawFinger:
    """A decoded finger image, not yet extracted."""

    position: int
    pixels: npt.NDArray[np.uint8]
    resolution_ppi: float


@dataclass(frozen=True)
class CapturedFinger:
    """A finger ready to store: its 500 ppi PNG (empty for synthetic data) and its template."""

    position: int
    png: bytes
    template: Template

    @property
    def quality(self) -> int:
        return int(self.template.quality)

    @property
    def template_bytes(self) -> bytes:
        return template_to_bytes(self.template)


def _png(pixels: npt.NDArray[np.uint8]) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buf, format="PNG", dpi=(500, 500))
    return buf.getvalue()


def extract(raw: Sequence[RawFinger]) -> list[CapturedFinger]:
    """Templates of decoded fingers; a failure names the finger."""
    out: list[CapturedFinger] = []
    for f in raw:
        try:
            at500 = resample_to_500ppi(f.pixels, f.resolution_ppi)
            template = extract_template(at500, 500, f.position)
        except FingerprintInputError as exc:
            raise ValidationError(
                {f"finger_{f.position}": f"{FINGER_NAMES[f.position]}: {exc}"}
            ) from None
        out.append(CapturedFinger(f.position, _png(at500), template))
    return out


def check_missing(missing: Mapping[int, str]) -> dict[int, str]:
    """Missing-finger reasons by position; raises naming a bad position or reason."""
    reasons = set(MissingReason.values)
    out: dict[int, str] = {}
    for pos, reason in missing.items():
        if pos not in POSITIONS:
            raise ValidationError({"missing": f"Finger position {pos} is not 1..10."})
        if reason not in reasons:
            raise ValidationError(
                {f"missing_{pos}": f"{FINGER_NAMES[pos]}: reason {reason!r} is not one of "
                 f"{', '.join(sorted(reasons))}."}
            )  # fmt: skip
        out[pos] = reason
    return out


def check_complete(captured: set[int], missing: Mapping[int, str]) -> None:
    """Every position is captured or recorded missing, never both; at least one is captured."""
    outside = sorted(p for p in captured if p not in POSITIONS)
    if outside:
        raise ValidationError({"fingers": f"Finger position {outside[0]} is not 1..10."})
    both = sorted(captured & set(missing))
    if both:
        names = ", ".join(FINGER_NAMES[p] for p in both)
        raise ValidationError({"missing": f"{names}: given an image and marked missing."})
    if not captured:
        raise ValidationError({"fingers": "No finger was captured: upload at least one image."})
    absent = [p for p in POSITIONS if p not in captured and p not in missing]
    if absent:
        names = ", ".join(FINGER_NAMES[p] for p in absent)
        raise ValidationError(
            {"fingers": f"{len(captured)} finger(s) captured and {len(missing)} recorded missing; "
             f"all ten are needed. Upload or give a reason for: {names}."}
        )  # fmt: skip


def decode_images(files: Mapping[int, tuple[str, bytes]]) -> list[RawFinger]:
    """One image file per finger position (name, bytes); every file must decode."""
    out: list[RawFinger] = []
    errors: dict[str, str] = {}
    for pos in sorted(files):
        name, data = files[pos]
        if pos not in POSITIONS:
            raise ValidationError({"fingers": f"Finger position {pos} is not 1..10."})
        label = f"{FINGER_NAMES[pos]} ({name})"
        if len(data) > MAX_UPLOAD_BYTES:
            errors[f"finger_{pos}"] = f"{label}: file is larger than 20 MB."
            continue
        try:
            img = decode_image(data, name=label)
        except FingerprintInputError as exc:
            errors[f"finger_{pos}"] = str(exc)
            continue
        out.append(RawFinger(pos, img.pixels, img.resolution_ppi))
    if errors:
        raise ValidationError(errors)
    return out


def decode_nist(name: str, data: bytes) -> list[RawFinger]:
    """Every finger image of one ANSI/NIST-ITL transaction (Type-4 or Type-14 records)."""
    if len(data) > MAX_NIST_BYTES:
        raise ValidationError({"nist": f"{name}: file is larger than 200 MB."})
    try:
        transaction = read_nist(data)
    except FingerprintInputError as exc:
        raise ValidationError({"nist": f"{name}: {exc}"}) from None
    if not transaction.fingers:
        raise ValidationError({"nist": f"{name}: the transaction holds no finger image."})
    seen: set[int] = set()
    out: list[RawFinger] = []
    for f in transaction.fingers:
        if f.finger_position not in POSITIONS:
            raise ValidationError(
                {"nist": f"{name}: finger position {f.finger_position} is not an individual "
                 "finger (1..10)."}
            )  # fmt: skip
        if f.finger_position in seen:
            raise ValidationError(
                {"nist": f"{name}: {FINGER_NAMES[f.finger_position]} appears twice."}
            )
        seen.add(f.finger_position)
        out.append(RawFinger(f.finger_position, f.pixels, f.resolution_ppi))
    return out
