"""An append-only journal of gallery changes since a snapshot: enrolments and removals.

Rewriting a snapshot of a million fingers for every new person would take about a minute; a
journal record is one small append. Readers replay the records after the snapshot they have
loaded, and compaction folds them into a new snapshot (index.py does both).

A record holds the fingers already encoded (cylinders and signature), so replaying it costs no
MCC encoding:

    b"BWJ1" | header length (uint32 LE) | header (JSON) | arrays | CRC-32 of header and arrays

The header is {"op": "put", "subject": id, "words": W, "fingers": [[position, cylinders], ...]}
(the arrays follow finger by finger: bits, mask, geometry, signature) or {"op": "remove",
"subject": id}. A writer that crashed mid-append leaves an incomplete last record: reading stops
before it and the next append cuts it off. A complete record that fails its checksum is damage,
reported with the file and offset (`borderwatch gallery rebuild` recreates the index).
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from borderwatch.engines.fingerprint import mcc, signature
from borderwatch.engines.fingerprint.gallery import GalleryError

MAGIC = b"BWJ1"
_LEN = struct.Struct("<I")

Encoded = tuple[mcc.Cylinders, npt.NDArray[np.uint8]]


@dataclass(frozen=True)
class Entry:
    """One change: a subject's complete new set of fingers, or (fingers None) its removal."""

    subject_id: str
    fingers: dict[int, Encoded] | None


def put_record(subject_id: str, fingers: Mapping[int, Encoded], words: int) -> bytes:
    """The bytes of a record that replaces all of a subject's fingers with these."""
    header = {
        "op": "put",
        "subject": subject_id,
        "words": words,
        "fingers": [[int(pos), len(cyl)] for pos, (cyl, _) in sorted(fingers.items())],
    }
    parts = []
    for _, (cyl, sig) in sorted(fingers.items()):
        if cyl.bits.shape[1:] != (words,):
            raise ValueError("cylinders were encoded with other parameters than the journal's")
        parts += [
            np.ascontiguousarray(cyl.bits, dtype=np.uint64).tobytes(),
            np.ascontiguousarray(cyl.mask, dtype=np.uint64).tobytes(),
            np.ascontiguousarray(cyl.geometry, dtype=np.float32).tobytes(),
            np.ascontiguousarray(sig, dtype=np.uint8).reshape(signature.DIM).tobytes(),
        ]
    return _frame(header, b"".join(parts))


def remove_record(subject_id: str) -> bytes:
    """The bytes of a record that removes a subject."""
    return _frame({"op": "remove", "subject": subject_id}, b"")


def _frame(header: dict[str, object], body: bytes) -> bytes:
    head = json.dumps(header, separators=(",", ":")).encode()
    crc = zlib.crc32(head + body)
    return MAGIC + _LEN.pack(len(head)) + head + body + _LEN.pack(crc)


def append(path: Path, records: bytes, valid_end: int) -> int:
    """Write records at valid_end (dropping any torn tail after it), fsync; the new end."""
    with open(path, "ab") as fh:
        if fh.tell() != valid_end:
            fh.truncate(valid_end)
        fh.write(records)
        fh.flush()
        os.fsync(fh.fileno())
        return valid_end + len(records)


def read(path: Path, offset: int = 0) -> tuple[list[Entry], int]:
    """The complete records from offset on and the offset after the last of them."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            data = fh.read()
    except FileNotFoundError:
        return [], offset
    entries: list[Entry] = []
    pos = 0
    while True:
        entry, size = _parse(data, pos, path, offset + pos)
        if entry is None:
            return entries, offset + pos
        entries.append(entry)
        pos += size


def _parse(data: bytes, pos: int, path: Path, where: int) -> tuple[Entry | None, int]:
    """The record at pos and its size; (None, 0) when fewer bytes than a whole record remain."""
    if len(data) - pos < 8:
        return None, 0
    if data[pos : pos + 4] != MAGIC:
        raise GalleryError(f"{path}: no journal record at byte {where} (damaged file)")
    (head_len,) = _LEN.unpack_from(data, pos + 4)
    head_end = pos + 8 + head_len
    if head_end > len(data):
        return None, 0
    try:
        header = json.loads(data[pos + 8 : head_end])
        body_len = _body_length(header)
    except (ValueError, KeyError, TypeError) as exc:
        raise GalleryError(f"{path}: bad journal header at byte {where}: {exc}") from None
    end = head_end + body_len + 4
    if end > len(data):
        return None, 0
    (crc,) = _LEN.unpack_from(data, end - 4)
    if zlib.crc32(data[pos + 8 : end - 4]) != crc:
        raise GalleryError(f"{path}: journal record at byte {where} fails its checksum")
    subject = str(header["subject"])
    if header["op"] == "remove":
        return Entry(subject, None), end - pos
    return Entry(subject, _fingers(header, data[head_end : end - 4])), end - pos


def _body_length(header: dict[str, object]) -> int:
    if not isinstance(header, dict) or header.get("op") not in ("put", "remove"):
        raise ValueError("op must be put or remove")
    if not isinstance(header.get("subject"), str) or not header["subject"]:
        raise ValueError("subject must be a non-empty string")
    if header["op"] == "remove":
        return 0
    words = int(header["words"])  # type: ignore[call-overload]
    fingers = header["fingers"]
    if not isinstance(fingers, list):
        raise ValueError("fingers must be a list")
    return sum(_finger_bytes(int(n), words) for _, n in fingers)


def _finger_bytes(cylinders: int, words: int) -> int:
    return cylinders * (2 * words * 8 + 3 * 4) + signature.DIM


def _fingers(header: dict[str, object], body: bytes) -> dict[int, Encoded]:
    words = int(header["words"])  # type: ignore[call-overload]
    out: dict[int, Encoded] = {}
    at = 0
    for position, n in header["fingers"]:  # type: ignore[attr-defined]
        n = int(n)
        bits = np.frombuffer(body, np.uint64, n * words, at).reshape(n, words)
        at += n * words * 8
        mask = np.frombuffer(body, np.uint64, n * words, at).reshape(n, words)
        at += n * words * 8
        geometry = np.frombuffer(body, np.float32, n * 3, at).reshape(n, 3)
        at += n * 12
        sig = np.frombuffer(body, np.uint8, signature.DIM, at)
        at += signature.DIM
        out[int(position)] = (mcc.Cylinders(bits, mask, geometry), sig)
    return out
