"""Bounded work per upload: size caps checked from the header before decoding, a minutiae bound
before every quadratic step, and images without a usable ridge area refused (never quality 0).

Every image here is small, or refused before its pixels exist: nothing large is ever decoded.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PIL import Image

from borderwatch.engines.fingerprint import (
    FingerImage,
    FingerprintInputError,
    ImageTooLargeError,
    UnusableFingerError,
    extract_template,
    mcc,
    pyfing_backend,
    read_nist,
    write_nist,
)
from borderwatch.engines.fingerprint.features import (
    MIN_RIDGE_AREA_PX,
    analyse,
    extract_file,
    ridge_area,
)
from borderwatch.engines.fingerprint.images import (
    MAX_IMAGE_BYTES,
    MAX_PIXELS,
    MAX_SIDE_500,
    decode_image,
    load_image,
)
from borderwatch.engines.fingerprint.template import MAX_MINUTIAE, Template
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.shared_data import FVC2002, require


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_bomb(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A valid 8-bit grayscale PNG of zeros: a few KB that decode to width x height bytes.

    The compressed stream is written a row at a time, so the full image never exists here;
    `rows` < height truncates the data (a header that lies about what follows)."""
    z = zlib.compressobj(9)
    line = bytes(width + 1)  # filter byte + a row of black
    parts = [z.compress(line) for _ in range(height if rows is None else rows)]
    idat = b"".join(parts) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def _png(pixels: npt.NDArray[np.uint8], dpi: int | None = None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _no_decoding_of_large_images(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if any test here makes Pillow decode more than a finger's worth of pixels."""
    real_load = Image.Image.load

    def load(self: Image.Image) -> object:
        assert self.size[0] * self.size[1] <= MAX_SIDE_500 * MAX_SIDE_500 * 4, self.size
        return real_load(self)

    monkeypatch.setattr(Image.Image, "load", load)


# --- caps checked before decoding ---------------------------------------------------------------


def test_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = _png_bomb(6000, 6000)  # 36 Mpx of zeros in ~40 KB
    assert len(bomb) < 100_000
    with pytest.raises(ImageTooLargeError, match=r"bomb\.png: image is 6000x6000 px; at most"):
        decode_image(bomb, name="bomb.png")


def test_header_beyond_pillows_own_bomb_limit_is_named_as_too_large() -> None:
    lying = _png_bomb(60_000, 60_000, rows=2)  # 3.6 Gpx declared, two rows of data
    with pytest.raises(ImageTooLargeError, match=f"far more than {MAX_PIXELS:,} pixels"):
        decode_image(lying, name="huge.png")


def test_oversized_header_of_a_5000_px_noise_scan_is_refused_before_decoding() -> None:
    # the tester's 5000 x 5000 image: refused from its 33 header bytes, whatever the data
    with pytest.raises(ImageTooLargeError, match="5000x5000 px"):
        decode_image(_png_bomb(5000, 5000, rows=1), name="noise.png")


def test_a_finger_is_at_most_two_inches_at_500ppi() -> None:
    just = _png_bomb(MAX_SIDE_500, 600)
    assert decode_image(just).pixels.shape == (600, MAX_SIDE_500)
    too_wide = _png_bomb(MAX_SIDE_500 + 100, 600)
    with pytest.raises(ImageTooLargeError, match=r"1100x600 px at 500 ppi \(assumed.*2 x 2 in"):
        decode_image(too_wide, name="wide.png")


def test_the_same_pixels_at_1000ppi_are_a_finger() -> None:
    pixels = ridge_image(shape=(1100, 1200))  # 1.2 x 1.1 in at 1000 ppi
    img = decode_image(_png(pixels, dpi=1000))
    assert img.at_500ppi().shape == (550, 600)
    with pytest.raises(ImageTooLargeError, match=r"2\.40 x 2\.20 in"):
        decode_image(_png(pixels, dpi=500))


def test_files_above_the_byte_cap_are_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ImageTooLargeError, match=f"at most {MAX_IMAGE_BYTES // 2**20} MB"):
        decode_image(b"\x89PNG" + bytes(MAX_IMAGE_BYTES), name="big.png")
    big = tmp_path / "big.png"
    with big.open("wb") as fh:  # sparse: no 16 MB written to disk
        fh.truncate(MAX_IMAGE_BYTES + 1)

    def never(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    with pytest.raises(ImageTooLargeError, match=r"big\.png: file is 16\.0 MB"):
        load_image(big)


def test_arrays_larger_than_a_finger_are_refused_before_analysis() -> None:
    with pytest.raises(ImageTooLargeError, match="1200x1100 px at 500 ppi"):
        extract_template(np.zeros((1100, 1200), np.uint8))
    with pytest.raises(ImageTooLargeError, match="at most 4000x4000 px"):
        extract_template(np.zeros((4100, 40), np.uint8), resolution_ppi=2000)


def test_nist_records_get_the_same_caps() -> None:
    wide = FingerImage(2, np.full((600, 1100), 200, np.uint8), 500.0)
    with pytest.raises(
        ImageTooLargeError, match=r"record 2 \(Type-14\), finger position 2: image is 1100x600 px"
    ):
        read_nist(write_nist([wide]))
    fine = FingerImage(2, np.full((600, 1100), 200, np.uint8), 1000.0)  # 1.1 in wide
    assert read_nist(write_nist([fine])).fingers[0].pixels.shape == (600, 1100)


def test_nist_record_with_a_compressed_bomb_is_refused_before_decoding() -> None:
    data = write_nist([FingerImage(3, np.full((64, 64), 200, np.uint8), 500.0)])
    bomb = _png_bomb(6000, 6000)
    # swap in a PNG payload that declares 6000 x 6000 (the record itself says 64 x 64)
    head, _, _ = data.rpartition(b"14.999:")
    patched = head.replace(b"14.011:NONE", b"14.011:PNG ").replace(b"14.006:64", b"14.006:6000")
    assert b"6000" in patched
    with pytest.raises(FingerprintInputError, match="6000"):
        read_nist(_retagged(patched + b"14.999:" + bomb + b"\x1c"))


def _retagged(data: bytes) -> bytes:
    """Fix the Type-14 record's length field (14.001) after patching its fields."""
    start = data.index(b"14.001:")
    gs = data.index(b"\x1d", start)
    body = data[gs:]
    digits = len(data[start + 7 : gs])
    for _ in range(3):
        length = 7 + digits + len(body)
        digits = len(str(length))
    return data[:start] + b"14.001:" + str(7 + digits + len(body)).encode() + body


# --- usable ridge area --------------------------------------------------------------------------


def test_uniform_noise_of_a_full_finger_size_is_refused_quickly() -> None:
    noise = np.random.default_rng(7).integers(0, 256, (MAX_SIDE_500, MAX_SIDE_500), np.uint8)
    with pytest.raises(UnusableFingerError, match=r"no usable ridge area: clear ridges cover"):
        extract_template(noise)


def test_too_small_a_print_is_refused() -> None:
    patch = np.full((400, 400), 255, np.uint8)
    patch[170:230, 170:230] = ridge_image()[130:190, 130:190]
    with pytest.raises(UnusableFingerError, match=f"at least {MIN_RIDGE_AREA_PX:,} px"):
        extract_template(patch)


def test_genuine_fvc_prints_with_the_least_ridge_area_are_kept() -> None:
    """The check must not refuse real fingers: the FVC2002 images with the smallest clear area
    (DB3_B 107/108) and one from each other set extract with a positive quality."""
    root = require(FVC2002, "FVC2002 images")
    names = ["DB3_B/108_1", "DB3_B/107_7", "DB3_B/110_6", "DB1_B/110_6", "DB2_B/110_6"]
    names += ["DB4_B/110_6"]
    ppi = {"DB2_B": 569.0}
    for name in names:
        db = name.split("/")[0]
        t = extract_file(root / f"{name}.tif", resolution_ppi=ppi.get(db, 500.0))
        assert t.quality > 0 and len(t) >= 6, name


def test_ridge_area_measures_clear_ridges_only() -> None:
    pixels = ridge_image()
    inside = np.ones(pixels.shape, bool)
    assert ridge_area(pixels, inside) >= MIN_RIDGE_AREA_PX
    assert ridge_area(pixels, np.zeros(pixels.shape, bool)) == 0


# --- minutiae bound before the quadratic steps -------------------------------------------------


def test_sbmex_candidates_are_bounded_before_pairing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ridge/valley pairing (cubic) and the cluster penalty (n x n) see at most
    MAX_CANDIDATES per skeleton (lowered here so that a small noise image exceeds it)."""
    import pyfing.minutiae_from_enhanced_image as mfe

    monkeypatch.setattr(pyfing_backend, "MAX_CANDIDATES", 100)
    seen: list[int] = []
    real_compare = mfe.compare_minutiae

    def compare(a: list[object], b: list[object], *args: object) -> object:
        seen.extend([len(a), len(b)])
        return real_compare(a, b, *args)

    monkeypatch.setattr(mfe, "compare_minutiae", compare)
    rng = np.random.default_rng(3)
    enhanced = np.where(rng.random((600, 600)) < 0.5, 0, 255).astype(np.uint8)
    mask = np.full(enhanced.shape, 255, np.uint8)
    with pyfing_backend.inference():
        sbmex = pyfing_backend.algorithm("SBMEX", minutia_quality_threshold=0.05)
        found = sbmex.run(enhanced, mask, 500)
    assert seen and max(seen) == pyfing_backend.MAX_CANDIDATES
    assert len(found) <= 2 * pyfing_backend.MAX_CANDIDATES


def test_strongest_candidates_keep_the_best_in_order() -> None:
    found = [(x, 0, 0.0, "E", q) for x, q in enumerate([0.2, 0.9, 0.5, 0.9, 0.1])]
    depth = np.array([[5, 1, 9, 3, 7]])
    kept = pyfing_backend.strongest_candidates(found, depth, limit=3)
    assert [m[0] for m in kept] == [1, 2, 3]  # 0.9, 0.9, 0.5, in their original order


def _random_template(n: int, seed: int = 0) -> Template:
    rng = np.random.default_rng(seed)
    rows = np.column_stack(
        [
            rng.uniform(0, 700, n), rng.uniform(0, 700, n), rng.uniform(0, 6.28, n),
            rng.integers(1, 3, n), rng.integers(1, 101, n),
        ]
    )  # fmt: skip
    return Template.from_arrays(rows, width=700, height=700, quality=50)


def test_templates_are_bounded_before_cylinders_are_built() -> None:
    big = _random_template(3 * MAX_MINUTIAE)
    strongest = big.strongest(MAX_MINUTIAE)
    assert len(strongest) == MAX_MINUTIAE
    assert strongest.minutia_quality.min() >= np.sort(big.minutia_quality)[-MAX_MINUTIAE]
    assert len(mcc.encode(big)) <= MAX_MINUTIAE
    score, pairs = mcc.matched_pairs(big, big)
    assert score > 0.5 and pairs
    # pair indices refer to the original template's rows
    for p in pairs[:5]:
        assert (big.x[p.index_a], big.y[p.index_a]) == pytest.approx((p.xa, p.ya), abs=1e-3)


def test_extraction_keeps_at_most_max_minutiae(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if SBMEX answered with thousands, the template holds the MAX_MINUTIAE best."""
    from borderwatch.engines.fingerprint import features

    pixels = ridge_image()
    many = [(x, y, 0.5, "E", (x * 7 + y) % 100 / 100 + 0.01) for x in range(60, 230, 4)
            for y in range(70, 250, 4)]  # fmt: skip
    real = pyfing_backend.algorithm

    class Fake:
        def run(self, *args: object) -> list[tuple[int, int, float, str, float]]:
            return many

    monkeypatch.setattr(
        pyfing_backend, "algorithm", lambda name, **kw: Fake() if name == "SBMEX" else real(name)
    )
    f = analyse(pixels)
    assert len(many) > MAX_MINUTIAE and len(f.minutiae) == MAX_MINUTIAE
    assert f.minutiae[:, 4].min() >= 50  # the better half by quality
    assert len(f.minutiae) >= features.MIN_MINUTIAE
