"""ANSI/NIST-ITL Type-1/4/14: round trips through our writer, and malformed files rejected."""

from __future__ import annotations

import re
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderwatch.engines.fingerprint import nist
from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.nist import FingerImage, read_nist, write_nist
from tests.engines.fingerprint.ridge_pattern import ridge_image

RS, US, GS, FS = nist.RS, nist.US, nist.GS, nist.FS


def _fingers(n: int = 2, ppi: float = 500) -> list[FingerImage]:
    return [
        FingerImage(pos, ridge_image(shape=(64 + 8 * pos, 48), seed=pos), ppi)
        for pos in range(1, n + 1)
    ]


@pytest.mark.parametrize("record_type", [4, 14])
def test_raw_round_trip(record_type: int) -> None:
    fingers = _fingers(3)
    tx = read_nist(write_nist(fingers, record_type=record_type, control_number="LT-0001"))
    assert (tx.transaction_type, tx.control_number, tx.skipped) == ("CAR", "LT-0001", [])
    assert [f.finger_position for f in tx.fingers] == [1, 2, 3]
    for a, b in zip(fingers, tx.fingers, strict=True):
        assert np.array_equal(a.pixels, b.pixels)
        assert b.resolution_ppi == pytest.approx(500, abs=0.2)
        assert b.record_type == record_type


@pytest.mark.parametrize("record_type", [4, 14])
def test_wsq_round_trip(record_type: int) -> None:
    fingers = [FingerImage(7, ridge_image(), 500)]
    (back,) = read_nist(write_nist(fingers, record_type=record_type, compression="WSQ20")).fingers
    assert back.compression in ("WSQ20", "WSQ")
    assert back.pixels.shape == fingers[0].pixels.shape
    assert np.abs(back.pixels.astype(int) - fingers[0].pixels.astype(int)).mean() < 12


def test_type14_keeps_its_resolution() -> None:
    (back,) = read_nist(write_nist(_fingers(1, ppi=1000), record_type=14)).fingers
    assert back.resolution_ppi == 1000


def _transaction(records: list[tuple[int, bytes]]) -> bytes:
    cnt = RS.join(
        [b"1" + US + b"%d" % len(records)]
        + [b"%d" % t + US + b"%02d" % i for i, (t, _) in enumerate(records, start=1)]
    )
    type1 = nist._tagged(1, [(2, b"0500"), (3, cnt), (4, b"CAR"), (5, b"20210706")])
    return type1 + b"".join(r for _, r in records)


def test_other_records_are_listed_as_skipped() -> None:
    type2 = nist._tagged(2, [(2, b"01"), (10, b"person ref")])
    type14 = _after_type1(write_nist(_fingers(1)))
    slap = nist._tagged(
        14,
        [(2, b"03"), (6, b"64"), (7, b"48"), (8, b"1"), (9, b"500"), (10, b"500"),
         (11, b"NONE"), (13, b"13"), (999, bytes(64 * 48))],
    )  # fmt: skip
    type14 = type14.replace(b"14.002:01", b"14.002:02")
    tx = read_nist(_transaction([(2, type2), (14, type14), (14, slap)]))
    assert [f.finger_position for f in tx.fingers] == [1]
    assert tx.skipped[0].startswith("record 2 (Type-2)")
    assert "multi-finger" in tx.skipped[1]


def _after_type1(data: bytes) -> bytes:
    return data[int(re.match(rb"1.001:(\d+)", data).group(1)) :]  # type: ignore[union-attr]


def _corrupt_type4(offset: int, fmt: str, value: int) -> bytes:
    data = bytearray(write_nist(_fingers(1), record_type=4))
    start = int(re.match(rb"1.001:(\d+)", data).group(1))  # type: ignore[union-attr]
    struct.pack_into(fmt, data, start + offset, value)
    return bytes(data)


GOOD14 = write_nist(_fingers(1), record_type=14)


def _type14(**changes: bytes) -> bytes:
    """A one-finger Type-14 transaction with some fields changed (lengths stay consistent)."""
    fields = {2: b"01", 6: b"48", 7: b"72", 8: b"1", 9: b"500", 10: b"500", 11: b"NONE"}
    fields |= {12: b"8", 13: b"1", 999: bytes(48 * 72)}
    for name, value in changes.items():
        fields[int(name[1:])] = value
    record = nist._tagged(14, [(k, v) for k, v in fields.items() if v != b"-"])
    return _transaction([(14, record)])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 hello", "must start with '1.001:'"),
        (GOOD14[:-1], "does not fit|does not end"),
        (GOOD14[:200], "does not fit"),
        (GOOD14 + b"xx", "2 bytes follow the last record"),
        (GOOD14.replace(b"1" + US + b"1" + RS, b"1" + US + b"2" + RS, 1), "announces 2 records"),
        (_transaction([(4, _after_type1(_type14()))]), r"Type-4\): length"),
        (_type14(f13=b"16"), "finger position 16"),
        (_type14(f6=b"-"), "lacks field 14.006"),
        (_type14(f6=b"49"), "raw image data"),
        (_type14(f8=b"0"), "SLC 0"),
        (_type14(f11=b"JPEGB"), "compression"),
        (_type14(f12=b"16"), "8-bit"),
        (_type14(f9=b"72", f10=b"72"), "72.0 ppi is not plausible"),
        (_type14(f13=b"x"), "FGP"),
        (GOOD14.replace(b"14.004:", b"14.003:"), "appears twice"),
        (nist._tagged(1, [(2, b"0500"), (3, b"1" + US + b"0"), (4, b"")]), "TOT"),
        (nist._tagged(1, [(2, b"0500"), (3, b"2" + US + b"0"), (4, b"CAR")]), "CNT"),
        (_corrupt_type4(0, ">I", 10**6), "length 1000000 does not fit"),
        (_corrupt_type4(0, ">I", 3), "length 3"),
        (_corrupt_type4(0, ">I", 12), "shorter than its 18-byte header"),
        (_corrupt_type4(6, ">B", 14), "finger position 14"),
        (_corrupt_type4(17, ">B", 2), "GCA 2"),
        (_corrupt_type4(13, ">H", 50), "expected 50x72"),
    ],
)
def test_malformed_files_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(FingerprintInputError, match=message):
        read_nist(data)


_SEED = write_nist(_fingers(2), record_type=4) + b""
_SEED14 = write_nist(_fingers(2), record_type=14)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([_SEED, _SEED14]), st.data())
def test_fuzzed_files_fail_only_with_input_errors(seed: bytes, data: st.DataObject) -> None:
    buf = bytearray(seed)
    for _ in range(data.draw(st.integers(0, 4))):
        op = data.draw(st.sampled_from(["set", "insert", "delete", "digit"]))
        i = data.draw(st.integers(0, len(buf) - 1))
        if op == "set":
            buf[i] = data.draw(st.integers(0, 255))
        elif op == "insert":
            buf[i:i] = data.draw(st.binary(min_size=1, max_size=4))
        elif op == "delete":
            del buf[i : i + data.draw(st.integers(1, 8))]
        else:  # lengths and counts are digits: nudge one
            buf[i] = data.draw(st.sampled_from(b"0123456789"))
    buf = buf[: data.draw(st.integers(0, len(buf)))]
    try:
        tx = read_nist(bytes(buf))
    except FingerprintInputError:
        return
    for f in tx.fingers:  # anything accepted must be a usable finger image
        assert 0 <= f.finger_position <= 10
        assert f.pixels.dtype == np.uint8 and f.pixels.ndim == 2
        assert 250 <= f.resolution_ppi <= 2000
