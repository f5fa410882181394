"""The registration fixtures (officers of two states; border data for events)."""

from tests.registration.conftest import border_data, officer_lt, officer_pl  # noqa: F401
