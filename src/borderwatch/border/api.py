"""Border API: sections, events (report, correct, delete, import), impact levels.

Event input errors answer 422 with the field's key and a message that uses the label of the
report form ("Time of the event: ..."), whether the schema or the service found them. A time
without a UTC offset is read as local time in the member state's zone, as on the form.
"""

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ValidationError as SchemaError
from pydantic import model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from borderwatch.border import export, imports, selectors, services
from borderwatch.border.models import BorderMeasure, Event, ImpactAssessment, ImportJob
from borderwatch.border.validation import LABELS, EventInput
from borderwatch.core import pagination
from borderwatch.core.api import CursorPageIn, PageIn
from borderwatch.core.permissions import check, current_user
from borderwatch.core.roles import Capability

router = Router(tags=["border"])


class SectionOut(Schema):
    code: str
    name: str
    country: str
    neighbour: str
    length_km: float
    impact_level: str
    geometry: dict[str, Any]


# The API (like the import file) calls the event's type `type`; the form and the service
# `event_type`.
API_KEYS = {"event_type": "type"}
EXTRA_LABELS = {
    "type": LABELS["event_type"],
    "reason": gettext_lazy("Reason"),
    "member_state": gettext_lazy("Member state"),
}
EXPECTED = {
    "occurred_at": gettext_lazy(
        "'%(value)s' is not a date and time; write it like %(local)s (local time) "
        "or %(utc)s (with its UTC offset)"
    ),
    "latitude": gettext_lazy("'%(value)s' is not a number"),
    "longitude": gettext_lazy("'%(value)s' is not a number"),
    "persons": gettext_lazy("'%(value)s' is not a whole number"),
}


def _human(error: Any) -> str:
    """A schema error as 'Label: what is wrong', in the words of the report form."""
    loc = [str(part) for part in error["loc"]]
    name = loc[0] if loc else ""
    label = EXTRA_LABELS.get(name) or LABELS.get(name) or name.replace("_", " ").capitalize()
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        text = _("missing")
    elif name == "nationalities" and len(loc) > 1:
        text = _("the count for %(code)s '%(value)s' is not a whole number") % {
            "code": loc[1],
            "value": value,
        }
    elif name == "nationalities":
        text = _('must be an object like {"IQ": 3}')
    elif name in EXPECTED:
        text = str(EXPECTED[name]) % {
            "value": value,
            "local": "2021-08-28T01:05",
            "utc": "2021-08-27T22:05+00:00",
        }
    elif kind == "string_type":
        text = _("must be text, not '%(value)s'") % {"value": value}
    else:
        text = error["msg"]
    return f"{label}: {text}"


class EventIn(Schema):
    ref: str
    occurred_at: dt.datetime = Field(
        description="ISO 8601; without a UTC offset it is local time in the member state's zone"
    )
    type: str
    latitude: float
    longitude: float
    persons: int
    nationalities: dict[str, int]
    source: str
    reporting_unit: str
    description: str = ""

    @model_validator(mode="wrap")
    @classmethod
    def _human_errors(cls, data: Any, handler: Callable[[Any], Any]) -> Any:
        """Keep each error's field (loc) and type; say what is wrong with the form's label."""
        try:
            return handler(data)
        except SchemaError as exc:
            details = [
                InitErrorDetails(
                    type=PydanticCustomError(e["type"], "{message}", {"message": _human(e)}),
                    loc=e["loc"],
                    input=e.get("input"),
                )
                for e in exc.errors()
            ]
            raise SchemaError.from_exception_data(cls.__name__, details) from None

    def to_input(self) -> EventInput:
        return EventInput(
            ref=self.ref,
            occurred_at=self.occurred_at,
            event_type=self.type,
            latitude=self.latitude,
            longitude=self.longitude,
            persons=self.persons,
            nationalities=dict(self.nationalities),
            source=self.source,
            reporting_unit=self.reporting_unit,
            description=self.description,
        )


class EventCreateIn(EventIn):
    member_state: str | None = None


class EventCorrectionIn(EventIn):
    reason: str


class ReasonIn(Schema):
    reason: str


