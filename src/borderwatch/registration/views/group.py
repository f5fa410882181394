"""Group registration: one row per person of an apprehension event, all saved or none."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from borderwatch.border import selectors as border_selectors
from borderwatch.core.codes import nationality_codes
from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import NOT_FOUND, error_detail, found
from borderwatch.registration import selectors, services
from borderwatch.registration.forms import PersonRowForm, person_formset
from borderwatch.registration.models import VULNERABILITY_FLAGS


def _group_errors(
    formset: BaseFormSet[PersonRowForm], rows: list[int], exc: ValidationError
) -> list[str]:
    """The service numbers the rows it was given: put each message on that form and field;
    returns the messages that concern the whole group."""
    general: list[str] = []
    for field, texts in error_detail(exc).items():
        for text in texts:
            match = services.split_row_message(text)
            index = match[0] - 1 if match else -1
            if match and 0 <= index < len(rows):
                form = formset.forms[rows[index]]
                form.add_error(field if field in form.fields else None, match[1])
            elif len(rows) == 1 and field != "rows":
                form = formset.forms[rows[0]]
                form.add_error(field if field in form.fields else None, text)
            else:
                general.append(text)
    return general


@require_http_methods(["GET", "POST"])
def group_register(request: HttpRequest, event_id: int) -> HttpResponse:
    """One row per person of the event; all rows are saved or none (the service decides)."""
    user = current_user(request)
    check(user, Capability.REGISTER_PERSONS, user.member_state or None)
    event = found(border_selectors.live_event, user, event_id)  # a deleted event: 404
    if event.country_id != user.member_state:  # another state's event: as if missing
        raise Http404(NOT_FOUND)
    registered = list(selectors.persons_of_event(user, event.pk))
    formset_class = person_formset(max(1, event.persons - len(registered)))
    formset = formset_class(request.POST or None, prefix="p")
    status, general = 200, []
    if request.method == "POST":
        if formset.is_valid():
            filled = [i for i, f in enumerate(formset.forms) if f.has_changed()]
            try:
                created = services.register_group(
                    user, event.pk, [formset.forms[i].to_row() for i in filled]
                )
            except ValidationError as exc:
                general = _group_errors(formset, filled, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s person(s) registered from %(event)s.",
                        "%(count)s person(s) registered from %(event)s.",
                        len(created),
                    )
                    % {"count": len(created), "event": event.ref},
                )
                return redirect("registration:group", event_id=event.pk)
        status = 422
    return render(
        request,
        "registration/group_form.html",
        {
            "event": event,
            "registered": registered,
            "formset": formset,
            "general_errors": general,
            "flags": VULNERABILITY_FLAGS,
            "nationalities": sorted(nationality_codes()),
        },
        status=status,
    )
