"""Every write of the support app: assistance requests, resources and deployments
(requests.py), EU funding and aid in kind (funding.py), and the demo scenario (scenario.py).

Other apps and the loader import from here only; the modules behind it may move.
"""

from borderwatch.support.services.funding import (
    allocate,
    award_funding,
    deliver_aid,
    money,
    offer_aid,
    offer_funding,
    pay,
)
from borderwatch.support.services.requests import (
    advance_request,
    deploy,
    deploy_number,
    offer_resources,
    rotate,
    submit_request,
)
from borderwatch.support.services.scenario import load_scenario_support, remove_synthetic_support

__all__ = [
    "advance_request",
    "allocate",
    "award_funding",
    "deliver_aid",
    "deploy",
    "deploy_number",
    "load_scenario_support",
    "money",
    "offer_aid",
    "offer_funding",
    "offer_resources",
    "pay",
    "remove_synthetic_support",
    "rotate",
    "submit_request",
]
