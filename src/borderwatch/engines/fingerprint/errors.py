"""The one error type the fingerprint engine raises for bad input.

Callers (CLI, API, registration services) catch this to tell an operator what is wrong with a file
or an image; anything else escaping the engine is a bug, not bad input.
"""

from __future__ import annotations


class FingerprintInputError(ValueError):
    """Input (file, image, record) the engine cannot use; the message names the problem."""
