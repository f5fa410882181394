"""Every write of the procedures app: applications and their workflow (applications.py),
national rules and mass-influx periods (rules.py), the demo scenario's cases (scenario.py),
return cases (returns.py), readmission requests (readmission.py), return flights (flights.py),
country policies and reintegration offers (policies.py) and the scenario's returns
(return_scenario.py).

Other apps and the loader import from here only; the modules behind it may move.
"""

from borderwatch.procedures.services.applications import (
    advance,
    deadline_message,
    extend_decision_period,
    make_application,
)
from borderwatch.procedures.services.flights import board, cancel_flight, depart, plan_flight
from borderwatch.procedures.services.policies import (
    seed_return_policies,
    set_country_policy,
    set_reintegration_offer,
)
from borderwatch.procedures.services.readmission import (
    advance_readmission,
    remind_readmission,
    send_readmission,
)
from borderwatch.procedures.services.return_scenario import (
    open_scenario_returns,
    remove_synthetic_returns,
)
from borderwatch.procedures.services.returns import (
    advance_return,
    decide_return,
    end_detention,
    extend_departure,
    extend_detention,
    start_detention,
)
from borderwatch.procedures.services.rules import (
    declare_mass_influx,
    seed_national_rules,
    set_rule,
)
from borderwatch.procedures.services.scenario import (
    Applicant,
    open_scenario_applications,
    remove_synthetic_applications,
)

__all__ = [
    "Applicant",
    "advance",
    "advance_readmission",
    "advance_return",
    "board",
    "cancel_flight",
    "deadline_message",
    "decide_return",
    "declare_mass_influx",
    "depart",
    "end_detention",
    "extend_decision_period",
    "extend_departure",
    "extend_detention",
    "make_application",
    "open_scenario_applications",
    "open_scenario_returns",
    "plan_flight",
    "remind_readmission",
    "remove_synthetic_applications",
    "remove_synthetic_returns",
    "seed_national_rules",
    "seed_return_policies",
    "send_readmission",
    "set_country_policy",
    "set_reintegration_offer",
    "set_rule",
    "start_detention",
]
