"""Registration pages: group registration from an event, the person, fingerprint capture,
identification progress, the expert's review and the other state's view of confirmed hits.

Thin: forms parse, selectors read (scoped by role and member state), services write and audit.
A record another state may not see answers 404, a role without the capability 403.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.forms import BaseForm, BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from PIL import Image

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.border.models import Event
from borderwatch.core.codes import nationality_codes
from borderwatch.core.permissions import can, check, current_user
from borderwatch.core.roles import Capability
from borderwatch.engines.fingerprint import MinutiaPair
from borderwatch.registration import selectors, services
from borderwatch.registration.forms import (
    CaptureForm,
    DayForm,
    DecisionForm,
    DocumentForm,
    PersonRowForm,
    RecaptureForm,
    person_formset,
)
from borderwatch.registration.models import (
    VULNERABILITY_FLAGS,
    Hit,
    HitStatus,
    IdentificationRequest,
    Person,
    RequestStatus,
)

ROW_MESSAGE = re.compile(r"^Row (\d+): (.*)$", re.DOTALL)
FINISHED = {RequestStatus.DONE, RequestStatus.FAILED}


def _found(getter: Any, *args: Any) -> Any:
    """A selector's object, or 404 without telling whether it exists in another state."""
    try:
        return getter(*args)
    except ObjectDoesNotExist:
        raise Http404("Not found.") from None