class EventOut(Schema):
    id: int
    ref: str
    country: str
    section: str
    type: str
    occurred_at: dt.datetime
    local_date: dt.date
    latitude: float
    longitude: float
    persons: int
    nationalities: dict[str, int]
    source: str
    reporting_unit: str
    description: str
    synthetic: bool
    deleted: bool

    @staticmethod
    def of(e: Event) -> "EventOut":
        return EventOut(
            id=e.pk,
            ref=e.ref,
            country=e.country_id,
            section=e.section.code,
            type=e.event_type,
            occurred_at=e.occurred_at,
            local_date=e.local_date,
            latitude=e.latitude,
            longitude=e.longitude,
            persons=e.persons,
            nationalities={n.nationality: n.persons for n in e.nationalities.all()},
            source=e.source,
            reporting_unit=e.reporting_unit,
            description=e.description,
            synthetic=e.synthetic,
            deleted=not e.is_live,
        )


class ImportJobOut(Schema):
    """An import on its way: poll `url` until `status` is done (counts filled) or failed
    (`errors` names each refused line; nothing was imported)."""

    id: int
    url: str
    status: str = Field(description="queued, running, done or failed")
    progress: int = Field(description="percent")
    stage: str
    file_name: str
    member_state: str
    rows: int
    created: int
    unchanged: int
    batch_id: int | None
    local_times: int = Field(description="rows without a UTC offset, read in time_zone")
    time_zone: str
    note: str
    errors: list[str]

    @staticmethod
    def of(job: ImportJob) -> "ImportJobOut":
        return ImportJobOut(
            id=job.pk,
            url=f"/api/border/imports/{job.pk}",
            status=job.status,
            progress=job.progress,
            stage=_(job.stage) if job.stage else "",
            file_name=job.file_name,
            member_state=job.country_id,
            rows=job.rows,
            created=job.created,
            unchanged=job.unchanged,
            batch_id=job.batch_id,
            local_times=job.local_times,
            time_zone=job.time_zone,
            note=imports.job_note(job),
            errors=job.errors,
        )


class ProposeIn(Schema):
    country: str
    as_of: dt.date | None = Field(
        None, description="the day pressure is counted up to; default: the latest day with events"
    )


class ConfirmIn(Schema):
    level: str | None = None
    reason: str = ""


class AssessmentOut(Schema):
    id: int
    section: str
    as_of: dt.date
    pressure_per_km: float
    persons_in_window: int
    proposed_level: str
    level: str
    status: str
    confirmed_by: str | None
    confirmed_at: dt.datetime | None
    reason: str

    @staticmethod
    def of(a: ImpactAssessment) -> "AssessmentOut":
        return AssessmentOut(
            id=a.pk,
            section=a.section.code,
            as_of=a.as_of,
            pressure_per_km=a.pressure_per_km,
            persons_in_window=a.persons_in_window,
            proposed_level=a.proposed_level,
            level=a.level,
            status=a.status,
            confirmed_by=a.confirmed_by.username if a.confirmed_by else None,
            confirmed_at=a.confirmed_at,
            reason=a.reason,
        )


@router.get("/sections", response=list[SectionOut])
def list_sections(request: HttpRequest, country: str | None = None) -> list[SectionOut]:
    user = current_user(request)
    levels = selectors.current_levels(user, country)
    return [
        SectionOut(
            code=s.code,
            name=s.name,
            country=s.country_id,
            neighbour=s.neighbour_id,
            length_km=s.length_km,
            impact_level=levels.get(s.pk, "low"),
            geometry=s.geometry,
        )
        for s in selectors.sections(user, country)
    ]


class EventPageOut(Schema):
    items: list[EventOut]
    count: int | None = Field(description="all matching events; null on a page after a cursor")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null: last")


@router.get("/events", response=EventPageOut)
def list_events(
    request: HttpRequest,
    page: Query[CursorPageIn],
    country: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    type: str | None = None,
    section: str | None = None,
) -> EventPageOut:
    """Events newest first (time, then id). Follow `next_cursor` to walk a long list."""
    user = current_user(request)
    qs = selectors.events(
        user, country=country, start=start, end=end, event_type=type, section=section
    )
    found = pagination.paginate(
        qs,
        name="border.events",
        order=("-occurred_at", "-id"),
        count=lambda: selectors.count_events(
            user, country=country, start=start, end=end, event_type=type, section=section
        ),
        **page.dict(),
    )
    return EventPageOut(
        items=[EventOut.of(e) for e in found.items],
        count=found.count,
        next_cursor=found.next_cursor,
    )


