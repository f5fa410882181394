"""Fingerprint pages: capture, the set with its quality and recapture prompt, the finger image."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.web import errors_into, found
from borderwatch.registration import selectors, services
from borderwatch.registration.forms import CaptureForm, RecaptureForm
from borderwatch.registration.models import CaptureJob, CaptureStatus


def _open_capture(request: HttpRequest, person_id: int, value: object) -> CaptureJob | None:
    """The draft or refused capture being continued (of this person), if any."""
    try:
        capture_id = int(str(value)) if value else None
    except ValueError:
        return None
    if capture_id is None:
        return None
    job = found(selectors.capture_job, current_user(request), capture_id)
    return job if job.person_id == person_id and not job.fingerprint_set_id else None


@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest, person_id: int) -> HttpResponse:
    """Ten labelled files or one ANSI/NIST-ITL file. The files are checked here and held on the
    server; extraction runs in the background (the capture's page shows its progress). A refused
    file keeps the accepted ones: the form names only the files to choose again."""
    user = current_user(request)
    person = found(selectors.person, user, person_id)
    check(user, Capability.REGISTER_PERSONS, person.member_state)
    job = _open_capture(
        request, person.pk, request.POST.get("capture") or request.GET.get("capture")
    )
    initial = {f"missing_{p}": r for p, r in job.missing.items()} if job is not None else {}
    form = CaptureForm(request.POST or None, request.FILES or None, initial=initial)
    nothing_saved = False
    if request.method == "POST" and form.is_valid():
        nist = form.cleaned_data.get("nist")
        if "nist" in form.refused:
            nist = None  # too large: named in `refused`, never read
        try:
            job = services.submit_capture(
                user, person.pk, form.images(), form.missing(),
                nist=(nist.name or "nist", nist.read()) if nist is not None else None,
                capture_id=job.pk if job else None, refused=form.refused,
            )  # fmt: skip
        except ValidationError as exc:
            errors_into(form, exc)
            nothing_saved = True
        else:
            if job.status != CaptureStatus.DRAFT:
                return redirect("registration:capture_job", capture_id=job.pk)
            errors_into(form, ValidationError(job.errors))
    elif request.method == "POST":
        nothing_saved = True
    if job is not None and job.errors and not form.is_bound:
        form.full_clean()  # an unbound form: no input to clean, only the capture's errors to show
        form.cleaned_data = {}
        errors_into(form, ValidationError(job.errors))
    return render(
        request,
        "registration/capture_form.html",
        {
            "person": person,
            "form": form,
            "job": job,
            "rows": form.finger_rows(job.kept() if job else None),
            "nothing_saved": nothing_saved,
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )


def capture_job(request: HttpRequest, capture_id: int) -> HttpResponse:
    """A capture on its way to a set: progress while extracting, then the set's page; refused
    fingers are named with a link back to the form (the accepted files are still held)."""
    user = current_user(request)
    job = found(selectors.capture_job, user, capture_id)
    if job.status == CaptureStatus.DONE and job.fingerprint_set_id:
        return redirect("registration:set", set_id=job.fingerprint_set_id)
    if job.status == CaptureStatus.DRAFT:
        return redirect(f"{reverse('registration:capture', args=[job.person_id])}?capture={job.pk}")
    return render(request, "registration/capture_job.html", {"job": job, "person": job.person})


def capture_progress(request: HttpRequest, capture_id: int) -> HttpResponse:
    """The htmx poll of a capture: every second until done (then on to the set) or refused."""
    user = current_user(request)
    job = found(selectors.capture_job, user, capture_id)
    response = render(request, "registration/_capture_progress.html", {"job": job})
    if job.status == CaptureStatus.DONE and job.fingerprint_set_id:
        response["HX-Redirect"] = reverse("registration:set", args=[job.fingerprint_set_id])
    return response


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
    if not form.is_valid() and "image" in form.errors and request.FILES.get("image"):
        for text in form.errors["image"]:
            messages.error(request, str(text))  # names the finger and the limit
    elif not form.is_valid():
        messages.error(request, _("Choose an image file for the finger to recapture."))
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
            messages.success(
                request,
                _("%(finger)s recaptured: quality %(quality)s.")
                % {"finger": finger.name, "quality": finger.quality},
            )
    return redirect("registration:set", set_id=fs.pk)


def finger_image(request: HttpRequest, finger_id: int) -> HttpResponse:
    """A finger's PNG, only to users allowed to see that person (never a public media URL);
    the selector audits another state's finger."""
    user = current_user(request)
    finger = found(selectors.finger_image, user, finger_id)
    if not finger.image:
        raise Http404(_("This finger has no image."))
    with finger.image.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
