"""Registration API: persons, groups, documents, fingerprint capture, identification, hits,
the day's CSV export. Scoped by member state in the selectors (which also audit reads of other
states' records); every write through services. A selector's DoesNotExist answers 404
(config.api maps domain errors once)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from borderwatch.core import pagination
from borderwatch.core.api import CursorPageIn, PageIn
from borderwatch.core.permissions import can, current_user
from borderwatch.core.roles import Capability
from borderwatch.core.uploads import oversized
from borderwatch.registration import capture as capture_files
from borderwatch.registration import selectors, services
from borderwatch.registration.capture import too_large
from borderwatch.registration.models import (
    CaptureJob,
    Document,
    FingerprintSet,
    IdentificationRequest,
    MissingReason,
    Person,
)

router = Router(tags=["registration"])


class PersonIn(Schema):
    name_transliterated: str
    name_as_written: str = ""
    date_of_birth: dt.date | None = None
    dob_is_estimated: bool = False
    sex: str = "X"
    nationality: str = "XX"
    eurodac_category: int = 2
    minor: bool = False
    unaccompanied_minor: bool = False
    pregnancy: bool = False
    disability: bool = False
    elderly: bool = False
    trafficking_victim: bool = False
    household: str = ""


class PersonCreateIn(PersonIn):
    member_state: str | None = None
    apprehension_event_id: int | None = None


class GroupIn(Schema):
    persons: list[PersonIn]


class DocumentIn(Schema):
    doc_type: str
    number: str
    issuing_country: str


class DocumentOut(Schema):
    id: int
    doc_type: str
    number: str
    issuing_country: str

    @staticmethod
    def of(d: Document) -> DocumentOut:
        return DocumentOut(
            id=d.pk, doc_type=d.doc_type, number=d.number, issuing_country=d.issuing_country
        )


class PersonOut(PersonIn):
    id: int
    reference: str
    member_state: str
    apprehension_event_id: int | None
    vulnerabilities: list[str]
    synthetic: bool
    has_photo: bool
    created_at: dt.datetime

    @staticmethod
    def of(p: Person) -> PersonOut:
        fields = {name: getattr(p, name) for name in PersonIn.model_fields}
        return PersonOut(
            id=p.pk, reference=p.reference, member_state=p.member_state,
            apprehension_event_id=p.apprehension_event_id, vulnerabilities=p.vulnerabilities,
            synthetic=p.synthetic, has_photo=bool(p.photo), created_at=p.created_at,
            **fields,
        )  # fmt: skip


class FingerOut(Schema):
    id: int
    position: int
    name: str
    quality: int | None
    minutiae: int
    missing_reason: str
    needs_recapture: bool
    image_url: str | None


class RequestOut(Schema):
    id: int
    fingerprint_set_id: int
    status: str
    progress: int
    stage: str
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    gallery_size: int
    hits: int

    @staticmethod
    def of(r: IdentificationRequest) -> RequestOut:
        return RequestOut(
            id=r.pk, fingerprint_set_id=r.fingerprint_set_id, status=r.status,
            progress=r.progress, stage=r.stage, requested_at=r.requested_at,
            finished_at=r.finished_at, gallery_size=r.gallery_size,
            hits=r.hit_count,  # type: ignore[attr-defined]  # selectors annotate it
        )  # fmt: skip


class SetOut(Schema):
    id: int
    reference: str
    person_id: int
    captured_at: dt.datetime
    source_format: str
    fingers: list[FingerOut]
    identifications: list[RequestOut]


class EurodacOut(Schema):
    reference: str
    member_state: str
    eurodac_category: int
    sex: str
    apprehended_on: dt.date | None
    place: str
    fingerprint_set: str
    fingerprinted_at: dt.datetime | None


class HitOut(Schema):
    id: int
    status: str
    rank: int
    score: float
    fmr: float
    finger_scores: dict[str, float]
    requested_by_state: str
    searched_at: dt.datetime
    decided_at: dt.datetime | None
    our_person_id: int
    our_reference: str
    other: EurodacOut


class HitPageOut(Schema):
    items: list[HitOut]
    count: int


class DecisionIn(Schema):
    confirm: bool
    reason: str = ""


class PairOut(Schema):
    xa: float
    ya: float
    xb: float
    yb: float
    strength: float


class ComparisonOut(Schema):
    position: int
    name: str
    score: float
    query_image_url: str | None
    candidate_image_url: str | None
    pairs: list[PairOut]


def _image_url(finger_id: int | None) -> str | None:
    return None if finger_id is None else f"/api/registration/fingers/{finger_id}/image"


def _set_out(user: Any, fs: FingerprintSet) -> SetOut:
    fingers = [
        FingerOut(**{**row.__dict__, "image_url": _image_url(row.id) if row.has_image else None})
        for row in selectors.set_fingers(user, fs.pk)
    ]
    requests = [RequestOut.of(r) for r in selectors.identifications_of_set(user, fs.pk)]
    return SetOut(
        id=fs.pk, reference=fs.reference, person_id=fs.person_id, captured_at=fs.captured_at,
        source_format=fs.source_format, fingers=fingers, identifications=requests,
    )  # fmt: skip


class PersonPageOut(Schema):
    items: list[PersonOut]
    count: int | None = Field(description="all matching persons; null on a page after a cursor")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: last")


@router.get("/persons", response=PersonPageOut)
def list_persons(
    request: HttpRequest, page: Query[CursorPageIn], event: int | None = None
) -> PersonPageOut:
    """Persons newest first (registered, then id); of one event in registration order.
    Follow `next_cursor` to walk a long list."""
    user = current_user(request)
    order: tuple[str, ...]
    if event:
        qs, name, order = selectors.persons_of_event(user, event), "persons.event", ("id",)
    else:
        qs, name, order = selectors.persons(user), "persons", ("-created_at", "-id")
    found = pagination.paginate(qs, name=f"registration.{name}", order=order, **page.dict())
    return PersonPageOut(
        items=[PersonOut.of(p) for p in found.items],
        count=found.count,
        next_cursor=found.next_cursor,
    )


@router.get("/persons/{int:person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    return PersonOut.of(selectors.person(current_user(request), person_id))


@router.post("/persons", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonCreateIn) -> Status[PersonOut]:
    user = current_user(request)
    values = payload.dict()
    values["member_state"] = values["member_state"] or user.member_state
    return Status(201, PersonOut.of(services.create_person(user, **values)))


@router.post("/events/{int:event_id}/persons", response={201: list[PersonOut]})
def register_group(request: HttpRequest, event_id: int, payload: GroupIn) -> Status[Any]:
    """Everyone apprehended in one event, in one call: all rows or none (errors name the row)."""
    user = current_user(request)
    created = services.register_group(user, event_id, [p.dict() for p in payload.persons])
    return Status(201, [PersonOut.of(p) for p in created])


class CitizenshipErasureIn(Schema):
    acquired_on: dt.date
    note: str = Field("", max_length=500)


class ErasureOut(Schema):
    person_id: int
    erased: dict[str, int]


@router.post("/persons/{int:person_id}/erasure", response=ErasureOut)
def erase_on_citizenship(
    request: HttpRequest, person_id: int, payload: CitizenshipErasureIn
) -> ErasureOut:
    """Early erasure of everything about a person who acquired the citizenship of a member
    state (recast Eurodac); the owning state only. Irreversible; audited without personal data."""
    user = current_user(request)
    counts = services.erase_on_citizenship(
        user, person_id, acquired_on=payload.acquired_on, note=payload.note
    )
    return ErasureOut(person_id=person_id, erased=counts)


@router.get("/persons/{int:person_id}/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, person_id: int) -> list[DocumentOut]:
    user = current_user(request)
    selectors.person(user, person_id)
    return [DocumentOut.of(d) for d in selectors.documents(user, person_id)]


@router.post("/persons/{int:person_id}/documents", response={201: DocumentOut})
def add_document(request: HttpRequest, person_id: int, payload: DocumentIn) -> Status[DocumentOut]:
    user = current_user(request)
    selectors.person(user, person_id)
    return Status(201, DocumentOut.of(services.add_document(user, person_id, **payload.dict())))


@router.post("/persons/{int:person_id}/photo", response=PersonOut)
def set_photo(request: HttpRequest, person_id: int, photo: File[UploadedFile]) -> PersonOut:
    """Multipart form with one file `photo` (JPEG or PNG, at most 5 MB)."""
    user = current_user(request)
    selectors.person(user, person_id)
    return PersonOut.of(services.set_photo(user, person_id, photo.name or "photo", photo.read()))


@router.get("/persons/{int:person_id}/photo")
def get_photo(request: HttpRequest, person_id: int) -> HttpResponse:
    """The photo, for users of the person's own state only (never shown with a hit)."""
    person = selectors.person(current_user(request), person_id)
    if not person.photo:
        raise HttpError(404, "No photo.")
    kind = "image/png" if str(person.photo.name).endswith(".png") else "image/jpeg"
    with person.photo.open("rb") as fh:
        return HttpResponse(fh.read(), content_type=kind)


