"""Roles, member states and what each role may do (ARCHITECTURE.md section 5).

Kept as plain data in the kernel so that every layer (selectors, views, API) asks the same question:
`can(user, capability)` and `visible_states(user)`.
"""

from __future__ import annotations

from enum import StrEnum


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
        return self.value.replace("_", " ").capitalize()


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
}