def _errors_into(form: BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, texts in detail.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _nationalities() -> list[str]:
    return sorted(nationality_codes())


# ---- group registration from one event ---------------------------------------------------------


def _own_event(user: User, event_id: int) -> Event:
    """An event of the user's own state that persons may be registered from."""
    check(user, Capability.REGISTER_PERSONS, user.member_state or None)
    event = _found(border_selectors.event, user, event_id)
    check(user, Capability.REGISTER_PERSONS, event.country_id)
    if event.deleted_at is not None:
        raise Http404("The event was deleted.")
    return event


def _group_errors(
    formset: BaseFormSet[PersonRowForm], rows: list[int], exc: ValidationError
) -> list[str]:
    """The service numbers the rows it was given: put each message on that form and field;
    returns the messages that concern the whole group."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    general: list[str] = []
    for field, texts in detail.items():
        for text in texts:
            match = ROW_MESSAGE.match(text)
            index = int(match.group(1)) - 1 if match else -1
            if match and 0 <= index < len(rows):
                form = formset.forms[rows[index]]
                form.add_error(field if field in form.fields else None, match.group(2))
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
    event = _own_event(user, event_id)
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
                messages.success(request, f"{len(created)} person(s) registered from {event.ref}.")
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
            "nationalities": _nationalities(),
        },
        status=status,
    )


# ---- person ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    """A hit on the person page: the other record, as far as this user may see it."""

    hit: Hit
    view: selectors.HitView
    other_person_id: int | None  # set when the other record is of the user's own state


def _person_hits(user: User, person: Person) -> list[LinkRow]:
    qs = selectors.hits(user).filter(Q(person_id=person.pk) | Q(candidate_id=person.pk))
    rows = []
    for h in qs:
        other = h.candidate if h.person_id == person.pk else h.person
        own = other.member_state == user.member_state
        rows.append(LinkRow(h, selectors.hit_view(user, h), other.pk if own else None))
    return rows


def _person_page(
    request: HttpRequest, person_id: int, document_form: DocumentForm | None = None
) -> HttpResponse:
    user = current_user(request)
    person = _found(selectors.person, user, person_id)
    sets = [
        (fs, list(selectors.identifications_of_set(user, fs.pk)))
        for fs in selectors.fingerprint_sets(user, person.pk)
    ]
    hits = _person_hits(user, person)
    for row in hits:
        if row.other_person_id is None:
            services.note_hit_view(user, row.hit)
    may_register = can(user, Capability.REGISTER_PERSONS) and (
        user.member_state == person.member_state
    )
    return render(
        request,
        "registration/person_detail.html",
        {
            "person": person,
            "documents": selectors.documents(user, person.pk),
            "sets": sets,
            "hits": hits,
            "may_register": may_register,
            "document_form": document_form or DocumentForm(),
            "nationalities": _nationalities() if may_register else [],
        },
        status=422 if document_form is not None else 200,
    )


def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, person_id)


@require_POST
def add_document(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    _found(selectors.person, user, person_id)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.add_document(user, person_id, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "Document added.")
            return redirect("registration:person", person_id=person_id)
    return _person_page(request, person_id, form)


# ---- fingerprints ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def capture(request: HttpRequest, person_id: int) -> HttpResponse:
    """Ten labelled files or one ANSI/NIST-ITL file; a bad upload saves nothing."""
    user = current_user(request)
    person = _found(selectors.person, user, person_id)
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
            _errors_into(form, exc)
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
    fs = _found(selectors.fingerprint_set, user, set_id)
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
    fs = _found(selectors.fingerprint_set, user, set_id)
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


@require_POST
def start_identification(request: HttpRequest, set_id: int) -> HttpResponse:
    user = current_user(request)
    fs = _found(selectors.fingerprint_set, user, set_id)
    try:
        req = services.request_identification(user, fs.pk)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("registration:set", set_id=fs.pk)
    return redirect("registration:identification", request_id=req.pk)


def finger_image(request: HttpRequest, finger_id: int) -> HttpResponse:
    """A finger's PNG, only to users allowed to see that person (never a public media URL)."""
    user = current_user(request)
    finger = _found(selectors.finger_image, user, finger_id)
    if not finger.image:
        raise Http404("This finger has no image.")
    services.note_finger_view(user, finger)
    with finger.image.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


# ---- identification ----------------------------------------------------------------------------


def _progress_context(user: User, req: IdentificationRequest) -> dict[str, Any]:
    finished = req.status in FINISHED
    found = list(selectors.hits(user).filter(request=req)) if finished else []
    for h in found:
        services.note_hit_view(user, h)
    return {
        "req": req,
        "finished": finished,
        "hits": [selectors.hit_view(user, h) for h in found],
        "is_expert": can(user, Capability.VERIFY_HITS),
    }


def identification(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    req = _found(selectors.identification, user, request_id)
    fs = _found(selectors.fingerprint_set, user, req.fingerprint_set_id)
    return render(
        request,
        "registration/identification.html",
        {**_progress_context(user, req), "set": fs, "person": fs.person},
    )


def identification_progress(request: HttpRequest, request_id: int) -> HttpResponse:
    """The htmx poll: re-rendered every second until the request is done or failed."""
    user = current_user(request)
    req = _found(selectors.identification, user, request_id)
    return render(request, "registration/_progress.html", _progress_context(user, req))


# ---- expert review -----------------------------------------------------------------------------


def review_queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    check(user, Capability.VERIFY_HITS, user.member_state or None)
    pending = list(selectors.hits_pending_review(user))
    return render(
        request,
        "registration/review_queue.html",
        {"rows": [(h, selectors.hit_view(user, h)) for h in pending]},
    )


@dataclass(frozen=True)
class DrawnPair:
    """A matched minutia pair in the panel's coordinates (the candidate shifted right)."""

    number: int
    xa: float
    ya: float
    xb: float
    yb: float
    strength: float


@dataclass(frozen=True)
class FingerPanel:
    """One finger side by side: both images in one SVG, the matched pairs drawn between them."""

    position: int
    name: str
    score: float
    query_url: str
    candidate_url: str
    query_size: tuple[int, int]
    candidate_size: tuple[int, int]
    gap: int
    matched: list[MinutiaPair]

    @property
    def offset(self) -> int:
        return self.query_size[0] + self.gap

    @property
    def width(self) -> int:
        return self.offset + self.candidate_size[0]

    @property
    def height(self) -> int:
        return max(self.query_size[1], self.candidate_size[1])

    @property
    def pairs(self) -> list[DrawnPair]:
        return [
            DrawnPair(n, m.xa, m.ya, m.xb + self.offset, m.yb, m.strength)
            for n, m in enumerate(self.matched, start=1)
        ]


def _image_size(user: User, finger_id: int) -> tuple[int, int]:
    finger = selectors.finger_image(user, finger_id)
    with finger.image.open("rb") as fh, Image.open(fh) as img:
        return int(img.width), int(img.height)


def _panels(user: User, hit_id: int) -> list[FingerPanel]:
    panels = []
    for c in selectors.hit_comparison(user, hit_id):
        if c.query_finger_id is None or c.candidate_finger_id is None:
            continue  # template-only (synthetic) fingers have no image to show
        panels.append(
            FingerPanel(
                position=c.position,
                name=c.name,
                score=c.score,
                query_url=reverse("registration:finger_image", args=[c.query_finger_id]),
                candidate_url=reverse("registration:finger_image", args=[c.candidate_finger_id]),
                query_size=_image_size(user, c.query_finger_id),
                candidate_size=_image_size(user, c.candidate_finger_id),
                gap=24,
                matched=list(c.pairs),
            )
        )
    return panels


def _hit_page(request: HttpRequest, hit_id: int, form: DecisionForm | None = None) -> HttpResponse:
    user = current_user(request)
    h = _found(selectors.expert_hit, user, hit_id)
    services.note_hit_view(user, h)
    candidate_is_ours = h.candidate.member_state == user.member_state
    return render(
        request,
        "registration/hit_detail.html",
        {
            "hit": h,
            "view": selectors.hit_view(user, h),
            "candidate_is_ours": candidate_is_ours,
            "panels": _panels(user, h.pk),
            "form": form or DecisionForm(),
            "pending": h.status == HitStatus.PENDING,
        },
        status=422 if form is not None else 200,
    )


def hit_detail(request: HttpRequest, hit_id: int) -> HttpResponse:
    return _hit_page(request, hit_id)


@require_POST
def decide(request: HttpRequest, hit_id: int) -> HttpResponse:
    user = current_user(request)
    _found(selectors.expert_hit, user, hit_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            h = services.decide_hit(
                user, hit_id, confirm=confirm, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, f"Hit {h.get_status_display().lower()}.")
            return redirect("registration:hit", hit_id=hit_id)
    return _hit_page(request, hit_id, form)


# ---- the other member state's view, registrations of a day -------------------------------------


def shared_hits(request: HttpRequest) -> HttpResponse:
    """Confirmed hits of other states' searches that found one of our persons: Eurodac's
    fields of their record only (selectors.hit_view); each look is audited for the owner."""
    user = current_user(request)
    check(user, Capability.VIEW_PERSONS, user.member_state or None)
    qs = selectors.hits(user, HitStatus.CONFIRMED).exclude(request__member_state=user.member_state)
    seen = list(qs[:200])
    for h in seen:
        services.note_hit_view(user, h)
    return render(
        request,
        "registration/shared_hits.html",
        {"views": [selectors.hit_view(user, h) for h in seen]},
    )


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def registrations(request: HttpRequest) -> HttpResponse:
    """The day's registrations of the user's state, with the CSV export of that day."""
    user = current_user(request)
    check(user, Capability.VIEW_PERSONS)
    day = _day(request.GET.get("day"))
    persons: Iterable[Person] = selectors.registrations_on(user, day)[:500]
    return render(
        request,
        "registration/registrations.html",
        {
            "day": day,
            "persons": persons,
            "form": DayForm(initial={"day": day}),
            "may_review": can(user, Capability.VERIFY_HITS),
        },
    )
