"""The data-subject access document: one person's full record, where it came from, and who
received it. One typed shape (ninja schemas) for the printable page, the JSON download and the
API, so the three never say different things."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class PersonData(Schema):
    id: int
    reference: str
    member_state: str
    name_as_written: str
    name_transliterated: str
    date_of_birth: dt.date | None
    dob_is_estimated: bool
    sex: str
    sex_label: str
    nationality: str
    eurodac_category: int
    eurodac_category_label: str
    vulnerabilities: list[str]
    household: str
    has_photo: bool
    synthetic: bool
    registered_at: dt.datetime
    updated_at: dt.datetime


class EventData(Schema):
    """The border event the person was apprehended in (EUROSUR), as reported."""

    id: int
    ref: str
    event_type: str
    occurred_at: dt.datetime
    local_date: dt.date
    section: str
    source: str
    reporting_unit: str


class RegistrationData(Schema):
    """Who registered the person, and from which event."""

    registered_by: str | None
    registered_by_role: str | None
    registered_by_state: str | None
    event: EventData | None


class DocumentData(Schema):
    doc_type: str
    doc_type_label: str
    number: str
    issuing_country: str


class FingerData(Schema):
    position: int
    name: str
    quality: int | None
    missing_reason: str


class FingerprintSetData(Schema):
    """A set of fingerprints and its capture source."""

    reference: str
    captured_at: dt.datetime
    captured_by: str | None
    source_format: str
    source_format_label: str
    fingers: list[FingerData]


class IdentificationData(Schema):
    id: int
    fingerprint_set: str
    requested_at: dt.datetime
    requested_by: str | None
    status: str
    status_label: str
    hits: int


class HitData(Schema):
    """A fingerprint hit concerning the person: which state searched, which state's record the
    other side is (Eurodac's fields only, as any hit shows them)."""

    id: int
    status: str
    status_label: str
    score: float
    searched_by_state: str
    searched_at: dt.datetime
    decided_at: dt.datetime | None
    other_reference: str
    other_state: str


class PlacementData(Schema):
    facility: str
    facility_state: str
    category: str
    category_label: str
    start_date: dt.date
    end_date: dt.date | None
    status: str
    status_label: str


class RecipientData(Schema):
    """A user outside the person's state who read the record (from the audit trail)."""

    user: str
    state: str
    reads: int
    first: dt.datetime
    last: dt.datetime


class AccessData(Schema):
    """One entry of the person's access log (who read or changed which record, when)."""

    id: int
    at: dt.datetime
    user: str
    user_state: str
    action: str
    kind: str
    object_type: str
    object_id: str
    member_state: str


class SubjectRecord(Schema):
    """Everything held on one person, for the person (GDPR art. 15; Eurodac 2024/1358 art. 43)."""

    produced_at: dt.datetime
    produced_by: str
    person: PersonData
    registration: RegistrationData
    documents: list[DocumentData]
    fingerprint_sets: list[FingerprintSetData]
    identifications: list[IdentificationData]
    hits: list[HitData]
    placements: list[PlacementData]
    recipients: list[RecipientData]
    access_log: list[AccessData]
    access_log_complete: bool