@router.get("/events/{int:event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int) -> EventOut:
    user = current_user(request)
    try:
        return EventOut.of(selectors.event(user, event_id))
    except Event.DoesNotExist:
        raise HttpError(404, _("No such event.")) from None


@router.post("/events", response={201: EventOut})
def report_event(request: HttpRequest, payload: EventCreateIn) -> Status[EventOut]:
    user = current_user(request)
    with _api_keys():
        event = services.report_event(user, payload.to_input(), payload.member_state)
    return Status(201, EventOut.of(event))


@router.put("/events/{int:event_id}", response=EventOut)
def correct_event(request: HttpRequest, event_id: int, payload: EventCorrectionIn) -> EventOut:
    _visible(request, event_id)
    user = current_user(request)
    with _api_keys():
        event = services.correct_event(user, event_id, payload.to_input(), payload.reason)
    return EventOut.of(event)


@router.delete("/events/{int:event_id}", response={204: None})
def delete_event(request: HttpRequest, event_id: int, payload: ReasonIn) -> Status[None]:
    _visible(request, event_id)
    user = current_user(request)
    services.delete_event(user, event_id, payload.reason)
    return Status(204, None)


@router.post("/events/import", response={202: ImportJobOut})
def import_events(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[str] = "",
    member_state: Form[str] = "",
) -> Status[ImportJobOut]:
    """Queue the import of a CSV or JSON file of events and answer at once (202) with the job:
    poll GET /imports/{id}. All rows or none; errors name the line; the same file again adds
    nothing. A wrong format or an empty file is refused at once (422)."""
    user = current_user(request)
    fmt = format or (file.name or "").rsplit(".", 1)[-1].lower()
    state = member_state or user.member_state
    job = imports.submit_import(user, state, file.read(), file_name=file.name or "", fmt=fmt)
    return Status(202, ImportJobOut.of(selectors.import_job(user, job.pk)))


@router.get("/imports/{int:job_id}", response=ImportJobOut)
def import_status(request: HttpRequest, job_id: int) -> ImportJobOut:
    """An import's status and progress; when done its counts, when failed its errors."""
    return ImportJobOut.of(selectors.import_job(current_user(request), job_id))


class AssessmentPageOut(Schema):
    items: list[AssessmentOut]
    count: int | None
    next_cursor: str | None


@router.get("/impact-assessments", response=AssessmentPageOut)
def list_assessments(
    request: HttpRequest, page: Query[PageIn], country: str | None = None, open: bool = False
) -> AssessmentPageOut:
    """Assessments, latest day first (then newest id)."""
    user = current_user(request)
    qs = selectors.assessments(user, country=country, open_only=open)
    found = pagination.paginate(
        qs, name="border.assessments", order=("-as_of", "-id"), **page.dict()
    )
    return AssessmentPageOut(
        items=[AssessmentOut.of(a) for a in found.items],
        count=found.count,
        next_cursor=found.next_cursor,
    )


@router.post("/impact-assessments/propose", response=list[AssessmentOut])
def propose_levels(request: HttpRequest, payload: ProposeIn) -> list[AssessmentOut]:
    user = current_user(request)
    check(user, Capability.CONFIRM_IMPACT_LEVEL, payload.country)
    as_of = payload.as_of or selectors.latest_event_day(user, [payload.country])
    proposals = services.propose_impact_levels(user, payload.country, as_of or timezone.localdate())
    return [AssessmentOut.of(a) for a in proposals]


@router.post("/impact-assessments/{int:assessment_id}/confirm", response=AssessmentOut)
def confirm_level(request: HttpRequest, assessment_id: int, payload: ConfirmIn) -> AssessmentOut:
    user = current_user(request)
    if not selectors.assessments(user).filter(pk=assessment_id).exists():
        raise HttpError(404, _("No such assessment."))
    return AssessmentOut.of(
        services.confirm_impact_level(user, assessment_id, payload.level, payload.reason)
    )


@router.post("/impact-assessments/{int:assessment_id}/reject", response=AssessmentOut)
def reject_level(request: HttpRequest, assessment_id: int, payload: ReasonIn) -> AssessmentOut:
    """Reject a proposal with a reason; the level in force stays."""
    user = current_user(request)
    if not selectors.assessments(user).filter(pk=assessment_id).exists():
        raise HttpError(404, _("No such assessment."))
    return AssessmentOut.of(services.reject_impact_level(user, assessment_id, payload.reason))


def _visible(request: HttpRequest, event_id: int) -> None:
    """404 for events outside the user's member state (their existence is not disclosed)."""
    if (
        not selectors.events(current_user(request), include_deleted=True)
        .filter(pk=event_id)
        .exists()
    ):
        raise HttpError(404, _("No such event."))


# --- border measures -----------------------------------------------------------------------


class MeasureIn(Schema):
    member_state: str
    kind: str
    title: str
    starts: dt.date
    ends: dt.date | None = None
    source: str


class MeasureEndIn(Schema):
    ends: dt.date
    reason: str = ""


class MeasureOut(Schema):
    id: int
    member_state: str
    kind: str
    kind_label: str
    title: str
    starts: dt.date
    ends: dt.date | None
    source: str


@router.get("/measures", response=list[MeasureOut])
def list_measures(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    country: str | None = None,
) -> list[selectors.Measure]:
    """Measures of your member states in force on at least one day of the period."""
    user = current_user(request)
    return selectors.measures(user, start, end, [country] if country else None)


@router.post("/measures", response={201: MeasureOut})
def declare_measure(request: HttpRequest, payload: MeasureIn) -> Status[selectors.Measure]:
    """Declare a measure at your state's border (national coordinators)."""
    user = current_user(request)
    measure = services.declare_measure(
        user,
        payload.member_state,
        payload.kind,
        payload.starts,
        payload.title,
        payload.source,
        payload.ends,
    )
    return Status(201, selectors.measure_view(measure))


@router.post("/measures/{int:measure_id}/end", response=MeasureOut)
def end_measure(request: HttpRequest, measure_id: int, payload: MeasureEndIn) -> selectors.Measure:
    """Set the last day a measure is in force (a changed end needs a reason)."""
    user = current_user(request)
    try:
        selectors.measure(user, measure_id)
    except BorderMeasure.DoesNotExist:
        raise HttpError(404, _("No such measure.")) from None
    measure = services.end_measure(user, measure_id, payload.ends, payload.reason)
    return selectors.measure_view(measure)


@contextmanager
def _api_keys() -> Iterator[None]:
    """A service's errors by field, keyed by the API's names of the fields (`type`)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {API_KEYS.get(key, key): texts for key, texts in exc.message_dict.items()}
        ) from None


# --- analytics export (border.export, docs/export.md) ------------------------------------------

PARQUET_OK = {
    "responses": {
        "200": {
            "description": "One Parquet file (schema: docs/export.md; `borderwatch.*` keys in "
            "its metadata: schema version, table, period, states)",
            "content": {export.MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def _parquet(request: HttpRequest, wanted: export.Request, table: export.Table) -> FileResponse:
    """Build the file in a temporary file (deleted when the response is closed), then send it."""
    user = current_user(request)
    out = tempfile.TemporaryFile(suffix=".parquet")  # noqa: SIM115 (the response closes it)
    try:
        export.export_file(user, wanted, table, out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    name = f"{table}_{wanted.start.isoformat()}_{wanted.end.isoformat()}.parquet"
    return FileResponse(out, as_attachment=True, filename=name, content_type=export.MEDIA_TYPE)


def _export_request(
    start: dt.date, end: dt.date, country: list[str] | None, withdrawn: bool = False
) -> export.Request:
    codes = tuple(c.strip().upper() for c in country) if country else None
    return export.Request(start=start, end=end, countries=codes, withdrawn=withdrawn)


@router.get("/export/events.parquet", response={200: None}, openapi_extra=PARQUET_OK)
def export_events(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    country: Query[list[str] | None] = None,
    withdrawn: bool = False,
) -> FileResponse:
    """Events of local days `start`..`end` (at most three years) as one Parquet file, one row
    per event with its nationalities; `country` (repeatable) narrows to member states you may
    see (another state's: 403); withdrawn events only with `withdrawn=true`. Audited."""
    return _parquet(request, _export_request(start, end, country, withdrawn), export.Table.EVENTS)


@router.get("/export/rollups.parquet", response={200: None}, openapi_extra=PARQUET_OK)
def export_rollups(
    request: HttpRequest,
    start: dt.date,
    end: dt.date,
    country: Query[list[str] | None] = None,
    level: Literal["state", "section"] = "state",
) -> FileResponse:
    """The daily rollups of live events (persons and events per state or section, local day,
    type and nationality; a null nationality is the whole events) as one Parquet file. Same
    period, states and refusals as the events' export. Audited."""
    table = export.Table.STATE_DAYS if level == "state" else export.Table.SECTION_DAYS
    return _parquet(request, _export_request(start, end, country), table)
