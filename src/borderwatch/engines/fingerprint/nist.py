"""ANSI/NIST-ITL transactions: the fingerprint images of Type-4 and Type-14 records.

A small reader of our own (nistitl, the one maintained PyPI parser, leaves Type-4 records opaque
and lets ValueError/TypeError/KeyError escape on corrupt input; see
docs/decisions/fingerprint-features.md). Every length, count and field is checked against the
bytes actually there; anything inconsistent is a FingerprintInputError naming the record and
field. Records we do not use (Type-2 text, Type-9 minutiae, face, slaps...) are listed in
`Transaction.skipped`, never dropped silently. The writer produces files for tests and exports.

Record framing (ANSI/NIST-ITL 1-2011): tagged records are "T.NNN:value" fields separated by GS and
ended by FS, the first field (T.001) giving the record's length in bytes; binary records (Type-3..8)
start with a 4-byte length. Type-1's CNT field lists every following record's type and IDC.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.images import (
    check_finger_size,
    check_pixels,
    check_resolution,
    decode_image,
)

FS, GS, RS, US = b"\x1c", b"\x1d", b"\x1e", b"\x1f"
BINARY_TYPES = frozenset({3, 4, 5, 6, 7, 8})
TYPE4_HEADER = struct.Struct(">IBB6sBHHB")  # LEN IDC IMP FGP ISR HLL VLL GCA: 18 bytes
PPMM_500 = 19.69  # ANSI/NIST's "minimum scanning resolution", 500 ppi
# Plain-impression thumbs (11, 12) are the same fingers as rolled 1 and 6.
_PLAIN_THUMB = {11: 1, 12: 6}
_TYPE4_COMPRESSION = {0: "NONE", 1: "WSQ20", 6: "PNG"}
_TAG = re.compile(rb"(\d{1,2})\.(\d{1,3})")


@dataclass(frozen=True)
class FingerImage:
    """One finger's image from a transaction, with where it came from."""

    finger_position: int
    pixels: npt.NDArray[np.uint8]
    resolution_ppi: float
    record_type: int = 14
    idc: int = 0
    compression: str = "NONE"


@dataclass(frozen=True)
class Transaction:
    version: str
    transaction_type: str
    control_number: str
    fingers: list[FingerImage]
    skipped: list[str] = field(default_factory=list)  # "record 3 (Type-9): ..." per unused record


def read_nist_file(path: str | Path) -> Transaction:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FingerprintInputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return read_nist(data)


def read_nist(data: bytes) -> Transaction:
    """Parse a whole transaction; every record must be framed exactly as Type-1's CNT says."""
    if not data:
        raise FingerprintInputError("ANSI/NIST file is empty")
    if not data.startswith(b"1.001:"):
        raise FingerprintInputError("not an ANSI/NIST-ITL file (it must start with '1.001:')")
    t1, offset = _tagged_record(data, 0, 1, 1)
    cnt = _subfields(t1, 3, "Type-1 CNT (1.003)")
    if not cnt or len(cnt[0]) != 2 or cnt[0][0] != b"1":
        raise FingerprintInputError("Type-1 CNT (1.003) must start with 1<US>count")
    declared = _int(cnt[0][1], "Type-1 CNT record count")
    if declared != len(cnt) - 1:
        raise FingerprintInputError(
            f"Type-1 CNT (1.003) announces {declared} records but lists {len(cnt) - 1}"
        )
    version, tot = _text(t1, 1, 2, "VER"), _text(t1, 1, 4, "TOT")
    tcn = t1.get(9, b"").decode("latin-1")
    native_ppmm = _float(t1[11], "Type-1 NSR (1.011)") if 11 in t1 else PPMM_500
    fingers: list[FingerImage] = []
    skipped: list[str] = []
    for n, entry in enumerate(cnt[1:], start=2):
        if len(entry) != 2:
            raise FingerprintInputError(f"Type-1 CNT entry for record {n} is not type<US>IDC")
        rtype = _int(entry[0], f"Type-1 CNT record {n} type")
        idc = _int(entry[1], f"Type-1 CNT record {n} IDC")
        if rtype == 1 or rtype > 99:
            raise FingerprintInputError(f"Type-1 CNT lists record {n} as Type-{rtype}")
        if offset >= len(data):
            raise FingerprintInputError(f"file ends before record {n} (Type-{rtype}) begins")
        if rtype in BINARY_TYPES:
            rec, offset = _binary_record(data, offset, n, rtype)
            if rtype == 4:
                fingers.append(_type4(rec, n, idc, native_ppmm))
            else:
                skipped.append(f"record {n} (Type-{rtype}): not a fingerprint image record")
        else:
            fields, offset = _tagged_record(data, offset, n, rtype)
            if _int(fields.get(2, b""), f"record {n} IDC ({rtype}.002)") != idc:
                raise FingerprintInputError(f"record {n}: IDC differs from Type-1 CNT ({idc})")
            if rtype == 14:
                finger, why = _type14(fields, n, idc)
                if finger is None:
                    skipped.append(f"record {n} (Type-14): {why}")
                else:
                    fingers.append(finger)
            else:
                skipped.append(f"record {n} (Type-{rtype}): not a fingerprint image record")
    if offset != len(data):
        raise FingerprintInputError(f"{len(data) - offset} bytes follow the last record in CNT")
    return Transaction(version, tot, tcn, fingers, skipped)


