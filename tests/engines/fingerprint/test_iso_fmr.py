"""ISO/IEC 19794-2:2005 FMR export and import: round trips and rejected malformed records."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.iso19794 import decode_fmr, encode_fmr
from borderwatch.engines.fingerprint.template import BIFURCATION, ENDING, OTHER, Template


def _template(n: int = 5, seed: int = 0, position: int = 2, quality: int = 77) -> Template:
    rng = np.random.default_rng(seed)
    rows = np.column_stack(
        [
            rng.integers(0, 300, n),
            rng.integers(0, 400, n),
            rng.integers(0, 256, n) * 2 * math.pi / 256,  # on the ISO angle grid
            rng.choice([ENDING, BIFURCATION, OTHER], n),
            rng.integers(0, 101, n),
        ]
    )
    return Template.from_arrays(
        rows, width=300, height=400, quality=quality, finger_position=position
    )


def _same(a: Template, b: Template) -> None:
    assert (a.width, a.height, a.quality, a.finger_position) == (
        b.width,
        b.height,
        b.quality,
        b.finger_position,
    )
    np.testing.assert_allclose(a.as_array(), b.as_array(), atol=1e-4)


def test_round_trip_is_exact_on_the_iso_grid() -> None:
    t = _template(40)
    (back,) = decode_fmr(encode_fmr([t]))
    _same(t, back)


def test_header_layout() -> None:
    data = encode_fmr([_template(3)], capture_device_id=0x123)
    assert data[:8] == b"FMR\x00 20\x00"
    assert struct.unpack(">I", data[8:12])[0] == len(data) == 24 + 4 + 3 * 6 + 2
    assert struct.unpack(">HHHHHBB", data[12:24]) == (0x123, 300, 400, 197, 197, 1, 0)
    assert data[24:28] == bytes([2, 0, 77, 3])


def test_angles_and_coordinates_are_rounded_to_the_format() -> None:
    t = Template.from_arrays(
        [[10.4, 20.6, math.radians(90.7), ENDING, 50]], width=64, height=64, quality=10
    )
    (back,) = decode_fmr(encode_fmr([t]))
    assert (back.x[0], back.y[0]) == (10, 21)
    assert back.angle[0] == pytest.approx(64 * 2 * math.pi / 256)  # 90.0 degrees


def test_several_views_of_one_finger_are_numbered() -> None:
    ts = [_template(4, seed=1, position=7), _template(6, seed=2, position=7), _template(0, seed=3)]
    back = decode_fmr(encode_fmr(ts))
    assert [b.extra["view_number"] for b in back] == [0, 1, 0]
    for a, b in zip(ts, back, strict=True):
        _same(a, b)


def test_other_resolution_is_scaled_to_500ppi() -> None:
    data = bytearray(encode_fmr([_template(5)]))
    struct.pack_into(">HH", data, 18, 394, 394)  # claim 1000 ppi
    (back,) = decode_fmr(bytes(data))
    assert (back.width, back.height) == (150, 200)
    np.testing.assert_allclose(back.x, _template(5).x / 2, atol=1e-3)


def test_extended_data_is_kept_not_dropped() -> None:
    data = bytearray(encode_fmr([_template(2)]))
    data[-2:] = struct.pack(">H", 3) + b"abc"
    struct.pack_into(">I", data, 8, len(data))
    (back,) = decode_fmr(bytes(data))
    assert back.extra["iso_extended_data"] == b"abc"


def test_export_refuses_what_the_format_cannot_hold() -> None:
    with pytest.raises(FingerprintInputError, match="at most 255"):
        encode_fmr([_template(256)])
    with pytest.raises(FingerprintInputError, match="at least one"):
        encode_fmr([])


def _corrupt(offset: int, fmt: str, value: int) -> bytes:
    data = bytearray(encode_fmr([_template(3)]))
    struct.pack_into(fmt, data, offset, value)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "shorter than its header"),
        (b"FMR\x00 20\x00" + b"\x00" * 10, "shorter than its header"),
        (b"FIR\x00" + encode_fmr([_template()])[4:], "not an FMR record"),
        (_corrupt(4, ">I", int.from_bytes(b"030\x00")), "version"),
        (_corrupt(8, ">I", 999), "says 999 bytes"),
        (encode_fmr([_template()])[:-1], "says"),
        (_corrupt(22, ">B", 0), "no finger views"),
        (_corrupt(22, ">B", 2), "ends inside the view header"),
        (_corrupt(24, ">B", 11), "finger position 11"),
        (_corrupt(26, ">B", 101), "finger quality 101"),
        (_corrupt(27, ">B", 4), "ends inside its 4 minutiae"),
        (_corrupt(28, ">H", 0xC000), "type bits 11"),
        (_corrupt(28, ">H", 0x4000 | 300), "outside the 300x400 image"),
        (_corrupt(33, ">B", 200), "quality 200"),
        (_corrupt(24 + 4 + 18, ">H", 9), "cut short"),
    ],
)
def test_malformed_records_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(FingerprintInputError, match=message):
        decode_fmr(data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fuzzed_records_never_crash(data: st.DataObject) -> None:
    record = bytearray(encode_fmr([_template(4, position=1), _template(2, position=6)]))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(record) - 1))
        record[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(record)))
    try:
        templates = decode_fmr(bytes(record[:cut]))
    except FingerprintInputError:
        return
    for t in templates:  # whatever passed must be a valid template
        assert 0 <= t.finger_position <= 10 and 0 <= t.quality <= 100
        assert np.all(t.x < t.width) and np.all(t.y < t.height)
