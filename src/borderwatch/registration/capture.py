"""Fingerprint uploads to templates: ten image files or one ANSI/NIST-ITL transaction.

Decoding is cheap and comes first, so that a wrong finger count or an undecodable file is
refused before the ~0.3 s per finger of feature extraction. Everything is decoded and
extracted before anything is saved: a bad file rejects the whole capture with a message
naming the finger and the problem (ValidationError, keyed by field). Images are kept as PNG
resampled to 500 ppi: the same pixel grid as the template's minutiae, so the expert's overlay
needs no scaling.

Limits (docs/decisions/fingerprint-upload-limits.md): a finger image file at most MAX_UPLOAD_BYTES,
an ANSI/NIST-ITL file at most MAX_NIST_BYTES (checked by size before a form or endpoint reads
it: `too_large`); the engine checks pixels and inches from each header before decoding and
refuses images without a usable ridge area. No finger of quality 0 is ever stored
(`check_enrollable`).
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
    MAX_IMAGE_BYTES,
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
# One finger: the engine's cap, 16 MB (a 2 x 2 in finger at 2000 ppi, uncompressed 8-bit). A
# transaction: ten such fingers at 1000 ppi uncompressed are 40 MB; slaps and text records beside
# them fit in 64 MB (= settings.UPLOAD_MAX_FILE_BYTES, beyond which nothing is stored at all).
MAX_UPLOAD_BYTES = MAX_IMAGE_BYTES
MAX_NIST_BYTES = 64 * 2**20


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
    """Templates of decoded fingers; a failure (too large, no usable ridge area, too few
    minutiae) names the finger."""
    out: list[CapturedFinger] = []
    for f in raw:
        try:
            at500 = resample_to_500ppi(f.pixels, f.resolution_ppi)
            template = extract_template(at500, 500, f.position)
        except FingerprintInputError as exc:
            raise ValidationError(
                {f"finger_{f.position}": f"{finger_name(f.position)}: {exc}"}
            ) from None
        check_enrollable(f.position, template)
        out.append(CapturedFinger(f.position, _png(at500), template))
    return out


def check_enrollable(position: int, template: Template) -> None:
    """A template that could identify someone: quality above 0 and some minutiae. Extraction
    refuses worse ones already; this guards every path that stores or enrols a finger."""
    if template.quality <= 0 or len(template) == 0:
        raise ValidationError(
            {f"finger_{position}": _("%(finger)s: quality %(quality)s, no usable ridge area; "
                                     "capture this finger again.")
             % {"finger": finger_name(position), "quality": template.quality}}
        )  # fmt: skip


def too_large(position: int | None, name: str, size: int, oversized: bool = False) -> str | None:
    """The refusal of an upload above its byte cap, naming it (a finger image by its finger,
    `position` None for an ANSI/NIST-ITL file), or None. Uses the size only: call it before
    reading the upload. `oversized`: the upload handler stored none of it (core.uploads)."""
    limit = MAX_NIST_BYTES if position is None else MAX_UPLOAD_BYTES
    if size <= limit and not oversized:
        return None
    label = name if position is None else f"{finger_name(position)} ({name})"
    return _("%(file)s: file is larger than %(limit)s MB.") % {
        "file": label,
        "limit": limit // 2**20,
    }


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
        refused = too_large(pos, name, len(data))
        if refused:
            errors[f"finger_{pos}"] = refused
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
    refused = too_large(None, name, len(data))
    if refused:
        raise ValidationError({"nist": refused})
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
