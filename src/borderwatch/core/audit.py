"""The one way the audit trail is written: typed actions, one entry or many, reads included.

Call inside the service's transaction so the change and its entry land together or not at all.
Selectors that return another member state's personal data call `record_read` themselves, so no
view or endpoint can forget it (ARCHITECTURE.md section 6).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.fields.files import FieldFile

from borderwatch.core.models import AuditEntry

if TYPE_CHECKING:
    from borderwatch.accounts.models import User

BATCH_SIZE = 500


class Action(StrEnum):
    """Every action the audit trail knows: `<app>.<object>.<verb>`."""

    USER_CREATE = "accounts.user.create"
    USER_LANGUAGE = "accounts.user.language"
    TOKEN_ISSUE = "accounts.token.issue"  # noqa: S105 (an action name, not a secret)
    TOKEN_REVOKE = "accounts.token.revoke"  # noqa: S105
    # sign-in and its protections (never the password; the username and address are kept)
    USER_LOGIN = "accounts.user.login"
    USER_LOGIN_FAILED = "accounts.user.login_failed"
    USER_LOCKED_OUT = "accounts.user.locked_out"
    USER_UNLOCK = "accounts.user.unlock"
    USER_LOGOUT = "accounts.user.logout"

    EVENT_REPORT = "border.event.report"
    EVENT_CORRECT = "border.event.correct"
    EVENT_DELETE = "border.event.delete"
    EVENT_IMPORT = "border.event.import"
    EVENT_IMPORT_QUEUE = "border.event.import_queue"
    EVENT_IMPORT_FAILED = "border.event.import_failed"
    EVENT_IMPORT_REQUEUE = "border.event.import_requeue"
    SECTIONS_LOAD = "border.sections.load"
    IMPACT_PROPOSE = "border.impact.propose"
    IMPACT_CONFIRM = "border.impact.confirm"
    IMPACT_REJECT = "border.impact.reject"
    IMPACT_REMOVE_SCENARIO = "border.impact.remove_scenario"
    EVENTS_REMOVE_SYNTHETIC = "border.events.remove_synthetic"
    EVENT_ROLLUPS_REBUILD = "border.rollups.rebuild"
    EVENT_EXPORT = "border.events.export"  # analytics export (Parquet): filters and counts
    MEASURE_DECLARE = "border.measure.declare"
    MEASURE_END = "border.measure.end"
    MEASURES_REMOVE_SCENARIO = "border.measures.remove_scenario"

    PERSON_CREATE = "registration.person.create"
    PERSON_PHOTO = "registration.person.photo"
    PERSON_VIEW = "registration.person.view"
    PERSON_REMOVE_SYNTHETIC = "registration.person.remove_synthetic"
    PERSON_SEARCH_KEYS = "registration.person.search_keys"
    PERSON_ERASE = "registration.person.erase"
    DOCUMENT_CREATE = "registration.document.create"
    DOCUMENT_DELETE = "registration.document.delete"
    FINGERPRINTS_CAPTURE = "registration.fingerprints.capture"
    FINGERPRINTS_RECAPTURE = "registration.fingerprints.recapture"
    CAPTURE_DRAFT = "registration.capture.draft"
    CAPTURE_QUEUE = "registration.capture.queue"
    CAPTURE_FAILED = "registration.capture.failed"
    FINGER_VIEW = "registration.finger.view"
    IDENTIFICATION_REQUEST = "registration.identification.request"
    IDENTIFICATION_DONE = "registration.identification.done"
    IDENTIFICATION_FAILED = "registration.identification.failed"
    HIT_CONFIRMED = "registration.hit.confirmed"
    HIT_REJECTED = "registration.hit.rejected"
    HIT_VIEW = "registration.hit.view"
    GALLERY_COMPACT = "registration.gallery.compact"
    GALLERY_REBUILD = "registration.gallery.rebuild"
    REGISTRATION_EXPORT = "registration.export"

    FACILITY_CREATE = "reception.facility.create"
    FACILITY_UPDATE = "reception.facility.update"
    PLACEMENT_CREATE = "reception.placement.create"
    PLACEMENT_RELEASE = "reception.placement.release"
    PLACEMENT_TRANSFER = "reception.placement.transfer"
    PROPOSAL_REQUEST = "reception.proposal.request"
    PROPOSAL_DONE = "reception.proposal.done"
    PROPOSAL_FAILED = "reception.proposal.failed"
    PROPOSAL_ACCEPT = "reception.proposal.accept"

    # the audit viewer (audit app): an EU-level read of a state's entries, an export of the
    # trail, a data-subject access document produced for one person
    AUDIT_VIEW = "audit.entries.view"
    AUDIT_EXPORT = "audit.entries.export"
    AUDIT_SUBJECT_ACCESS = "audit.subject_access.produce"
    APPLICATION_MAKE = "procedures.application.make"
    APPLICATION_REGISTER = "procedures.application.register"
    APPLICATION_LODGE = "procedures.application.lodge"
    APPLICATION_ADMISSIBLE = "procedures.application.admissible"
    APPLICATION_INTERVIEW = "procedures.application.interview"
    APPLICATION_DECIDE = "procedures.application.decide"
    APPLICATION_WITHDRAWN = "procedures.application.withdrawn"
    APPLICATION_APPEAL = "procedures.application.appeal"
    APPLICATION_FINAL = "procedures.application.final"
    APPLICATION_EXTEND = "procedures.application.extend"
    APPLICATION_VIEW = "procedures.application.view"
    APPLICATIONS_SCENARIO = "procedures.applications.scenario"
    APPLICATIONS_REMOVE_SYNTHETIC = "procedures.applications.remove_synthetic"
    PROCEDURE_FIGURES_REBUILD = "procedures.figures.rebuild"
    MASS_INFLUX_DECLARE = "procedures.mass_influx.declare"
    PROCEDURE_RULE_SET = "procedures.rule.set"
    PERSON_EURODAC_APPLICANT = "registration.person.eurodac_applicant"
    PERSON_EURODAC_PROTECTION = "registration.person.eurodac_protection"
    # return procedures (procedures app): return cases, readmission, flights, country policies
    RETURN_DECIDE = "procedures.return.decide"
    RETURN_CARRIED_OUT = "procedures.return.carried_out"
    RETURN_ABSCONDED = "procedures.return.absconded"
    RETURN_FOUND = "procedures.return.found"
    RETURN_CLOSE = "procedures.return.close"
    RETURN_DEPARTURE_EXTEND = "procedures.return.departure_extend"
    RETURN_DETENTION_START = "procedures.return.detention_start"
    RETURN_DETENTION_EXTEND = "procedures.return.detention_extend"
    RETURN_DETENTION_END = "procedures.return.detention_end"
    RETURN_VIEW = "procedures.return.view"
    READMISSION_SEND = "procedures.readmission.send"
    READMISSION_STEP = "procedures.readmission.step"
    READMISSION_REFUSED = "procedures.readmission.refused"
    READMISSION_UNANSWERED = "procedures.readmission.unanswered"
    READMISSION_REMIND = "procedures.readmission.remind"
    FLIGHT_CREATE = "procedures.flight.create"
    FLIGHT_BOARD = "procedures.flight.board"
    FLIGHT_DEPART = "procedures.flight.depart"
    FLIGHT_CANCEL = "procedures.flight.cancel"
    COUNTRY_POLICY_SET = "procedures.country_policy.set"
    REINTEGRATION_OFFER_SET = "procedures.reintegration_offer.set"
    RETURNS_SCENARIO = "procedures.returns.scenario"
    RETURNS_REMOVE_SYNTHETIC = "procedures.returns.remove_synthetic"

    # Frontex support and EU funding (support app)
    ASSISTANCE_SUBMIT = "support.request.submit"
    ASSISTANCE_ASSESS = "support.request.assess"
    ASSISTANCE_PLAN = "support.request.plan"
    ASSISTANCE_DEPLOYED = "support.request.deployed"
    ASSISTANCE_END = "support.request.end"
    ASSISTANCE_DECLINE = "support.request.decline"
    RESOURCE_OFFER = "support.resource.offer"
    DEPLOYMENT_CREATE = "support.deployment.create"
    DEPLOYMENT_ROTATE = "support.deployment.rotate"
    FUNDING_OFFER = "support.funding.offer"
    FUNDING_AWARD = "support.funding.award"
    FUNDING_ALLOCATE = "support.funding.allocate"
    FUNDING_PAY = "support.funding.pay"
    AID_OFFER = "support.aid.offer"
    AID_DELIVER = "support.aid.deliver"
    SUPPORT_VIEW = "support.view"
    SUPPORT_SCENARIO = "support.scenario"
    SUPPORT_REMOVE_SYNTHETIC = "support.remove_synthetic"

    SCENARIO_LOAD = "scenario.load"
    SCENARIO_REMOVE = "scenario.remove"

    # task workers (core.workers): work whose worker stopped is run again once, then failed
    TASK_REQUEUE = "core.task.requeue"
    TASK_FAIL = "core.task.fail"
    IDENTIFICATION_REQUEUE = "registration.identification.requeue"
    CAPTURE_REQUEUE = "registration.capture.requeue"
    PROPOSAL_REQUEUE = "reception.proposal.requeue"

    # news intake (news app): articles ingested, claims reviewed
    NEWS_ARTICLE_INGEST = "news.article.ingest"
    NEWS_CLAIM_ACCEPT = "news.claim.accept"
    NEWS_CLAIM_CORRECT = "news.claim.correct"
    NEWS_CLAIM_REJECT = "news.claim.reject"
    # linkage: possible duplicates proposed by the engine, reviewed by officers and experts
    DUPLICATES_REQUEST = "linkage.run.request"
    DUPLICATES_DONE = "linkage.run.done"
    DUPLICATES_FAILED = "linkage.run.failed"
    DUPLICATES_REQUEUE = "linkage.run.requeue"
    PAIR_SAME = "linkage.pair.same_person"
    PAIR_DIFFERENT = "linkage.pair.different_persons"
    PAIR_REFER = "linkage.pair.refer"
    PAIR_VIEW = "linkage.pair.view"
    # intelligence: flights into Minsk and forecasts of crossings
    FLIGHTS_IMPORT = "intelligence.flights.import"
    FLIGHTS_IMPORT_QUEUE = "intelligence.flights.import_queue"
    FLIGHTS_IMPORT_FAILED = "intelligence.flights.import_failed"
    FLIGHTS_SCENARIO = "intelligence.flights.scenario"
    FLIGHTS_REMOVE_SYNTHETIC = "intelligence.flights.remove_synthetic"
    FORECAST_REQUEST = "intelligence.forecast.request"
    FORECAST_DONE = "intelligence.forecast.done"
    FORECAST_FAILED = "intelligence.forecast.failed"
    FORECAST_REQUEUE = "intelligence.forecast.requeue"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""  # the stored file's name, never its content
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a model instance, JSON-ready, for old/new values."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name)) for name in names}


def _actor_fields(actor: User | None) -> dict[str, Any]:
    return {
        "actor_id": actor.pk if actor is not None and actor.pk else None,
        "actor_username": actor.get_username() if actor is not None else "system",
    }


def record(
    actor: User | None,
    action: Action,
    obj: models.Model | None = None,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    member_state: str = "",
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one audit entry (actor None is the system: scenario loader, tasks)."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = obj.pk if object_id is None else object_id
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=str(Action(action)),
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        member_state=member_state,
        old_values=_jsonable(old) if old is not None else None,
        new_values=_jsonable(new) if new is not None else None,
        reason=reason,
    )


@dataclass(frozen=True)
class Entry:
    """One entry of a bulk write: the object, its state, and the values to keep."""

    obj: models.Model
    member_state: str = ""
    new: Mapping[str, Any] | None = None
    old: Mapping[str, Any] | None = None
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def record_many(actor: User | None, action: Action, entries: Iterable[Entry]) -> int:
    """Append one entry per object in a few INSERTs (bulk creates, imports); returns the count."""
    who = _actor_fields(actor)
    rows = [
        AuditEntry(
            **who,
            action=str(Action(action)),
            object_type=e.obj._meta.label,
            object_id=str(e.obj.pk),
            member_state=e.member_state,
            old_values=_jsonable(e.old) if e.old is not None else None,
            new_values=_jsonable(e.new) if e.new is not None else None,
            reason=e.reason,
        )
        for e in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def record_read(
    viewer: User,
    action: Action,
    objects: Iterable[tuple[models.Model, str, Mapping[str, Any] | None]],
) -> int:
    """Audit a read of other states' records: one entry per (object, owner state, detail) whose
    owner is not the viewer's state, filed under the owner so its coordinator sees who read it."""
    entries = [
        Entry(obj, member_state=owner, new=detail)
        for obj, owner, detail in objects
        if owner and owner != viewer.member_state
    ]
    return record_many(viewer, action, entries) if entries else 0
