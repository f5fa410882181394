"""Roles, member states and what each role may do (ARCHITECTURE.md section 5).

Kept as plain data in the kernel so that every layer (selectors, views, API) asks the same question:
`can(user, capability)` and `visible_states(user)`.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    BORDER_GUARD = "border_guard"
    REGISTRATION_OFFICER = "registration_officer"
    FINGERPRINT_EXPERT = "fingerprint_expert"
    RECEPTION_MANAGER = "reception_manager"
    CASE_OFFICER = "case_officer"
    NATIONAL_COORDINATOR = "national_coordinator"
    FRONTEX_ANALYST = "frontex_analyst"
    COMMISSION_VIEWER = "commission_viewer"

    @property
    def label(self) -> str:
        """The role's name in the user's language."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.BORDER_GUARD: _("Border guard"),
    Role.REGISTRATION_OFFICER: _("Registration officer"),
    Role.FINGERPRINT_EXPERT: _("Fingerprint expert"),
    Role.RECEPTION_MANAGER: _("Reception manager"),
    Role.CASE_OFFICER: _("Case officer"),
    Role.NATIONAL_COORDINATOR: _("National coordinator"),
    Role.FRONTEX_ANALYST: _("Frontex analyst"),
    Role.COMMISSION_VIEWER: _("Commission viewer"),
}


# Roles that see every member state (read-only on personal data).
ALL_STATES_ROLES = frozenset({Role.FRONTEX_ANALYST, Role.COMMISSION_VIEWER})


class Capability(StrEnum):
    VIEW_PICTURE = "view_picture"
    REPORT_EVENTS = "report_events"
    IMPORT_EVENTS = "import_events"
    CONFIRM_IMPACT_LEVEL = "confirm_impact_level"
    EXPORT_FIGURES = "export_figures"
    VIEW_AUDIT = "view_audit"
    VIEW_PERSONS = "view_persons"
    REGISTER_PERSONS = "register_persons"
    VIEW_RECEPTION = "view_reception"
    MANAGE_RECEPTION = "manage_reception"
    VERIFY_HITS = "verify_hits"
    DECLARE_MEASURES = "declare_measures"
    RUN_PROCEDURES = "run_procedures"
    VIEW_PROCEDURE_FIGURES = "view_procedure_figures"
    VIEW_SUPPORT = "view_support"
    REQUEST_SUPPORT = "request_support"
    MANAGE_SUPPORT = "manage_support"
    MANAGE_FUNDING = "manage_funding"
    REVIEW_NEWS = "review_news"
    IMPORT_FLIGHTS = "import_flights"
    RUN_FORECASTS = "run_forecasts"


# What each capability lets a user do, as the refusal says it ("Your role may not ...").
CAPABILITY_ACTIONS = {
    Capability.VIEW_PICTURE: _("view the situational picture"),
    Capability.REPORT_EVENTS: _("report events"),
    Capability.IMPORT_EVENTS: _("import events"),
    Capability.CONFIRM_IMPACT_LEVEL: _("confirm impact levels"),
    Capability.EXPORT_FIGURES: _("export figures"),
    Capability.VIEW_AUDIT: _("view the audit trail"),
    Capability.VIEW_PERSONS: _("view persons"),
    Capability.REGISTER_PERSONS: _("register persons"),
    Capability.VIEW_RECEPTION: _("view reception"),
    Capability.MANAGE_RECEPTION: _("manage reception"),
    Capability.VERIFY_HITS: _("verify hits"),
    Capability.DECLARE_MEASURES: _("declare border measures"),
    Capability.RUN_PROCEDURES: _("run asylum procedures"),
    Capability.VIEW_PROCEDURE_FIGURES: _("view procedure figures"),
    Capability.VIEW_SUPPORT: _("view Frontex support and EU funding"),
    Capability.REQUEST_SUPPORT: _("request Frontex support"),
    Capability.MANAGE_SUPPORT: _("manage Frontex support"),
    Capability.MANAGE_FUNDING: _("manage EU funding"),
    Capability.REVIEW_NEWS: _("take in and review press reports"),
    Capability.IMPORT_FLIGHTS: _("import flight data"),
    Capability.RUN_FORECASTS: _("run forecasts"),
}

_EVERYONE = frozenset(Role)
CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.VIEW_PICTURE: _EVERYONE,
    Capability.REPORT_EVENTS: frozenset({Role.BORDER_GUARD, Role.NATIONAL_COORDINATOR}),
    Capability.IMPORT_EVENTS: frozenset({Role.BORDER_GUARD, Role.NATIONAL_COORDINATOR}),
    Capability.CONFIRM_IMPACT_LEVEL: frozenset({Role.NATIONAL_COORDINATOR}),
    Capability.EXPORT_FIGURES: _EVERYONE,
    Capability.VIEW_AUDIT: frozenset({Role.NATIONAL_COORDINATOR, Role.FRONTEX_ANALYST}),
    # Personal data: national roles only (EU-level roles are read-only and see no persons).
    Capability.VIEW_PERSONS: frozenset(Role) - ALL_STATES_ROLES,
    Capability.REGISTER_PERSONS: frozenset(
        {Role.BORDER_GUARD, Role.REGISTRATION_OFFICER, Role.NATIONAL_COORDINATOR}
    ),
    Capability.VIEW_RECEPTION: _EVERYONE,
    Capability.MANAGE_RECEPTION: frozenset({Role.RECEPTION_MANAGER, Role.NATIONAL_COORDINATOR}),
    Capability.VERIFY_HITS: frozenset({Role.FINGERPRINT_EXPERT}),
    # Border measures (state of emergency, turn-back order, fence, closures): the state decides.
    Capability.DECLARE_MEASURES: frozenset({Role.NATIONAL_COORDINATOR}),
    # Asylum procedures: case officers run their own state's cases (personal data); coordinators,
    # Frontex and the Commission see the backlog and outcome figures, never a case file.
    Capability.RUN_PROCEDURES: frozenset({Role.CASE_OFFICER}),
    Capability.VIEW_PROCEDURE_FIGURES: frozenset(
        {Role.CASE_OFFICER, Role.NATIONAL_COORDINATOR, *ALL_STATES_ROLES}
    ),
    # Frontex support and EU funding (support app): no personal data (officers are counted by
    # profile). The host state's coordinator asks; Frontex assesses, plans and deploys (and a
    # coordinator manages their own state's offered resources); the Commission manages funding.
    Capability.VIEW_SUPPORT: frozenset({Role.NATIONAL_COORDINATOR, *ALL_STATES_ROLES}),
    Capability.REQUEST_SUPPORT: frozenset({Role.NATIONAL_COORDINATOR}),
    Capability.MANAGE_SUPPORT: frozenset({Role.FRONTEX_ANALYST, Role.NATIONAL_COORDINATOR}),
    Capability.MANAGE_FUNDING: frozenset({Role.COMMISSION_VIEWER}),
    # Press reports (news intake): coordinators review their state's claims, Frontex all.
    Capability.REVIEW_NEWS: frozenset({Role.NATIONAL_COORDINATOR, Role.FRONTEX_ANALYST}),
    # Flights into Minsk concern every state: coordinators and Frontex keep them; forecasts are
    # figures, run by coordinators for their own state and by Frontex and the Commission for all.
    Capability.IMPORT_FLIGHTS: frozenset({Role.NATIONAL_COORDINATOR, Role.FRONTEX_ANALYST}),
    Capability.RUN_FORECASTS: frozenset({Role.NATIONAL_COORDINATOR, *ALL_STATES_ROLES}),
}
