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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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


def finger_name(position: int) -> str:
    """The finger's name in the active language."""
    return str(FINGER_NAMES[position])


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
                {f"finger_{f.position}": f"{finger_name(f.position)}: {exc}"}
            ) from None
        out.append(CapturedFinger(f.position, _png(at500), template))
    return out


def check_missing(missing: Mapping[int, str]) -> dict[int, str]:
    """Missing-finger reasons by position; raises naming a bad position or reason."""
    reasons = set(MissingReason.values)
    out: dict[int, str] = {}
    for pos, reason in missing.items():
        if pos not in POSITIONS:
            raise ValidationError(
                {"missing": _("Finger position %(position)s is not 1..10.") % {"position": pos}}
            )
        if reason not in reasons:
            raise ValidationError(
                {f"missing_{pos}": _("%(finger)s: reason %(reason)r is not one of %(reasons)s.")
                 % {"finger": finger_name(pos), "reason": reason,
                    "reasons": ", ".join(sorted(reasons))}}
            )  # fmt: skip
        out[pos] = reason
    return out


def check_complete(captured: set[int], missing: Mapping[int, str]) -> None:
    """Every position is captured or recorded missing, never both; at least one is captured."""
    outside = sorted(p for p in captured if p not in POSITIONS)
    if outside:
        raise ValidationError(
            {"fingers": _("Finger position %(position)s is not 1..10.") % {"position": outside[0]}}
        )
    both = sorted(captured & set(missing))
    if both:
        names = ", ".join(finger_name(p) for p in both)
        raise ValidationError(
            {"missing": _("%(fingers)s: given an image and marked missing.") % {"fingers": names}}
        )
    if not captured:
        raise ValidationError({"fingers": _("No finger was captured: upload at least one image.")})
    absent = [p for p in POSITIONS if p not in captured and p not in missing]
    if absent:
        names = ", ".join(finger_name(p) for p in absent)
        counted = ngettext(
            "%(captured)s finger(s) captured and %(missing)s recorded missing;",
            "%(captured)s finger(s) captured and %(missing)s recorded missing;",
            len(captured),
        ) % {"captured": len(captured), "missing": len(missing)}
        raise ValidationError(
            {"fingers": counted + " "
             + _("all ten are needed. Upload or give a reason for: %(fingers)s.")
             % {"fingers": names}}
        )  # fmt: skip


def decode_images(files: Mapping[int, tuple[str, bytes]]) -> list[RawFinger]:
    """One image file per finger position (name, bytes); every file must decode."""
    out: list[RawFinger] = []
    errors: dict[str, str] = {}
    for pos in sorted(files):
        name, data = files[pos]
        if pos not in POSITIONS:
            raise ValidationError(
                {"fingers": _("Finger position %(position)s is not 1..10.") % {"position": pos}}
            )
        label = f"{finger_name(pos)} ({name})"
        if len(data) > MAX_UPLOAD_BYTES:
            errors[f"finger_{pos}"] = _("%(file)s: file is larger than 20 MB.") % {"file": label}
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
        raise ValidationError({"nist": _("%(file)s: file is larger than 200 MB.") % {"file": name}})
    try:
        transaction = read_nist(data)
    except FingerprintInputError as exc:
        raise ValidationError({"nist": f"{name}: {exc}"}) from None
    if not transaction.fingers:
        raise ValidationError(
            {"nist": _("%(file)s: the transaction holds no finger image.") % {"file": name}}
        )
    seen: set[int] = set()
    out: list[RawFinger] = []
    for f in transaction.fingers:
        if f.finger_position not in POSITIONS:
            raise ValidationError(
                {"nist": _("%(file)s: finger position %(position)s is not an individual "
                           "finger (1..10).") % {"file": name, "position": f.finger_position}}
            )  # fmt: skip
        if f.finger_position in seen:
            raise ValidationError(
                {
                    "nist": _("%(file)s: %(finger)s appears twice.")
                    % {"file": name, "finger": finger_name(f.finger_position)}
                }
            )
        seen.add(f.finger_position)
        out.append(RawFinger(f.finger_position, f.pixels, f.resolution_ppi))
    return out