def _capture_form() -> dict[str, Any]:
    """The multipart body of a capture, for the OpenAPI schema (parsed by hand in capture)."""
    binary = {"type": "string", "format": "binary"}
    reasons = [str(r) for r in MissingReason.values]
    props: dict[str, Any] = {
        **{f"finger_{p}": {**binary, "description": f"finger {p} image"} for p in range(1, 11)},
        "nist": {**binary, "description": "one ANSI/NIST-ITL file instead of ten images"},
        **{
            f"missing_{p}": {
                "type": "string",
                "enum": reasons,
                "description": f"why not finger {p}",
            }
            for p in range(1, 11)
        },
    }
    schema = {"type": "object", "properties": props}
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


class CaptureOut(Schema):
    id: int
    person_id: int
    status: str
    progress: int
    stage: str
    errors: dict[str, str]
    fingerprint_set_id: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def of(job: CaptureJob) -> CaptureOut:
        return CaptureOut(
            id=job.pk, person_id=job.person_id, status=job.status, progress=job.progress,
            stage=str(job.stage), errors={str(k): str(v) for k, v in (job.errors or {}).items()},
            fingerprint_set_id=job.fingerprint_set_id, created_at=job.created_at,
            finished_at=job.finished_at,
        )  # fmt: skip


@router.post(
    "/persons/{int:person_id}/fingerprints", response={202: CaptureOut},
    openapi_extra=_capture_form(),
)  # fmt: skip
def capture(request: HttpRequest, person_id: int) -> Status[CaptureOut]:
    """Multipart form: files finger_1..finger_10 (PNG, BMP, TIFF, WSQ) or one file `nist`
    (ANSI/NIST-ITL); missing_N=amputated|bandaged|unable for each finger not captured. All ten
    positions must be accounted for.

    The files are checked (size, format, image header) and the capture queued: 202 with the
    capture, whose features are extracted in the background. Poll `GET /captures/{id}` until
    `status` is `done` (then `fingerprint_set_id` names the set; start the 1:N search with
    `POST /fingerprint-sets/{id}/identify`) or `failed` (`errors` names each refused finger).
    A file refused here is a 422 naming it, and nothing is kept."""
    user = current_user(request)
    selectors.person(user, person_id)
    missing = {
        p: str(request.POST[f"missing_{p}"])
        for p in range(1, 11)
        if request.POST.get(f"missing_{p}")
    }
    nist = request.FILES.get("nist")
    images = {p: f for p in range(1, 11) if (f := request.FILES.get(f"finger_{p}")) is not None}
    if nist is not None and images:
        raise HttpError(422, "Upload ten finger files or one ANSI/NIST-ITL file, not both.")
    refused = {
        field: text
        for field, position, f in [
            ("nist", None, nist),
            *((f"finger_{p}", p, f) for p, f in images.items()),
        ]
        if f is not None
        and (text := too_large(position, f.name or field, f.size or 0, oversized(f)))
    }  # by size, before reading any file (core.uploads stored none beyond its cap)
    if refused:
        raise ValidationError(refused)
    files = {p: (f.name or f"finger_{p}", f.read()) for p, f in images.items()}
    held = (nist.name or "nist", nist.read()) if nist is not None else None
    # all or nothing: every file decodes and every finger is accounted for before anything is
    # held (the form instead keeps the good files of a partly refused capture)
    positions = (
        {f.position for f in capture_files.decode_nist(*held)}
        if held is not None
        else {f.position for f in capture_files.decode_images(files)}
    )
    capture_files.check_complete(positions, capture_files.check_missing(missing))
    job = services.submit_capture(user, person_id, files, missing, nist=held)
    return Status(202, CaptureOut.of(selectors.capture_job(user, job.pk)))


