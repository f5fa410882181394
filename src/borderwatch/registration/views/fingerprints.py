"""Fingerprint pages: capture, the set with its quality and recapture prompt, the finger image."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.registration import selectors, services
from borderwatch.registration.forms import CaptureForm, RecaptureForm


@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest, person_id: int) -> HttpResponse:
    """Ten labelled files or one ANSI/NIST-ITL file; a bad upload saves nothing."""
    user = current_user(request)
    person = found(selectors.person, user, person_id)
    check(user, Capability.REGISTER_PERSONS, person.member_state)
    form = CaptureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        identify = bool(form.cleaned_data["identify"])
        nist = form.cleaned_data.get("nist")
        try:
            if nist is not None:
                fs = services.capture_nist(
                    user, person.pk, nist.name or "nist", nist.read(), form.missing(),
                    identify=identify,
                )  # fmt: skip
            else:
                fs = services.capture_images(
                    user, person.pk, form.images(), form.missing(), identify=identify
                )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, f"Fingerprint set {fs.reference} captured.")
            return redirect("registration:set", set_id=fs.pk)
    return render(
        request,
        "registration/capture_form.html",
        {"person": person, "form": form},
        status=422 if form.errors else 200,
    )


def fingerprint_set(request: HttpRequest, set_id: int) -> HttpResponse:
    """Quality per finger with the recapture prompt, and the set's identification requests."""
    user = current_user(request)
    fs = found(selectors.fingerprint_set, user, set_id)
    fingers = selectors.set_fingers(user, fs.pk)
    requests = list(selectors.identifications_of_set(user, fs.pk))
    may_register = can(user, Capability.REGISTER_PERSONS) and (
        user.member_state == fs.person.member_state
    )
    return render(
        request,
        "registration/set_detail.html",
        {
            "set": fs,
            "person": fs.person,
            "fingers": fingers,
            "low": [f for f in fingers if f.needs_recapture],
            "requests": requests,
            "may_register": may_register,
        },
    )


@require_POST
def recapture(request: HttpRequest, set_id: int) -> HttpResponse:
    user = current_user(request)
    fs = found(selectors.fingerprint_set, user, set_id)
    form = RecaptureForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an image file for the finger to recapture.")
    else:
        upload = form.cleaned_data["image"]
        try:
            finger = services.recapture_finger(
                user, fs.pk, form.cleaned_data["position"], upload.name or "image", upload.read()
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, f"{finger.name} recaptured: quality {finger.quality}.")
    return redirect("registration:set", set_id=fs.pk)


def finger_image(request: HttpRequest, finger_id: int) -> HttpResponse:
    """A finger's PNG, only to users allowed to see that person (never a public media URL);
    the selector audits another state's finger."""
    user = current_user(request)
    finger = found(selectors.finger_image, user, finger_id)
    if not finger.image:
        raise Http404("This finger has no image.")
    with finger.image.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
