"""The error types the fingerprint engine raises for bad input.

Callers (CLI, API, registration services) catch FingerprintInputError to tell an operator what is
wrong with a file or an image; anything else escaping the engine is a bug, not bad input.
"""

from __future__ import annotations


class FingerprintInputError(ValueError):
    """Input (file, image, record) the engine cannot use; the message names the problem."""


class ImageTooLargeError(FingerprintInputError):
    """A file or image beyond the engine's caps (bytes, pixels, inches), refused before decoding
    or extracting it; the message names the size found and the limit."""


class UnusableFingerError(FingerprintInputError):
    """An image that decodes but holds no usable finger (blank, noise, too small a print, too
    few minutiae): nothing that could identify anyone, so no template comes out of it."""
