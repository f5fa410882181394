"""Fingerprint engine: images in, templates out, 1:1 comparison and 1:N search. No Django here.

This is the facade: apps import from here only (import-linter holds them to it), so the
modules behind it can be split or renamed without touching the apps.
"""

from borderwatch.engines.fingerprint.calibration import fmr_for_score, threshold_for_fmr
from borderwatch.engines.fingerprint.cli import main as cli_main
from borderwatch.engines.fingerprint.errors import (
    FingerprintInputError,
    ImageTooLargeError,
    UnusableFingerError,
)
from borderwatch.engines.fingerprint.features import extract as extract_template
from borderwatch.engines.fingerprint.features import extract_file as extract_template_file
from borderwatch.engines.fingerprint.gallery import Candidate, Gallery, GalleryError
from borderwatch.engines.fingerprint.images import (
    MAX_FINGER_INCHES,
    MAX_IMAGE_BYTES,
    decode_image,
    load_image,
    resample_to_500ppi,
)
from borderwatch.engines.fingerprint.index import GalleryIndex, IndexConfig
from borderwatch.engines.fingerprint.iso19794 import decode_fmr, encode_fmr
from borderwatch.engines.fingerprint.mcc import (
    DEFAULT_PARAMS,
    FAST_PARAMS,
    Cylinders,
    MccParams,
    MinutiaPair,
    compare,
    encode,
    matched_pairs,
    similarity,
)
from borderwatch.engines.fingerprint.nist import FingerImage, read_nist, write_nist
from borderwatch.engines.fingerprint.synthetic import impression as synthetic_impression
from borderwatch.engines.fingerprint.synthetic import tenprint as synthetic_tenprint
from borderwatch.engines.fingerprint.template import Template
from borderwatch.engines.fingerprint.templatefile import dumps as template_to_bytes
from borderwatch.engines.fingerprint.templatefile import loads as template_from_bytes

__all__ = [
    "DEFAULT_PARAMS",
    "FAST_PARAMS",
    "MAX_FINGER_INCHES",
    "MAX_IMAGE_BYTES",
    "Candidate",
    "Cylinders",
    "FingerImage",
    "FingerprintInputError",
    "Gallery",
    "GalleryError",
    "GalleryIndex",
    "ImageTooLargeError",
    "IndexConfig",
    "MccParams",
    "MinutiaPair",
    "Template",
    "UnusableFingerError",
    "cli_main",
    "compare",
    "decode_fmr",
    "decode_image",
    "encode",
    "encode_fmr",
    "extract_template",
    "extract_template_file",
    "fmr_for_score",
    "load_image",
    "matched_pairs",
    "read_nist",
    "resample_to_500ppi",
    "similarity",
    "synthetic_impression",
    "synthetic_tenprint",
    "template_from_bytes",
    "template_to_bytes",
    "threshold_for_fmr",
    "write_nist",
]
