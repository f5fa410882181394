"""ISO/IEC 19794-2:2005 finger minutiae records (FMR), the exchange format other AFIS read.

Layout (big-endian): a 24-byte record header ("FMR\\0", " 20\\0", 4-byte record length, capture
equipment, image size, resolution in pixels per cm, number of finger views), then per view a
4-byte header (finger position, view number and impression type, finger quality, minutia count),
6 bytes per minutia (2-bit type + 14-bit x, 2 reserved bits + 14-bit y, angle in 1/256 turns,
quality) and a 2-byte extended-data length. We write no extended data; on reading we keep its
bytes unparsed in Template.extra["iso_extended_data"] so nothing is dropped.

Templates are at 500 ppi (197 px/cm); a record at another resolution is scaled to 500 ppi.
ISO stores integer pixels and 1.40625-degree angles: that rounding is the format's, not ours.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

import numpy as np

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.template import (
    BIFURCATION,
    ENDING,
    OTHER,
    RESOLUTION_PPI,
    Template,
)

MAGIC = b"FMR\x00"
VERSION = b" 20\x00"
HEADER = struct.Struct(">4s4sIHHHHHBB")  # 24 bytes
VIEW = struct.Struct(">BBBB")
MINUTIA = struct.Struct(">HHBB")
PX_PER_CM_500PPI = round(RESOLUTION_PPI / 2.54)  # 197
_ISO_TYPE = {OTHER: 0, ENDING: 1, BIFURCATION: 2}
_KIND = {0: OTHER, 1: ENDING, 2: BIFURCATION}
MAX_COORD = (1 << 14) - 1


def encode_fmr(
    templates: Sequence[Template], *, capture_device_id: int = 0, impression_type: int = 0
) -> bytes:
    """One record holding a view per template (several views of a finger are numbered 0, 1...)."""
    if not templates:
        raise FingerprintInputError("an FMR record needs at least one finger view")
    if len(templates) > 255:
        raise FingerprintInputError(f"an FMR record holds at most 255 views, not {len(templates)}")
    if not 0 <= capture_device_id <= 0xFFF or not 0 <= impression_type <= 15:
        raise FingerprintInputError("capture device id is 12 bits, impression type 4 bits")
    width = max(t.width for t in templates)
    height = max(t.height for t in templates)
    if width > 0xFFFF or height > 0xFFFF:
        raise FingerprintInputError(f"image size {width}x{height} does not fit an FMR record")
    views = bytearray()
    view_numbers: dict[int, int] = {}
    for t in templates:
        view = view_numbers.get(t.finger_position, 0)
        if view > 15:
            raise FingerprintInputError(f"more than 16 views of finger {t.finger_position}")
        view_numbers[t.finger_position] = view + 1
        views += _encode_view(t, view, impression_type)
    length = HEADER.size + len(views)
    header = HEADER.pack(
        MAGIC, VERSION, length, capture_device_id, width, height,
        PX_PER_CM_500PPI, PX_PER_CM_500PPI, len(templates), 0,
    )  # fmt: skip
    return header + bytes(views)


def _encode_view(t: Template, view: int, impression_type: int) -> bytes:
    n = len(t)
    if n > 255:
        raise FingerprintInputError(
            f"finger {t.finger_position} has {n} minutiae; an FMR view holds at most 255"
        )
    if not 0 <= t.quality <= 100:
        raise FingerprintInputError(f"finger quality {t.quality} is not 0..100")
    out = bytearray(VIEW.pack(t.finger_position, (view << 4) | impression_type, t.quality, n))
    xs = np.rint(t.x).astype(np.int64)
    ys = np.rint(t.y).astype(np.int64)
    if n and (xs.min() < 0 or ys.min() < 0 or xs.max() > MAX_COORD or ys.max() > MAX_COORD):
        raise FingerprintInputError(f"minutia coordinates must be 0..{MAX_COORD} pixels")
    angles = np.rint(np.mod(t.angle.astype(np.float64), 2 * math.pi) * 256 / (2 * math.pi))
    for x, y, a, k, q in zip(
        xs, ys, angles.astype(np.int64) % 256, t.kind, t.minutia_quality, strict=True
    ):
        iso_type = _ISO_TYPE.get(int(k))
        if iso_type is None:
            raise FingerprintInputError(f"minutia kind {int(k)} has no ISO type")
        out += MINUTIA.pack((iso_type << 14) | int(x), int(y), int(a), int(q))
    out += struct.pack(">H", 0)  # no extended data
    return bytes(out)


def decode_fmr(data: bytes) -> list[Template]:
    """Templates (one per finger view) from an FMR record; any inconsistency is an error."""
    if len(data) < HEADER.size:
        raise FingerprintInputError(f"FMR record is {len(data)} bytes, shorter than its header")
    magic, version, length, _equipment, width, height, xres, yres, n_views, reserved = (
        HEADER.unpack_from(data)
    )
    if magic != MAGIC:
        raise FingerprintInputError(f"not an FMR record (starts with {magic!r}, not b'FMR\\0')")
    if version != VERSION:
        raise FingerprintInputError(f"FMR version {version!r} is not ISO/IEC 19794-2:2005 (' 20')")
    if length != len(data):
        raise FingerprintInputError(f"FMR record says {length} bytes but has {len(data)}")
    if width == 0 or height == 0:
        raise FingerprintInputError("FMR record has a zero image size")
    if xres == 0 or yres == 0:
        raise FingerprintInputError("FMR record has a zero resolution")
    if n_views == 0:
        raise FingerprintInputError("FMR record has no finger views")
    if reserved != 0:
        raise FingerprintInputError("FMR header's reserved byte is not 0")
    sx, sy = PX_PER_CM_500PPI / xres, PX_PER_CM_500PPI / yres
    out_w, out_h = max(1, round(width * sx)), max(1, round(height * sy))
    offset = HEADER.size
    templates = []
    for v in range(n_views):
        t, offset = _decode_view(data, offset, v, (width, height), (sx, sy), (out_w, out_h))
        templates.append(t)
    if offset != len(data):
        raise FingerprintInputError(
            f"FMR record has {len(data) - offset} bytes after its last view"
        )
    return templates


def _decode_view(
    data: bytes,
    offset: int,
    v: int,
    size: tuple[int, int],
    scale: tuple[float, float],
    out_size: tuple[int, int],
) -> tuple[Template, int]:
    where = f"FMR view {v + 1}"
    if offset + VIEW.size > len(data):
        raise FingerprintInputError(f"{where}: record ends inside the view header")
    position, view_imp, quality, n = VIEW.unpack_from(data, offset)
    offset += VIEW.size
    if position > 10:
        raise FingerprintInputError(f"{where}: finger position {position} is not 0..10")
    if quality > 100:
        raise FingerprintInputError(f"{where}: finger quality {quality} is not 0..100")
    end = offset + n * MINUTIA.size
    if end + 2 > len(data):
        raise FingerprintInputError(f"{where}: record ends inside its {n} minutiae")
    rows = np.zeros((n, 5))
    for i in range(n):
        tx, ry, a, q = MINUTIA.unpack_from(data, offset + i * MINUTIA.size)
        iso_type, x, y = tx >> 14, tx & MAX_COORD, ry & MAX_COORD
        if iso_type == 3:
            raise FingerprintInputError(f"{where}, minutia {i + 1}: type bits 11 are reserved")
        if x >= size[0] or y >= size[1]:
            raise FingerprintInputError(
                f"{where}, minutia {i + 1}: ({x}, {y}) lies outside the {size[0]}x{size[1]} image"
            )
        if q > 100:
            raise FingerprintInputError(f"{where}, minutia {i + 1}: quality {q} is not 0..100")
        rows[i] = (x * scale[0], y * scale[1], a * 2 * math.pi / 256, _KIND[iso_type], q)
    (ext_len,) = struct.unpack_from(">H", data, end)
    ext_end = end + 2 + ext_len
    if ext_end > len(data):
        raise FingerprintInputError(f"{where}: extended data of {ext_len} bytes is cut short")
    t = Template.from_arrays(
        rows, width=out_size[0], height=out_size[1], quality=quality, finger_position=position
    )
    t.extra.update(view_number=view_imp >> 4, impression_type=view_imp & 0x0F)
    if ext_len:
        t.extra["iso_extended_data"] = bytes(data[end + 2 : ext_end])
    return t, ext_end