@router.get("/captures/{int:capture_id}", response=CaptureOut)
def get_capture(request: HttpRequest, capture_id: int) -> CaptureOut:
    """Poll this while the capture's features are extracted (percent and stage)."""
    return CaptureOut.of(selectors.capture_job(current_user(request), capture_id))


@router.get("/fingerprint-sets/{int:set_id}", response=SetOut)
def get_set(request: HttpRequest, set_id: int) -> SetOut:
    user = current_user(request)
    return _set_out(user, selectors.fingerprint_set(user, set_id))


@router.post("/fingerprint-sets/{int:set_id}/identify", response={202: RequestOut})
def identify(request: HttpRequest, set_id: int) -> Status[RequestOut]:
    user = current_user(request)
    selectors.fingerprint_set(user, set_id)
    req = services.request_identification(user, set_id)
    return Status(202, RequestOut.of(selectors.identification(user, req.pk)))


@router.get("/identifications/{int:request_id}", response=RequestOut)
def get_identification(request: HttpRequest, request_id: int) -> RequestOut:
    """Poll this for progress (percent and stage) while the task runs."""
    return RequestOut.of(selectors.identification(current_user(request), request_id))


@router.get("/fingers/{int:finger_id}/image")
def finger_image(request: HttpRequest, finger_id: int) -> HttpResponse:
    """The finger's 500 ppi PNG: own state's persons, or a hit's candidate for the expert."""
    user = current_user(request)
    finger = selectors.finger_image(user, finger_id)
    if not finger.image:
        raise HttpError(404, "This finger has no image.")
    with finger.image.open("rb") as fh:
        return HttpResponse(fh.read(), content_type="image/png")


