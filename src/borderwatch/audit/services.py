"""Writes of the audit app: producing a data-subject access document and exporting the trail
are disclosures, so each is itself an audit entry (written before the data goes out, in the
same transaction as the reads that build it)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from borderwatch.accounts.models import User
from borderwatch.audit import selectors
from borderwatch.audit.document import (
    AccessData,
    DocumentData,
    EventData,
    FingerData,
    FingerprintSetData,
    HitData,
    IdentificationData,
    PersonData,
    PlacementData,
    RecipientData,
    RegistrationData,
    SubjectRecord,
)
from borderwatch.border import selectors as border
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.reception import selectors as reception
from borderwatch.registration import selectors as registration

FORMATS = ("html", "json", "api")


def _event(user: User, event_id: int | None) -> EventData | None:
    if event_id is None:
        return None
    try:
        e = border.event(user, event_id)
    except border.Event.DoesNotExist:
        return None
    return EventData(
        id=e.pk, ref=e.ref, event_type=e.get_event_type_display(), occurred_at=e.occurred_at,
        local_date=e.local_date, section=f"{e.section.name} ({e.section.code})",
        source=e.get_source_display(), reporting_unit=e.reporting_unit,
    )  # fmt: skip


def _who(user: User | None) -> str | None:
    return user.get_username() if user is not None else None


def subject_record(actor: User, person_id: int) -> SubjectRecord:
    """The person's record, sources and recipients, read through the owning apps' selectors
    (each scoped there; the hits' other sides are audited by registration's selector)."""
    person = registration.person(actor, person_id)
    creator = person.created_by
    sets = registration.person_sets(actor, person.pk)
    log, complete, recipients = selectors.subject_log(actor, person.pk)
    return SubjectRecord(
        produced_at=timezone.now(),
        produced_by=actor.get_username(),
        person=PersonData(
            id=person.pk, reference=person.reference, member_state=person.member_state,
            name_as_written=person.name_as_written,
            name_transliterated=person.name_transliterated,
            date_of_birth=person.date_of_birth, dob_is_estimated=person.dob_is_estimated,
            sex=person.sex, sex_label=person.get_sex_display(), nationality=person.nationality,
            eurodac_category=person.eurodac_category,
            eurodac_category_label=person.get_eurodac_category_display(),
            vulnerabilities=person.vulnerability_labels, household=person.household,
            has_photo=bool(person.photo), synthetic=person.synthetic,
            registered_at=person.created_at, updated_at=person.updated_at,
        ),
        registration=RegistrationData(
            registered_by=_who(creator),
            registered_by_role=creator.get_role_display() if creator else None,
            registered_by_state=creator.member_state if creator else None,
            event=_event(actor, person.apprehension_event_id),
        ),
        documents=[
            DocumentData(
                doc_type=d.doc_type, doc_type_label=d.get_doc_type_display(), number=d.number,
                issuing_country=d.issuing_country,
            )
            for d in registration.documents(actor, person.pk)
        ],
        fingerprint_sets=[
            FingerprintSetData(
                reference=r.set.reference, captured_at=r.set.captured_at,
                captured_by=_who(r.set.captured_by), source_format=r.set.source_format,
                source_format_label=r.set.get_source_format_display(),
                fingers=[
                    FingerData(
                        position=f.position, name=f.name, quality=f.quality,
                        missing_reason=f.missing_label if f.missing_reason else "",
                    )
                    for f in registration.set_fingers(actor, r.set.pk)
                ],
            )
            for r in sets
        ],
        identifications=[
            IdentificationData(
                id=q.pk, fingerprint_set=r.set.reference, requested_at=q.requested_at,
                requested_by=_who(q.requested_by), status=q.status,
                status_label=q.get_status_display(), hits=getattr(q, "hit_count", 0),
            )
            for r in sets
            for q in r.requests
        ],
        hits=[
            HitData(
                id=h.view.id, status=h.view.status, status_label=h.view.status_label,
                score=h.view.score, searched_by_state=h.view.requested_by_state,
                searched_at=h.view.searched_at, decided_at=h.view.decided_at,
                other_reference=h.view.other.reference, other_state=h.view.other.member_state,
            )
            for h in registration.person_hits(actor, person.pk)
        ],
        placements=[
            PlacementData(
                facility=p.facility.name, facility_state=p.facility.member_state,
                category=p.category, category_label=p.get_category_display(),
                start_date=p.start_date, end_date=p.end_date, status=p.status,
                status_label=p.get_status_display(),
            )
            for p in reception.placements(actor)
            .filter(person_id=person.pk)
            .order_by("start_date", "pk")
        ],
        recipients=[RecipientData(**r.__dict__) for r in recipients],
        access_log=[AccessData(**e.__dict__, kind=e.kind) for e in log],
        access_log_complete=complete,
    )  # fmt: skip


@transaction.atomic
def produce_subject_access(actor: User, person_id: int, fmt: str) -> SubjectRecord:
    """The data-subject access document of one person, for the coordinator of the owning state
    (VIEW_AUDIT and the person: another state's person is DoesNotExist, like a missing one).
    Audited as a write (Action.AUDIT_SUBJECT_ACCESS, with the format), before it is built, so
    the document's own access log shows its production."""
    check(actor, Capability.VIEW_AUDIT)
    person = registration.person(actor, person_id)
    audit.record(
        actor, Action.AUDIT_SUBJECT_ACCESS, person, member_state=person.member_state,
        new={"format": fmt if fmt in FORMATS else "html"},
    )  # fmt: skip
    return subject_record(actor, person.pk)


@transaction.atomic
def note_export(actor: User, filters: selectors.Filters) -> list[AuditEntry]:
    """Audit a CSV export of the trail before it streams: one entry per member state whose
    entries it holds (an EU-level export of a state's entries is a cross-state read, filed
    under that state), or one under the actor's own state when it holds none; with the filters,
    never the content."""
    states = selectors.export_states(actor, filters) or [actor.member_state]
    detail = {"filters": filters.query()}
    label = AuditEntry._meta.label
    return [
        audit.record(actor, Action.AUDIT_EXPORT, object_type=label, member_state=state, new=detail)
        for state in states
    ]
