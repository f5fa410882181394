"""Fingerprint images in: PNG, BMP, TIFF and WSQ to a grayscale uint8 array at 500 ppi.

Decoding is Pillow's, with the `wsq` package's Pillow plugin (NBIS's WSQ codec) for WSQ. Decoders
raise whatever their authors chose on corrupt data, so every failure is turned into a
FingerprintInputError naming the file and the problem; nothing half-decoded comes out.

Size caps (docs/decisions/fingerprint-upload-limits.md): a finger fits in 2.0 x 2.0 in (a rolled
print is at most 1.6 x 1.5 in), i.e. 1000 x 1000 px once resampled to 500 ppi. The file's bytes,
then its header (pixel count, and inches at the resolution it records or the caller gives) are
checked before a single pixel is decoded, so a decompression bomb or a slap scanned as one finger
costs a header read, not gigabytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from borderwatch.engines.fingerprint.errors import FingerprintInputError, ImageTooLargeError
from borderwatch.engines.fingerprint.template import RESOLUTION_PPI

SUPPORTED_FORMATS = ("PNG", "BMP", "TIFF", "WSQ")
# Fingerprint scanners work at 250..1000 ppi (some 2000). A file claiming less (TIFF's default 1,
# the 72/96 of screen-oriented writers) carries a placeholder, not a measurement.
PLAUSIBLE_PPI = (250.0, 2000.0)
MIN_SIDE = 32  # smaller than a few ridges: nothing to extract
# A rolled print is at most 1.6 x 1.5 in (the ANSI/NIST-ITL and FBI EBTS rolled box), a plain
# thumb 1.0 x 2.0 in; 2.0 in a side covers both with a margin for a generous crop.
MAX_FINGER_INCHES = 2.0
MAX_SIDE_500 = round(MAX_FINGER_INCHES * RESOLUTION_PPI)  # 1000 px a side at 500 ppi
# As stored: 2.0 in at the highest plausible resolution (2000 ppi). Also the decoding budget in
# pixels (MAX_PIXELS), whatever resolution the file claims.
MAX_SIDE = round(MAX_FINGER_INCHES * PLAUSIBLE_PPI[1])  # 4000 px
MAX_PIXELS = MAX_SIDE * MAX_SIDE  # 16 Mpx, 16 MB as 8-bit grayscale
# The largest file a finger needs: that budget uncompressed at 8 bits plus headers.
MAX_IMAGE_BYTES = 16 * 2**20
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
        size = p.stat().st_size
        if size > MAX_IMAGE_BYTES and p.is_file():
            raise ImageTooLargeError(f"{p}: {_too_many_bytes(size)}")
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
    """Decode bytes of a PNG, BMP, TIFF or WSQ image to 8-bit grayscale.

    The caps (bytes, pixels, inches at 500 ppi) are checked from the header, before decoding.
    """
    if not data:
        raise FingerprintInputError(f"{name}: file is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageTooLargeError(f"{name}: {_too_many_bytes(len(data))}")
    _register_wsq()
    try:
        img = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError:
        raise ImageTooLargeError(
            f"{name}: the header declares an image of far more than {MAX_PIXELS:,} pixels"
        ) from None
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
    check_pixels(width, height, name)
    ppi, source = _resolution(img, data, fmt, resolution_ppi, name)
    check_finger_size(width, height, ppi, name=name, assumed=source == "assumed")
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
    return FingerprintImage(pixels, ppi, source, fmt)


def check_pixels(width: int, height: int, name: str = "image") -> None:
    """Sides and pixel count as stored: within what any finger at any plausible resolution needs
    (the decoding budget), and large enough to hold a few ridges."""
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ImageTooLargeError(
            f"{name}: image is {width}x{height} px; at most {MAX_SIDE}x{MAX_SIDE} px "
            f"({MAX_FINGER_INCHES:g} in a side at {PLAUSIBLE_PPI[1]:g} ppi) is decoded"
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        raise FingerprintInputError(
            f"{name}: image is {width}x{height} px; each side must be at least {MIN_SIDE} px"
        )


def check_finger_size(
    width: int, height: int, resolution_ppi: float, *, name: str = "image", assumed: bool = False
) -> None:
    """A finger's image measures at most MAX_FINGER_INCHES a side, i.e. MAX_SIDE_500 px once
    resampled to 500 ppi; larger is a slap, a whole card or a mistake, and costs seconds and
    gigabytes to extract."""
    check_resolution(resolution_ppi)
    w_in, h_in = width / resolution_ppi, height / resolution_ppi
    if max(w_in, h_in) * RESOLUTION_PPI > MAX_SIDE_500 + 0.5:
        how = " (assumed: the file records no resolution)" if assumed else ""
        raise ImageTooLargeError(
            f"{name}: image is {width}x{height} px at {resolution_ppi:g} ppi{how}, "
            f"{w_in:.2f} x {h_in:.2f} in; a finger image may be at most "
            f"{MAX_FINGER_INCHES:g} x {MAX_FINGER_INCHES:g} in "
            f"({MAX_SIDE_500}x{MAX_SIDE_500} px at {RESOLUTION_PPI} ppi)"
        )


def _too_many_bytes(size: int) -> str:
    return (
        f"file is {size / 2**20:.1f} MB; a finger image may be at most "
        f"{MAX_IMAGE_BYTES / 2**20:g} MB"
    )


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
