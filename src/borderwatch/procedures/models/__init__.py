"""The procedures app's data: asylum applications and their national rules (asylum.py), return
cases, readmission requests, return flights, country policies and reintegration offers
(returns.py), and the case counts the figures read (figures.py). Other modules import from
here; the split only keeps each part readable."""

from borderwatch.procedures.models.asylum import (
    FIRST_INSTANCE,
    NEGATIVE,
    PENDING,
    POSITIVE,
    AsylumApplication,
    DueKind,
    MassInfluxPeriod,
    ProcedureRule,
    RuleKind,
    Status,
)
from borderwatch.procedures.models.figures import CaseCount, Measure
from borderwatch.procedures.models.returns import (
    FINAL_NEGATIVE,
    OPEN_READMISSION,
    CountryPolicy,
    FlightKind,
    FlightStatus,
    PolicyKind,
    ReadmissionRequest,
    ReadmissionStatus,
    ReintegrationOffer,
    ReturnCase,
    ReturnDueKind,
    ReturnFlight,
    ReturnKind,
    ReturnStatus,
)

__all__ = [
    "FINAL_NEGATIVE",
    "FIRST_INSTANCE",
    "NEGATIVE",
    "OPEN_READMISSION",
    "PENDING",
    "POSITIVE",
    "AsylumApplication",
    "CaseCount",
    "CountryPolicy",
    "DueKind",
    "FlightKind",
    "FlightStatus",
    "MassInfluxPeriod",
    "Measure",
    "PolicyKind",
    "ProcedureRule",
    "ReadmissionRequest",
    "ReadmissionStatus",
    "ReintegrationOffer",
    "ReturnCase",
    "ReturnDueKind",
    "ReturnFlight",
    "ReturnKind",
    "ReturnStatus",
    "RuleKind",
    "Status",
]
