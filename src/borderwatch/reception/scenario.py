"""Kept for the scenario loader until it imports these from reception.services."""

from borderwatch.reception.services import PlacementSummary, place_arrivals, seed_facilities

__all__ = ["PlacementSummary", "place_arrivals", "seed_facilities"]
