"""Image loading: formats, resolution handling and clear rejection of bad files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.images import decode_image, load_image, resample_to_500ppi
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.shared_data import FVC2002, require

FVC = FVC2002


def _encode(pixels: np.ndarray, fmt: str, **params: object) -> bytes:
    import wsq  # noqa: F401  registers the WSQ writer with Pillow

    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format=fmt, **params)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "BMP", "TIFF"])
def test_lossless_formats_round_trip_exactly(fmt: str) -> None:
    pixels = ridge_image()
    img = decode_image(_encode(pixels, fmt), name=f"x.{fmt.lower()}")
    assert img.source_format == fmt
    assert np.array_equal(img.pixels, pixels)


def test_wsq_decodes_close_to_original_with_its_recorded_resolution() -> None:
    pixels = ridge_image()
    data = _encode(pixels, "WSQ")
    img = decode_image(data, name="x.wsq")
    assert img.source_format == "WSQ"
    assert img.pixels.shape == pixels.shape
    assert img.resolution_ppi == 500 and img.resolution_source == "file"
    # lossy at ~0.75 bpp, but ridges must survive: mean error well under the ridge contrast
    assert np.abs(img.pixels.astype(int) - pixels.astype(int)).mean() < 12


def test_recorded_resolution_is_used_and_resampled() -> None:
    pixels = ridge_image(shape=(400, 360))
    img = decode_image(_encode(pixels, "PNG", dpi=(1000, 1000)))
    assert img.resolution_source == "file"
    assert img.resolution_ppi == pytest.approx(1000, abs=1)
    assert img.at_500ppi().shape == (200, 180)


def test_placeholder_resolution_is_treated_as_unrecorded() -> None:
    pixels = ridge_image()
    img = decode_image(_encode(pixels, "TIFF", dpi=(1, 1)))
    assert (img.resolution_ppi, img.resolution_source) == (500, "assumed")
    assert img.at_500ppi() is img.pixels


def test_caller_resolution_overrides_file() -> None:
    pixels = ridge_image()
    img = decode_image(_encode(pixels, "PNG", dpi=(1000, 1000)), resolution_ppi=569)
    assert (img.resolution_ppi, img.resolution_source) == (569, "caller")
    h, w = pixels.shape
    assert img.at_500ppi().shape == (round(h * 500 / 569), round(w * 500 / 569))


def test_resampling_keeps_ridge_period_in_physical_units() -> None:
    # period 18 px at 1000 ppi is 9 px at 500 ppi
    pixels = ridge_image(shape=(480, 480), period=18.0, singularities=(), tilt=0.0, noise=0)
    out = resample_to_500ppi(pixels, 1000)
    row = out[120, 40:200].astype(float) - out[120, 40:200].mean()
    spectrum = np.abs(np.fft.rfft(row))
    period = len(row) / (1 + np.argmax(spectrum[1:]))
    assert period == pytest.approx(9.0, rel=0.1)


def test_sixteen_bit_and_rgba_become_gray() -> None:
    pixels = ridge_image()
    wide = Image.fromarray(pixels.astype(np.uint16) * 257)
    buf = io.BytesIO()
    wide.save(buf, format="PNG")
    assert np.array_equal(decode_image(buf.getvalue()).pixels, pixels)
    rgba = np.zeros((*pixels.shape, 4), np.uint8)  # fully transparent black
    clear = decode_image(_encode(rgba, "PNG")).pixels
    assert clear.min() == 255  # transparent is paper, not ink


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"not an image at all, just text", "not a recognised image"),
        (b"\xff\xa0\xff\xa8\x00\x04ab", "WSQ"),
    ],
)
def test_garbage_is_rejected_clearly(data: bytes, message: str) -> None:
    with pytest.raises(FingerprintInputError, match=message):
        decode_image(data, name="upload")


@pytest.mark.parametrize("fmt", ["WSQ", "PNG", "TIFF", "BMP"])
@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.95])
def test_truncated_files_are_rejected(fmt: str, fraction: float) -> None:
    data = _encode(ridge_image(), fmt)
    with pytest.raises(FingerprintInputError, match="upload"):
        decode_image(data[: int(len(data) * fraction)], name="upload")


def test_unsupported_format_is_named() -> None:
    with pytest.raises(FingerprintInputError, match="JPEG images are not supported"):
        decode_image(_encode(ridge_image(), "JPEG"))


def test_tiny_image_is_rejected() -> None:
    with pytest.raises(FingerprintInputError, match="10x12 px"):
        decode_image(_encode(np.zeros((12, 10), np.uint8), "PNG"))


def test_implausible_resolution_is_rejected() -> None:
    with pytest.raises(FingerprintInputError, match="72 ppi"):
        decode_image(_encode(ridge_image(), "PNG"), resolution_ppi=72)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FingerprintInputError, match="no such file"):
        load_image(tmp_path / "absent.png")
    with pytest.raises(FingerprintInputError, match="directory"):
        load_image(tmp_path)


def test_reads_fvc_tiff_when_present() -> None:
    path = FVC / "DB1_B" / "101_1.tif"
    require(path, "FVC2002 image")
    img = load_image(path)
    assert img.pixels.shape == (374, 388)
    assert img.resolution_source == "assumed"  # FVC TIFFs carry a placeholder of 1 dpi
