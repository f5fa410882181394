from django.contrib import admin

from borderwatch.core.admin import ReadOnlyAdmin
from borderwatch.reception.models import Facility, Placement, PlacementProposal


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    """Read-only: facilities change through services.save_facility, which audits."""

    list_display = ("name", "member_state", "kind", "capacity_is_estimate", "opened_on")
    list_filter = ("member_state", "kind")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    """Read-only: placements change through services, which enforce the rules and audit."""

    list_display = ("id", "person_id", "facility", "category", "start_date", "end_date")
    list_filter = ("facility__member_state", "category", "end_reason")
    raw_id_fields = ("person", "transferred_to")


@admin.register(PlacementProposal)
class PlacementProposalAdmin(ReadOnlyAdmin):
    """Read-only: proposals are written by services and their task."""

    list_display = ("id", "member_state", "day", "status", "persons", "placed", "accepted_at")
    list_filter = ("member_state", "status")
