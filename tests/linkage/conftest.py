"""The registration fixtures (officers of two states)."""

from tests.registration.conftest import (  # noqa: F401
    border_data,
    english_afterwards,
    officer_lt,
    officer_pl,
)
