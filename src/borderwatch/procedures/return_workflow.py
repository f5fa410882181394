"""The return case's and the readmission request's workflows (core.workflow).

Return case: decided -> returned (carried out) | absconded | closed; an absconded person found
again goes back to decided. Readmission request to the country of return: sent -> identity
confirmed -> travel document issued -> departure booked -> returned; refused or unanswered on
the way (a late answer brings an unanswered request back). Every move is a case officer's of
the case's state (RUN_PROCEDURES); the services add the day checks and the country policy.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from borderwatch.core.audit import Action
from borderwatch.core.roles import Capability
from borderwatch.core.workflow import Transition, Workflow
from borderwatch.procedures.models import ReadmissionStatus, ReturnStatus

RUN = Capability.RUN_PROCEDURES
R = ReturnStatus
A = ReadmissionStatus


def _t(source: str, target: str, action: Action, label: str, reason: bool = False) -> Transition:
    return Transition(source, target, RUN, action, needs_reason=reason, label=label)


RETURN_CASE = Workflow(
    "procedures.return_case",
    field="status",
    transitions=(
        _t(R.DECIDED, R.RETURNED, Action.RETURN_CARRIED_OUT, "Return carried out"),
        _t(R.DECIDED, R.ABSCONDED, Action.RETURN_ABSCONDED, "Absconded", reason=True),
        _t(R.ABSCONDED, R.DECIDED, Action.RETURN_FOUND, "Found again", reason=True),
        _t(R.DECIDED, R.CLOSED, Action.RETURN_CLOSE, "Close without return", reason=True),
        _t(R.ABSCONDED, R.CLOSED, Action.RETURN_CLOSE, "Close without return", reason=True),
    ),
)

READMISSION = Workflow(
    "procedures.readmission",
    field="status",
    transitions=(
        _t(A.SENT, A.IDENTITY_CONFIRMED, Action.READMISSION_STEP, "Identity confirmed"),
        _t(A.UNANSWERED, A.IDENTITY_CONFIRMED, Action.READMISSION_STEP, "Identity confirmed"),
        _t(A.IDENTITY_CONFIRMED, A.TRAVEL_DOCUMENT_ISSUED, Action.READMISSION_STEP,
           "Travel document issued"),
        _t(A.TRAVEL_DOCUMENT_ISSUED, A.DEPARTURE_BOOKED, Action.READMISSION_STEP,
           "Departure booked"),
        _t(A.DEPARTURE_BOOKED, A.TRAVEL_DOCUMENT_ISSUED, Action.READMISSION_STEP,
           "Booking cancelled", reason=True),
        _t(A.DEPARTURE_BOOKED, A.RETURNED, Action.READMISSION_STEP, "Returned"),
        _t(A.SENT, A.REFUSED, Action.READMISSION_REFUSED, "Refused", reason=True),
        _t(A.IDENTITY_CONFIRMED, A.REFUSED, Action.READMISSION_REFUSED, "Refused", reason=True),
        _t(A.UNANSWERED, A.REFUSED, Action.READMISSION_REFUSED, "Refused", reason=True),
        _t(A.SENT, A.UNANSWERED, Action.READMISSION_UNANSWERED, "Unanswered", reason=True),
    ),
)  # fmt: skip

LABELS = {
    "Return carried out": gettext_lazy("Return carried out"),
    "Absconded": gettext_lazy("Absconded"),
    "Found again": gettext_lazy("Found again"),
    "Close without return": gettext_lazy("Close without return"),
    "Identity confirmed": gettext_lazy("Identity confirmed"),
    "Travel document issued": gettext_lazy("Travel document issued"),
    "Departure booked": gettext_lazy("Departure booked"),
    "Booking cancelled": gettext_lazy("Booking cancelled"),
    "Returned": gettext_lazy("Returned"),
    "Refused": gettext_lazy("Refused"),
    "Unanswered": gettext_lazy("Unanswered"),
}


def label(transition: Transition) -> str:
    return str(LABELS.get(transition.label, transition.label))


# The day each move takes effect is kept in this column.
CASE_DAY_FIELD = {
    R.RETURNED: "returned_on",
    R.CLOSED: "closed_on",
    R.ABSCONDED: "",
    R.DECIDED: "",
}
READMISSION_DAY_FIELD = {
    A.IDENTITY_CONFIRMED: "identity_confirmed_on",
    A.TRAVEL_DOCUMENT_ISSUED: "travel_document_on",
    A.DEPARTURE_BOOKED: "departure_booked_on",
    A.RETURNED: "returned_on",
    A.REFUSED: "closed_on",
    A.UNANSWERED: "closed_on",
}