@router.get("/hits", response=HitPageOut)
def list_hits(
    request: HttpRequest,
    page: Query[PageIn],
    status: str | None = None,
) -> HitPageOut:
    """Own state's hits, and other states' confirmed hits on own persons (Eurodac fields).

    Paged here rather than by @paginate: the selector reads (and audits) only the page."""
    user = current_user(request)
    views = selectors.hits(user, status, offset=page.offset, limit=page.limit)
    return HitPageOut(
        items=[HitOut(**v.__dict__) for v in views], count=selectors.hit_count(user, status)
    )


@router.get("/hits/{int:hit_id}", response=HitOut)
def get_hit(request: HttpRequest, hit_id: int) -> HitOut:
    return HitOut(**selectors.hit(current_user(request), hit_id).__dict__)


@router.get("/hits/{int:hit_id}/comparison", response=list[ComparisonOut])
def hit_comparison(request: HttpRequest, hit_id: int) -> list[ComparisonOut]:
    """For the fingerprint expert: fingers side by side with the matched minutiae."""
    user = current_user(request)
    rows = selectors.hit_comparison(user, hit_id)
    return [
        ComparisonOut(
            position=c.position,
            name=c.name,
            score=c.score,
            query_image_url=_image_url(c.query_finger_id),
            candidate_image_url=_image_url(c.candidate_finger_id),
            pairs=[PairOut(**p.__dict__) for p in c.pairs],
        )
        for c in rows
    ]


@router.post("/hits/{int:hit_id}/decision", response=HitOut)
def decide(request: HttpRequest, hit_id: int, payload: DecisionIn) -> HitOut:
    user = current_user(request)
    h = services.decide_hit(user, hit_id, confirm=payload.confirm, reason=payload.reason)
    return HitOut(**selectors.hit(user, h.pk).__dict__)


EXPORT_COLUMNS = [
    "reference", "member_state", "name_transliterated", "name_as_written", "date_of_birth",
    "dob_is_estimated", "sex", "nationality", "eurodac_category", "vulnerabilities", "household",
    "apprehension_event", "apprehension_date", "fingerprint_sets",
]  # fmt: skip


def _cell(value: object) -> object:
    """Text a spreadsheet would run as a formula is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get("/export.csv")
def export_csv(request: HttpRequest, day: dt.date) -> HttpResponse:
    """The day's registrations of the user's own state (persons they may see; nothing else)."""
    user = current_user(request)
    if not can(user, Capability.VIEW_PERSONS):
        raise PermissionDenied(_("Your role may not export persons."))
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(EXPORT_COLUMNS)
    rows = selectors.registrations_on(user, day)
    count = 0
    for p in rows:
        event = p.apprehension_event
        row = [
            p.reference,
            p.member_state,
            p.name_transliterated,
            p.name_as_written,
            p.date_of_birth or "",
            p.dob_is_estimated,
            p.sex,
            p.nationality,
            p.eurodac_category,
            " ".join(p.vulnerabilities),
            p.household,
            event.ref if event else "",
            event.local_date if event else "",
            p.fingerprint_set_count,  # type: ignore[attr-defined]
        ]
        out.writerow([_cell(v) for v in row])
        count += 1
    services.note_export(user, day, count)
    response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{day}.csv"'
    return response
