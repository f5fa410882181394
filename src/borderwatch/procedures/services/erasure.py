"""Procedures' part of a person's erasure (core.erasure; registration runs the erasure)."""

from __future__ import annotations

from django.db import models

from borderwatch.core.models import TransitionRecord
from borderwatch.procedures.models import AsylumApplication, ReadmissionRequest, ReturnCase
from borderwatch.procedures.services import figures


def _timeline(model: type[models.Model], ids: list[str]) -> int:
    deleted, _rows = TransitionRecord.objects.filter(
        object_type=model._meta.label, object_id__in=ids
    ).delete()
    return deleted


def erase_person_data(person_id: int) -> dict[str, int]:
    """Delete the person's return cases (their readmission requests and flight seats with them)
    and asylum applications, with their timelines, inside the caller's transaction (procedures
    keeps no files; a flight keeps its seats, minus the person)."""
    cases = ReturnCase.objects.filter(person_id=person_id)
    case_ids = [str(pk) for pk in cases.values_list("pk", flat=True)]
    requests = ReadmissionRequest.objects.filter(return_case__person_id=person_id)
    request_ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    seats = cases.filter(flight__isnull=False).count()
    readmission = requests.delete()[1].get(ReadmissionRequest._meta.label, 0)
    returns = cases.delete()[1].get(ReturnCase._meta.label, 0)
    applications = AsylumApplication.objects.filter(person_id=person_id)
    ids = [str(pk) for pk in applications.values_list("pk", flat=True)]
    figures.uncount(applications)
    deleted = applications.delete()[1].get(AsylumApplication._meta.label, 0)
    timeline = (
        _timeline(AsylumApplication, ids)
        + _timeline(ReturnCase, case_ids)
        + _timeline(ReadmissionRequest, request_ids)
    )
    return {
        "asylum_applications": deleted,
        "return_cases": returns,
        "readmission_requests": readmission,
        "flight_seats": seats,
        "timeline_rows": timeline,
    }
