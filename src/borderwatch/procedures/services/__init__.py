"""Every write of the procedures app: applications and their workflow (applications.py),
national rules and mass-influx periods (rules.py), and the demo scenario's cases (scenario.py).

Other apps and the loader import from here only; the modules behind it may move.
"""

from borderwatch.procedures.services.applications import (
    advance,
    deadline_message,
    extend_decision_period,
    make_application,
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
    "deadline_message",
    "declare_mass_influx",
    "extend_decision_period",
    "make_application",
    "open_scenario_applications",
    "remove_synthetic_applications",
    "seed_national_rules",
    "set_rule",
]
