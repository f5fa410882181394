"""Every write of the reception app, one function per use case: placements, transfers and
releases (placements.py), facilities (facilities.py), the optimiser's proposals run as a task
(proposals.py) and the demo scenario's placements (scenario.py).

Other apps and the loader import from here only; the modules behind it may move.
"""

from borderwatch.reception.services.checks import PlacementRequest
from borderwatch.reception.services.erasure import erase_person_data
from borderwatch.reception.services.facilities import save_facility, seed_facilities
from borderwatch.reception.services.placements import (
    place,
    place_many,
    release,
    remove_synthetic_placements,
    transfer,
)
from borderwatch.reception.services.proposals import (
    accept_proposal,
    recover_proposals,
    request_proposal,
    run_proposal,
)
from borderwatch.reception.services.scenario import PlacementSummary, place_arrivals

__all__ = [
    "PlacementRequest",
    "PlacementSummary",
    "accept_proposal",
    "erase_person_data",
    "place",
    "place_arrivals",
    "place_many",
    "recover_proposals",
    "release",
    "remove_synthetic_placements",
    "request_proposal",
    "run_proposal",
    "save_facility",
    "seed_facilities",
    "transfer",
]