def _tagged_record(data: bytes, offset: int, n: int, rtype: int) -> tuple[dict[int, bytes], int]:
    where = f"record {n} (Type-{rtype})"
    head = data[offset : offset + 16]
    m = re.match(rb"(\d{1,2})\.0*1:(\d{1,10})" + GS, head)
    if not m:
        raise FingerprintInputError(f"{where}: does not start with a {rtype}.001 length field")
    if int(m.group(1)) != rtype:
        raise FingerprintInputError(f"{where}: holds a Type-{int(m.group(1))} record")
    length = int(m.group(2))
    end = offset + length
    if length < len(m.group(0)) + 1 or end > len(data):
        raise FingerprintInputError(
            f"{where}: length {length} does not fit the {len(data) - offset} bytes left"
        )
    if data[end - 1 : end] != FS:
        raise FingerprintInputError(f"{where}: length {length} does not end on a record separator")
    return _fields(data[offset : end - 1], where, rtype), end


def _fields(body: bytes, where: str, rtype: int) -> dict[int, bytes]:
    fields: dict[int, bytes] = {}
    pos = 0
    while pos < len(body):
        colon = body.find(b":", pos, pos + 8)
        m = _TAG.fullmatch(body[pos:colon]) if colon > 0 else None
        if m is None:
            raise FingerprintInputError(f"{where}: malformed field tag at byte {pos}")
        if int(m.group(1)) != rtype:
            raise FingerprintInputError(f"{where}: field {m.group(0).decode()} is of another type")
        tag = int(m.group(2))
        if tag in fields:
            raise FingerprintInputError(f"{where}: field {rtype}.{tag:03d} appears twice")
        if tag == 999:  # image data: binary, runs to the end of the record
            fields[tag] = body[colon + 1 :]
            break
        gs = body.find(GS, colon + 1)
        stop = len(body) if gs < 0 else gs
        fields[tag] = body[colon + 1 : stop]
        pos = stop + 1
    if 1 not in fields or (2 not in fields and rtype != 1):
        raise FingerprintInputError(f"{where}: lacks field {rtype}.001 or {rtype}.002")
    return fields


def _binary_record(data: bytes, offset: int, n: int, rtype: int) -> tuple[bytes, int]:
    if offset + 5 > len(data):
        raise FingerprintInputError(f"record {n} (Type-{rtype}): cut off inside its length")
    (length,) = struct.unpack_from(">I", data, offset)
    if length < 5 or offset + length > len(data):
        raise FingerprintInputError(
            f"record {n} (Type-{rtype}): length {length} does not fit the "
            f"{len(data) - offset} bytes left"
        )
    return data[offset : offset + length], offset + length


