"""The person's page (documents, fingerprint sets, hits) and the day's registrations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.audit import selectors as audit_trail
from borderwatch.core.codes import member_state_name, nationality_codes
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.linkage import selectors as linkage
from borderwatch.registration import selectors, services
from borderwatch.registration.forms import CitizenshipErasureForm, DayForm, DocumentForm


def _person_page(
    request: HttpRequest, person_id: int, document_form: DocumentForm | None = None
) -> HttpResponse:
    user = current_user(request)
    person = found(selectors.person, user, person_id)
    may_register = can(user, Capability.REGISTER_PERSONS) and (
        user.member_state == person.member_state
    )
    return render(
        request,
        "registration/person_detail.html",
        {
            "person": person,
            "documents": selectors.documents(user, person.pk),
            "sets": selectors.person_sets(user, person.pk),
            "captures": list(selectors.open_captures(user, person.pk)[:5]),
            "hits": selectors.person_hits(user, person.pk),
            "may_register": may_register,
            "document_form": document_form or DocumentForm(),
            "nationalities": sorted(nationality_codes()) if may_register else [],
            "erasure_due_on": services.erasure_due_on(person),
            "retention_years": services.retention_years(person.eurodac_category),
            "duplicates": linkage.person_duplicates(user, person),
            "access": audit_trail.person_access_summary(user, person.pk)
            if audit_trail.may_see_access_log(user)
            else None,
        },
        status=422 if document_form is not None else 200,
    )


def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


@require_POST
def add_document(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    found(selectors.person, user, person_id)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.add_document(user, person_id, **form.cleaned_data)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Document added."))
            return redirect("registration:person", person_id=person_id)
    return _person_page(request, person_id, form)


@require_http_methods(["GET", "POST"])
def erase_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """Early erasure when the person acquired the citizenship of a member state (owning state
    only): irreversible, so the officer confirms it explicitly."""
    user = current_user(request)
    person = found(selectors.person, user, person_id)
    check(user, Capability.REGISTER_PERSONS, person.member_state)
    form = CitizenshipErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_on_citizenship(
                user, person.pk, acquired_on=form.cleaned_data["acquired_on"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request, _("Person %(reference)s was erased.") % {"reference": person.reference}
            )
            return redirect("registration:registrations")
    return render(
        request, "registration/erase_person.html", {"person": person, "form": form},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def registrations(request: HttpRequest) -> HttpResponse:
    """A day's registrations of the user's state, with the CSV export of that day. Without a
    chosen day, the latest day with registrations (today when there is none), said so."""
    user = current_user(request)
    check(user, Capability.VIEW_PERSONS)
    chosen = _day(request.GET.get("day"))
    latest = None if chosen else selectors.latest_registration_day(user)
    day = chosen or latest or timezone.localdate()
    return render(
        request,
        "registration/registrations.html",
        {
            "day": day,
            "chosen": chosen is not None,
            "latest": latest,
            "state_name": member_state_name(user.member_state),
            "persons": selectors.registrations_on(user, day)[:500],
            "form": DayForm(initial={"day": day}),
            "may_review": can(user, Capability.VERIFY_HITS),
        },
    )
