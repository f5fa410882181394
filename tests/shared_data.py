"""Shared test data (FVC images, news examples) lives in ../shared beside the repository root.

It is found relative to the repository, never by an absolute path. Locally a missing file skips
the test that needs it; under CI=true it fails the run, so CI never passes on skipped evidence.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FVC2002 = SHARED / "data" / "fvc2002"


def require(path: Path, what: str) -> Path:
    """`path` if it exists; otherwise skip (locally) or fail (CI=true) naming what is missing."""
    if path.exists():
        return path
    message = f"{what} not found at {path} (shared data: ../shared from the repository root)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