def _type4(rec: bytes, n: int, idc: int, native_ppmm: float) -> FingerImage:
    where = f"record {n} (Type-4)"
    if len(rec) < TYPE4_HEADER.size:
        raise FingerprintInputError(f"{where}: {len(rec)} bytes, shorter than its 18-byte header")
    _, rec_idc, _imp, fgp, isr, hll, vll, gca = TYPE4_HEADER.unpack_from(rec)
    if rec_idc != idc:
        raise FingerprintInputError(f"{where}: IDC {rec_idc} differs from Type-1 CNT ({idc})")
    position = _finger_position(fgp[0], where)
    if isr not in (0, 1):
        raise FingerprintInputError(f"{where}: ISR {isr} is not 0 or 1")
    ppi = (native_ppmm if isr else PPMM_500) * 25.4
    compression = _TYPE4_COMPRESSION.get(gca)
    if compression is None:
        raise FingerprintInputError(f"{where}: compression GCA {gca} is not supported (0, 1, 6)")
    where = f"{where}, finger position {position}"
    pixels = _image(rec[TYPE4_HEADER.size :], hll, vll, ppi, compression, where)
    return FingerImage(position, pixels, round(ppi, 1), 4, idc, compression)


def _type14(fields: dict[int, bytes], n: int, idc: int) -> tuple[FingerImage | None, str]:
    where = f"record {n} (Type-14)"
    for tag in (6, 7, 8, 9, 10, 11, 13, 999):
        if tag not in fields:
            raise FingerprintInputError(f"{where}: lacks field 14.{tag:03d}")
    fgp = _int(fields[13].split(RS)[0].split(US)[0], f"{where} FGP (14.013)")
    if fgp in (13, 14, 15, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50):
        return None, f"finger position {fgp} is a multi-finger image (not split into fingers)"
    position = _finger_position(fgp, where)
    hll, vll = _int(fields[6], f"{where} HLL"), _int(fields[7], f"{where} VLL")
    slc = _int(fields[8], f"{where} SLC")
    thps, tvps = _int(fields[9], f"{where} THPS"), _int(fields[10], f"{where} TVPS")
    if thps != tvps:
        raise FingerprintInputError(f"{where}: non-square pixels ({thps} x {tvps}) not supported")
    if slc == 1:
        ppi = float(thps)
    elif slc == 2:
        ppi = thps * 2.54
    else:
        raise FingerprintInputError(f"{where}: scale units SLC {slc} give no resolution")
    try:
        check_resolution(ppi)
    except FingerprintInputError as exc:
        raise FingerprintInputError(f"{where}: {exc}") from None
    if 12 in fields and _int(fields[12], f"{where} BPX") != 8:
        raise FingerprintInputError(f"{where}: only 8-bit grayscale images are supported")
    compression = fields[11].decode("latin-1").strip().upper()
    if compression not in ("NONE", "WSQ20", "WSQ", "PNG"):
        raise FingerprintInputError(f"{where}: compression {compression!r} is not supported")
    where = f"{where}, finger position {position}"
    pixels = _image(fields[999], hll, vll, ppi, compression, where)
    return FingerImage(position, pixels, ppi, 14, idc, compression), ""


def _image(
    payload: bytes, hll: int, vll: int, ppi: float, compression: str, where: str
) -> npt.NDArray[np.uint8]:
    """The record's pixels; its declared size is held to the same caps as an image file's
    (images.check_pixels, check_finger_size) before anything is decoded."""
    check_pixels(hll, vll, where)
    check_finger_size(hll, vll, ppi, name=where)
    if compression == "NONE":
        if len(payload) != hll * vll:
            raise FingerprintInputError(
                f"{where}: {len(payload)} bytes of raw image data, expected {hll}x{vll}={hll * vll}"
            )
        return np.frombuffer(payload, dtype=np.uint8).reshape(vll, hll).copy()
    img = decode_image(payload, resolution_ppi=ppi, name=f"{where} image")
    if img.pixels.shape != (vll, hll):
        raise FingerprintInputError(
            f"{where}: image is {img.pixels.shape[1]}x{img.pixels.shape[0]} px, "
            f"the record says {hll}x{vll}"
        )
    return img.pixels


def _finger_position(fgp: int, where: str) -> int:
    fgp = _PLAIN_THUMB.get(fgp, fgp)
    if not 0 <= fgp <= 10:
        raise FingerprintInputError(f"{where}: finger position {fgp} is not a single finger 0..10")
    return fgp


def _subfields(fields: dict[int, bytes], tag: int, what: str) -> list[list[bytes]]:
    if tag not in fields:
        raise FingerprintInputError(f"{what} is missing")
    return [sf.split(US) for sf in fields[tag].split(RS)]


