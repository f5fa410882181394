"""Fingerprint images in: PNG, BMP, TIFF and WSQ to a grayscale uint8 array at 500 ppi.

Decoding is Pillow's, with the `wsq` package's Pillow plugin (NBIS's WSQ codec) for WSQ. Decoders
raise whatever their authors chose on corrupt data, so every failure is turned into a
FingerprintInputError naming the file and the problem; nothing half-decoded comes out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from borderwatch.engines.fingerprint.errors import FingerprintInputError
from borderwatch.engines.fingerprint.template import RESOLUTION_PPI

SUPPORTED_FORMATS = ("PNG", "BMP", "TIFF", "WSQ")
# Fingerprint scanners work at 250..1000 ppi (some 2000). A file claiming less (TIFF's default 1,
# the 72/96 of screen-oriented writers) carries a placeholder, not a measurement.
PLAUSIBLE_PPI = (250.0, 2000.0)
MIN_SIDE = 32  # smaller than a few ridges: nothing to extract
MAX_SIDE = 8000  # a 1000 ppi four-finger slap is ~3200 px; more is a bomb or a mistake
_NIST_COM_PPI = re.compile(rb"PPI\s+(-?\d+)")


@dataclass(frozen=True)
class FingerprintImage:
    """Decoded pixels plus where the resolution came from (recorded in the file, given, assumed)."""

    pixels: npt.NDArray[np.uint8]
    resolution_ppi: float
    resolution_source: str  # "file", "caller" or "assumed"
    source_format: str

    def at_500ppi(self) -> npt.NDArray[np.uint8]:
        return resample_to_500ppi(self.pixels, self.resolution_ppi)


def load_image(path: str | Path, *, resolution_ppi: float | None = None) -> FingerprintImage:
    """Read and decode one image file; `resolution_ppi` overrides what the file says."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise FingerprintInputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise FingerprintInputError(f"{p}: is a directory, not an image file") from None
    except OSError as exc:
        raise FingerprintInputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return decode_image(data, resolution_ppi=resolution_ppi, name=str(p))


def decode_image(
    data: bytes, *, resolution_ppi: float | None = None, name: str = "image"
) -> FingerprintImage:
    """Decode bytes of a PNG, BMP, TIFF or WSQ image to 8-bit grayscale."""
    if not data:
        raise FingerprintInputError(f"{name}: file is empty")
    _register_wsq()
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise FingerprintInputError(
            f"{name}: not a recognised image (supported: {', '.join(SUPPORTED_FORMATS)})"
        ) from None
    except Exception as exc:  # third-party header parsers raise arbitrary types on corrupt data
        raise FingerprintInputError(
            f"{name}: corrupt or truncated {_sniff(data)} header{_detail(exc)}"
        ) from None
    fmt = (img.format or "").upper()
    if fmt not in SUPPORTED_FORMATS:
        raise FingerprintInputError(
            f"{name}: {fmt or 'unknown'} images are not supported "
            f"(supported: {', '.join(SUPPORTED_FORMATS)})"
        )
    width, height = img.size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise FingerprintInputError(
            f"{name}: image is {width}x{height} px; each side must be {MIN_SIDE}..{MAX_SIDE} px"
        )
    try:
        img.load()
        pixels = _to_gray_uint8(img)
    except FingerprintInputError:
        raise
    except Exception as exc:  # truncated or corrupt image data: decoders differ in what they raise
        raise FingerprintInputError(
            f"{name}: truncated or corrupt {fmt} image data{_detail(exc)}"
        ) from None
    if pixels.shape != (height, width):
        raise FingerprintInputError(f"{name}: {fmt} decoder returned a wrong-sized image")
    ppi, source = _resolution(img, data, fmt, resolution_ppi, name)
    return FingerprintImage(pixels, ppi, source, fmt)


def resample_to_500ppi(
    pixels: npt.NDArray[np.uint8], resolution_ppi: float
) -> npt.NDArray[np.uint8]:
    """Scale to 500 ppi, the resolution every template coordinate is measured at."""
    check_resolution(resolution_ppi)
    if abs(resolution_ppi - RESOLUTION_PPI) < 0.5:
        return pixels
    scale = RESOLUTION_PPI / resolution_ppi
    h, w = pixels.shape
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # Lanczos low-passes before decimating, so downscaled ridges do not alias into false patterns.
    out = Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS)
    return np.asarray(out, dtype=np.uint8)


def check_resolution(resolution_ppi: float) -> None:
    lo, hi = PLAUSIBLE_PPI
    if not (np.isfinite(resolution_ppi) and lo <= resolution_ppi <= hi):
        raise FingerprintInputError(
            f"resolution {resolution_ppi} ppi is not plausible for a fingerprint ({lo:g}..{hi:g})"
        )


def _resolution(
    img: Image.Image, data: bytes, fmt: str, given: float | None, name: str
) -> tuple[float, str]:
    if given is not None:
        check_resolution(given)
        return float(given), "caller"
    recorded = _recorded_ppi(img, data, fmt)
    lo, hi = PLAUSIBLE_PPI
    if recorded is not None and lo <= recorded <= hi:
        return recorded, "file"
    return float(RESOLUTION_PPI), "assumed"


def _recorded_ppi(img: Image.Image, data: bytes, fmt: str) -> float | None:
    if fmt == "WSQ":
        # WSQ keeps the resolution in its NIST comment segment ("PPI 500"); -1 means unknown.
        m = _NIST_COM_PPI.search(data[:4096])
        return float(m.group(1)) if m and int(m.group(1)) > 0 else None
    dpi = img.info.get("dpi")
    if isinstance(dpi, tuple) and len(dpi) == 2:
        try:
            x, y = float(dpi[0]), float(dpi[1])
        except (TypeError, ValueError):
            return None
        if x > 0 and abs(x - y) <= 0.01 * x:
            return x
    return None


def _to_gray_uint8(img: Image.Image) -> npt.NDArray[np.uint8]:
    mode = img.mode
    if mode == "L":
        return np.asarray(img, dtype=np.uint8).copy()
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img).astype(np.int64)
        top = 65535 if arr.max(initial=0) > 255 else 255
        return np.clip(arr * 255 // top, 0, 255).astype(np.uint8)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in img.info):
        # Transparent pixels carry no print: show them as paper (white), not as ink.
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("L"), dtype=np.uint8)
    if mode in ("1", "P", "RGB", "CMYK", "YCbCr", "F"):
        return np.asarray(img.convert("L"), dtype=np.uint8)
    raise FingerprintInputError(f"image mode {mode} cannot be read as grayscale")


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xa0", "WSQ"),
    (b"\x89PNG", "PNG"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def _sniff(data: bytes) -> str:
    """Name the format from its magic bytes, for messages about files Pillow could not open."""
    return next((fmt for magic, fmt in _MAGIC if data.startswith(magic)), "image")


def _detail(exc: Exception) -> str:
    """Decoder messages help only when they are about the data (OSError/ValueError), not bugs."""
    return f" ({exc})" if isinstance(exc, OSError | ValueError) and str(exc) else ""


def _register_wsq() -> None:
    """Importing `wsq` registers its Pillow plugin; done on first use, not at engine import."""
    import wsq  # noqa: F401
