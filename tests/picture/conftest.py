from __future__ import annotations

import pytest

from borderwatch.border.models import BorderSection
from tests.picture.data import make_border


@pytest.fixture
def sections(db: None) -> dict[str, BorderSection]:
    return make_border()