def _text(fields: dict[int, bytes], rtype: int, tag: int, name: str) -> str:
    if tag not in fields or not fields[tag]:
        raise FingerprintInputError(f"Type-{rtype} {name} ({rtype}.{tag:03d}) is missing")
    return fields[tag].decode("latin-1")


def _int(value: bytes, what: str) -> int:
    if not value.isdigit() or len(value) > 10:
        raise FingerprintInputError(f"{what} is {value[:20]!r}, not a number")
    return int(value)


def _float(value: bytes, what: str) -> float:
    if not re.fullmatch(rb"\d{1,4}(\.\d{1,4})?", value) or float(value) <= 0:
        raise FingerprintInputError(f"{what} is {value[:20]!r}, not a positive number")
    return float(value)


def write_nist(
    fingers: Sequence[FingerImage],
    *,
    record_type: int = 14,
    compression: str = "NONE",
    transaction_type: str = "CAR",
    control_number: str = "",
    date: str = "20210706",
) -> bytes:
    """A transaction of one Type-1 and a Type-4 or Type-14 record per finger image.

    Type-4 is fixed at 500 ppi; Type-14 records each finger's own resolution. compression is
    "NONE" (raw 8-bit) or "WSQ20".
    """
    if record_type not in (4, 14):
        raise FingerprintInputError(f"can write Type-4 or Type-14 records, not Type-{record_type}")
    if compression not in ("NONE", "WSQ20"):
        raise FingerprintInputError(f"can write NONE or WSQ20 compression, not {compression!r}")
    if len(fingers) > 99:
        raise FingerprintInputError("a transaction holds at most 99 finger images here")
    records = []
    for idc, f in enumerate(fingers, start=1):
        payload = _encode_pixels(f.pixels, compression)
        h, w = f.pixels.shape
        if record_type == 4:
            if abs(f.resolution_ppi - 500) > 0.5:
                raise FingerprintInputError("Type-4 images are 500 ppi; write Type-14 instead")
            gca = 1 if compression == "WSQ20" else 0
            fgp = bytes([f.finger_position, 255, 255, 255, 255, 255])
            header = TYPE4_HEADER.pack(TYPE4_HEADER.size + len(payload), idc, 0, fgp, 0, w, h, gca)
            records.append(header + payload)
        else:
            ppi = round(f.resolution_ppi)
            fields = [
                (2, b"%02d" % idc), (3, b"0"), (4, b"BORDERWATCH"), (5, date.encode()),
                (6, b"%d" % w), (7, b"%d" % h), (8, b"1"), (9, b"%d" % ppi), (10, b"%d" % ppi),
                (11, compression.encode()), (12, b"8"), (13, b"%d" % f.finger_position),
                (999, payload),
            ]  # fmt: skip
            records.append(_tagged(14, fields))
    cnt = RS.join(
        [b"1" + US + b"%d" % len(fingers)]
        + [b"%d" % record_type + US + b"%02d" % i for i in range(1, len(fingers) + 1)]
    )
    type1 = _tagged(
        1,
        [
            (2, b"0500"), (3, cnt), (4, transaction_type.encode()), (5, date.encode()),
            (7, b"BORDERWATCH"), (8, b"BORDERWATCH"), (9, control_number.encode()),
            (11, b"19.69"), (12, b"19.69"),
        ],
    )  # fmt: skip
    return type1 + b"".join(records)


def _encode_pixels(pixels: npt.NDArray[np.uint8], compression: str) -> bytes:
    if pixels.dtype != np.uint8 or pixels.ndim != 2:
        raise FingerprintInputError("finger images must be 2-D uint8 arrays")
    if compression == "NONE":
        return np.ascontiguousarray(pixels).tobytes()
    import io

    import wsq  # noqa: F401  registers the WSQ codec with Pillow
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="WSQ")
    return buf.getvalue()


def _tagged(rtype: int, fields: list[tuple[int, bytes]]) -> bytes:
    """Join fields; T.001 holds the whole record's length, its own digits included."""
    rest = b"".join(GS + b"%d.%03d:" % (rtype, tag) + value for tag, value in fields) + FS
    prefix = b"%d.001:" % rtype
    length = len(prefix) + len(rest)
    while len(prefix) + len(b"%d" % length) + len(rest) != length:
        length = len(prefix) + len(b"%d" % length) + len(rest)
    return prefix + b"%d" % length + rest
