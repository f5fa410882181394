"""Persons of two states, fingerprint helpers (synthetic templates, tiny images, FVC files)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from django.utils import timezone, translation
from PIL import Image

from borderwatch.accounts.models import User
from borderwatch.core.roles import Role
from borderwatch.engines.fingerprint import synthetic
from borderwatch.registration.models import FingerprintSet, Person
from borderwatch.registration.services import bulk_enrol_synthetic, create_person
from tests.border.conftest import border_data  # noqa: F401  (the group test needs an event)
from tests.engines.fingerprint.ridge_pattern import ridge_image
from tests.shared_data import FVC2002, require

FVC_DIR = FVC2002 / "DB1_B"
SEED = 5


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A request in another language leaves it active in this thread (LocaleMiddleware): the
    next test, calling services directly, would read Polish messages. Back to English after each."""
    yield
    translation.deactivate()


def png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels, mode="L").save(buf, format="PNG", dpi=(500, 500))
    return buf.getvalue()


@pytest.fixture
def ridge_png() -> Callable[[int], bytes]:
    """A small synthetic ridge image (seeded) as PNG bytes."""
    return lambda seed: png(ridge_image(seed=seed))


@pytest.fixture
def fvc() -> Callable[[int, int], tuple[str, bytes]]:
    """FVC2002 DB1_B finger `f` (101..110), impression `i` (1..8); skips when not present."""
    require(FVC_DIR, "FVC2002 DB1_B images")

    def read(f: int, i: int) -> tuple[str, bytes]:
        path = FVC_DIR / f"{f}_{i}.tif"
        return path.name, path.read_bytes()

    return read


def new_person(actor: User | None, state: str, **extra: object) -> Person:
    values = {
        "member_state": state,
        "name_as_written": "علي حسن",
        "name_transliterated": "Ali Hassan",
        "sex": "M",
        "nationality": "IQ",
        "eurodac_category": 2,
        **extra,
    }
    return create_person(actor, **values)


def synthetic_set(person: Person, subject: int, impression: int) -> FingerprintSet:
    """A template-only set: impression `impression` of synthetic subject `subject`'s ten fingers."""
    fingers = {t.finger_position: t for t in synthetic.tenprint(SEED, subject, impression)}
    (fs,) = bulk_enrol_synthetic([(person.pk, fingers, timezone.now())])
    return fs


@pytest.fixture
def officer_lt(make_user: Callable[..., User]) -> User:
    return make_user(Role.REGISTRATION_OFFICER, "LT")


@pytest.fixture
def officer_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.REGISTRATION_OFFICER, "PL")


@pytest.fixture
def expert_pl(make_user: Callable[..., User]) -> User:
    return make_user(Role.FINGERPRINT_EXPERT, "PL")


@pytest.fixture
def expert_lt(make_user: Callable[..., User]) -> User:
    return make_user(Role.FINGERPRINT_EXPERT, "LT")
