"""Every route that returns personal data, for every role of every member state.

The expectation is derived from the capability table (core.roles.CAPABILITIES) and the record's
owner state, never written per case: a role sees a record only if it holds the route's capability
and the record is its own state's, or a rule below lets another state read it (a hit). A refused
read answers 403/404 or leaves the record out of a list; a permitted read of another state's record
leaves an audit entry filed under the owner state (core.audit.record_read in the selector).

One world per (role, state): Lithuania registered a person (document, photo, fingerprints with an
image, a placement); Poland's search found that person (a confirmed hit).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from borderwatch.accounts.models import User
from borderwatch.core.audit import Action
from borderwatch.core.models import AuditEntry
from borderwatch.core.permissions import can
from borderwatch.core.roles import ALL_STATES_ROLES, Capability, Role
from borderwatch.linkage.models import CandidatePair
from borderwatch.procedures import services as procedures_services
from borderwatch.procedures.services import make_application
from borderwatch.reception.models import PlacementProposal
from borderwatch.reception.services import place, save_facility
from borderwatch.registration.models import (
    CaptureJob,
    Finger,
    Hit,
    HitStatus,
    IdentificationRequest,
)
from borderwatch.registration.services import add_document, set_photo
from tests.registration.conftest import new_person, synthetic_set

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 7, 27)
READS = {
    Action.PERSON_VIEW, Action.HIT_VIEW, Action.FINGER_VIEW, Action.AUDIT_VIEW,
    Action.APPLICATION_VIEW, Action.RETURN_VIEW, Action.PAIR_VIEW,
}  # fmt: skip


@dataclass(frozen=True)
class Viewer:
    role: Role
    state: str  # "" for EU-level roles

    def holds(self, capability: Capability) -> bool:
        return can(_Probe(self.role), capability)

    def is_of(self, state: str) -> bool:
        return self.state == state


@dataclass(frozen=True)
class _Probe:
    """What `can` asks of a user: an active, signed-in holder of a role."""

    role: str
    is_authenticated: bool = True
    is_active: bool = True


@dataclass
class World:
    lt_person: int
    lt_reference: str
    lt_set: int
    lt_finger: int
    pl_person: int
    pl_request: int
    hit: int
    facility: int
    proposal: int
    pending_hit: int
    pl_reference: str
    capture: int
    application: int = 0
    return_case: int = 0
    readmission: int = 0
    flight: int = 0
    lt_pair: int = 0  # two LT persons alike (linkage)
    pl_pair: int = 0  # PL's search found LT's person: referred to PL's expert (linkage)


@dataclass(frozen=True)
class Route:
    """A read of personal data: the path, the capability it needs, whose record it is, and who
    else may read it (a rule of the record, e.g. a hit), and what marks the record in the body."""

    name: str
    path: Callable[[World], str]
    capability: Capability
    owner: str
    marker: Callable[[World], str] | None = None
    also: Callable[[Viewer], bool] = lambda v: False
    cross_state_audit: tuple[Action, str] | None = None  # (action, owner) when another reads

    def allowed(self, viewer: Viewer) -> bool:
        own = viewer.holds(self.capability) and viewer.is_of(self.owner)
        return own or self.also(viewer)


def _national(viewer: Viewer, state: str, capability: Capability) -> bool:
    return viewer.is_of(state) and viewer.holds(capability)


def _hit_readers(v: Viewer) -> bool:
    """A hit: every person-viewing role of the searching state (PL), and, once confirmed, of the
    state whose record was found (LT)."""
    return _national(v, "PL", Capability.VIEW_PERSONS) or _national(
        v, "LT", Capability.VIEW_PERSONS
    )


def _pl_expert(v: Viewer) -> bool:
    return _national(v, "PL", Capability.VERIFY_HITS)


def _pl_reader(v: Viewer) -> bool:
    return _national(v, "PL", Capability.VIEW_PERSONS)


def _analyst(v: Viewer) -> bool:
    """An EU-level reader of every state's audit trail (VIEW_AUDIT without a state)."""
    return not v.state and v.holds(Capability.VIEW_AUDIT)


def _lt_reviewer(v: Viewer) -> bool:
    """The linkage queue: LT's registration roles (the route's capability) and its experts."""
    return _national(v, "LT", Capability.VERIFY_HITS)


def _person_link(w: World) -> str:
    return f"/registration/persons/{w.lt_person}/"


API = "/api/registration"
VIEW = Capability.VIEW_PERSONS
ROUTES = [
    # registration API
    Route("api persons", lambda w: f"{API}/persons", VIEW, "LT", lambda w: w.lt_reference),
    Route("api person", lambda w: f"{API}/persons/{w.lt_person}", VIEW, "LT"),
    Route("api documents", lambda w: f"{API}/persons/{w.lt_person}/documents", VIEW, "LT"),
    Route("api photo", lambda w: f"{API}/persons/{w.lt_person}/photo", VIEW, "LT"),
    Route("api set", lambda w: f"{API}/fingerprint-sets/{w.lt_set}", VIEW, "LT"),
    Route("api identification", lambda w: f"{API}/identifications/{w.pl_request}", VIEW, "PL"),
    Route(
        "api finger image", lambda w: f"{API}/fingers/{w.lt_finger}/image", VIEW, "LT",
        also=_pl_expert, cross_state_audit=(Action.FINGER_VIEW, "LT"),
    ),
    Route(
        "api hits", lambda w: f"{API}/hits", VIEW, "PL", lambda w: f'"id": {w.hit},',
        also=_hit_readers, cross_state_audit=(Action.HIT_VIEW, "*"),
    ),
    Route(
        "api hit", lambda w: f"{API}/hits/{w.hit}", VIEW, "PL",
        also=_hit_readers, cross_state_audit=(Action.HIT_VIEW, "*"),
    ),
    Route(  # a pending hit: the searching state's fingerprint experts only, until confirmed
        "api pending hit", lambda w: f"{API}/hits/{w.pending_hit}", Capability.VERIFY_HITS,
        "PL", cross_state_audit=(Action.HIT_VIEW, "LT"),
    ),
    Route(
        "api hits pending", lambda w: f"{API}/hits?status=pending", Capability.VERIFY_HITS,
        "PL", lambda w: f'"id": {w.pending_hit},', cross_state_audit=(Action.HIT_VIEW, "LT"),
    ),
    Route(
        "api comparison", lambda w: f"{API}/hits/{w.hit}/comparison", Capability.VERIFY_HITS,
        "PL", cross_state_audit=(Action.HIT_VIEW, "LT"),
    ),
    Route("api capture", lambda w: f"{API}/captures/{w.capture}", VIEW, "LT"),
    Route(
        "api export", lambda w: f"{API}/export.csv?day={_today()}", VIEW, "LT",
        lambda w: w.lt_reference,
    ),
    # registration pages
    Route("page person", lambda w: f"/registration/persons/{w.lt_person}/", VIEW, "LT"),
    Route("page set", lambda w: f"/registration/sets/{w.lt_set}/", VIEW, "LT"),
    Route(  # early erasure: the owning state's registration officers only
        "page erase", lambda w: f"/registration/persons/{w.lt_person}/erase/",
        Capability.REGISTER_PERSONS, "LT", lambda w: w.lt_reference,
    ),
    Route(
        "page finger image", lambda w: f"/registration/fingers/{w.lt_finger}/image.png",
        VIEW, "LT", also=_pl_expert, cross_state_audit=(Action.FINGER_VIEW, "LT"),
    ),
    Route(
        "page identification", lambda w: f"/registration/identifications/{w.pl_request}/",
        VIEW, "PL", also=_pl_reader, cross_state_audit=(Action.HIT_VIEW, "LT"),
    ),
    Route(  # the expert's review page of a hit: their own state's searches only
        "page hit", lambda w: f"/registration/hits/{w.hit}/", Capability.VERIFY_HITS, "PL",
        cross_state_audit=(Action.HIT_VIEW, "LT"),
    ),
    Route(
        "page identification progress",
        lambda w: f"/registration/identifications/{w.pl_request}/progress/", VIEW, "PL",
    ),
    Route(
        "page review queue", lambda w: "/registration/hits/review/", Capability.VERIFY_HITS, "PL",
        lambda w: f"/registration/hits/{w.pending_hit}/",
    ),
    Route(
        "page shared hits", lambda w: "/registration/hits/shared/", VIEW, "LT",
        lambda w: w.pl_reference, cross_state_audit=(Action.HIT_VIEW, "PL"),
    ),
    Route(
        "page registrations", lambda w: f"/registration/?day={_today()}", VIEW, "LT",
        lambda w: w.lt_reference,
    ),
    Route("page capture", lambda w: f"/registration/captures/{w.capture}/", VIEW, "LT"),
    Route(
        "page capture progress", lambda w: f"/registration/captures/{w.capture}/progress/",
        VIEW, "LT",
    ),
    # search: a person is found by their own state's national roles only (the marker is the
    # person's link: the query itself is echoed on the page)
    Route("page search", lambda w: f"/search/?q={w.lt_reference}", VIEW, "LT", _person_link),
    Route("page search by name", lambda w: "/search/?q=ali+hasan", VIEW, "LT", _person_link),
    Route("api search", lambda w: f"/api/search?q={w.lt_reference}", VIEW, "LT", _person_link),
    Route("api search by document", lambda w: "/api/search?q=A1234567", VIEW, "LT", _person_link),
    # reception: who is placed where is personal data
    Route(
        "page facility", lambda w: f"/reception/facilities/{w.facility}/?day={DAY}",
        Capability.MANAGE_RECEPTION, "LT", lambda w: f">{w.lt_reference}<",
        also=lambda v: _national(v, "LT", VIEW),
    ),
    Route(
        "page proposal", lambda w: f"/reception/proposals/{w.proposal}/",
        Capability.MANAGE_RECEPTION, "LT",
    ),
    Route(
        "api proposal", lambda w: f"/api/reception/proposals/{w.proposal}",
        Capability.MANAGE_RECEPTION, "LT",
    ),
    # audit: who read or changed Lithuania's records (the marker: its officer's entries) for its
    # coordinator and the EU-level analyst, whose read is itself audited under LT; a person's
    # access log and data-subject access document for the owning state's coordinator only
    Route(
        "page audit trail", lambda w: "/audit/?user=w.officer.lt", Capability.VIEW_AUDIT, "LT",
        lambda w: ">w.officer.lt<", also=_analyst, cross_state_audit=(Action.AUDIT_VIEW, "LT"),
    ),
    Route(
        "page audit export", lambda w: "/audit/export.csv?user=w.officer.lt",
        Capability.VIEW_AUDIT, "LT", lambda w: ",w.officer.lt,", also=_analyst,
    ),
    Route(
        "api audit entries", lambda w: "/api/audit/entries?user=w.officer.lt",
        Capability.VIEW_AUDIT, "LT", lambda w: '"w.officer.lt"', also=_analyst,
        cross_state_audit=(Action.AUDIT_VIEW, "LT"),
    ),
    Route(
        "page access log", lambda w: f"/audit/persons/{w.lt_person}/", Capability.VIEW_AUDIT,
        "LT", lambda w: w.lt_reference,
    ),
    Route(
        "page subject access", lambda w: f"/audit/persons/{w.lt_person}/record/",
        Capability.VIEW_AUDIT, "LT", lambda w: "A1234567",
    ),
    Route(
        "page subject access json", lambda w: f"/audit/persons/{w.lt_person}/record.json",
        Capability.VIEW_AUDIT, "LT", lambda w: "A1234567",
    ),
    Route(
        "api subject access", lambda w: f"/api/audit/persons/{w.lt_person}/record",
        Capability.VIEW_AUDIT, "LT", lambda w: "A1234567",
    ),
    # procedures: an asylum case file is its own state's case officers' only
    Route(
        "api applications", lambda w: "/api/procedures/applications", Capability.RUN_PROCEDURES,
        "LT", lambda w: f'"id": {w.application},',
    ),
    Route(
        "api application", lambda w: f"/api/procedures/applications/{w.application}",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "api application timeline",
        lambda w: f"/api/procedures/applications/{w.application}/timeline",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page cases", lambda w: f"/procedures/?day={DAY}", Capability.RUN_PROCEDURES, "LT",
        lambda w: f"/procedures/{w.application}/",
    ),
    Route(
        "page case", lambda w: f"/procedures/{w.application}/", Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page case step", lambda w: f"/procedures/{w.application}/step/registered/",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page case extend", lambda w: f"/procedures/{w.application}/extend/",
        Capability.RUN_PROCEDURES, "LT",
    ),
    # procedures: return cases, readmission requests and passenger lists, as for asylum cases
    Route(
        "api returns", lambda w: "/api/procedures/returns", Capability.RUN_PROCEDURES, "LT",
        lambda w: f'"id": {w.return_case},',
    ),
    Route(
        "api return", lambda w: f"/api/procedures/returns/{w.return_case}",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "api return timeline", lambda w: f"/api/procedures/returns/{w.return_case}/timeline",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "api return flight", lambda w: f"/api/procedures/return-flights/{w.flight}",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page returns", lambda w: f"/procedures/returns/?day={DAY}", Capability.RUN_PROCEDURES,
        "LT", lambda w: f"/procedures/returns/{w.return_case}/",
    ),
    Route(
        "page return", lambda w: f"/procedures/returns/{w.return_case}/",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page return step", lambda w: f"/procedures/returns/{w.return_case}/step/absconded/",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page return detention",
        lambda w: f"/procedures/returns/{w.return_case}/detention-start/",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page readmission step",
        lambda w: f"/procedures/returns/readmission/{w.readmission}/step/identity_confirmed/",
        Capability.RUN_PROCEDURES, "LT",
    ),
    Route(
        "page return flight", lambda w: f"/procedures/returns/flights/{w.flight}/",
        Capability.RUN_PROCEDURES, "LT", lambda w: f"/procedures/returns/{w.return_case}/",
    ),
    # linkage: possible duplicates and the review queue, the owning state's reviewers only;
    # another state's record (a pair from PL's search) to PL's experts, as Eurodac's fields
    Route(
        "api duplicates", lambda w: "/api/linkage/duplicates?name=Ali+Hassan",
        Capability.REGISTER_PERSONS, "LT", lambda w: w.lt_reference,
    ),
    Route(
        "page duplicate check", lambda w: "/linkage/check/?name=Ali+Hassan",
        Capability.REGISTER_PERSONS, "LT", _person_link,
    ),
    Route(
        "page pair queue", lambda w: "/linkage/?status=proposed", Capability.REGISTER_PERSONS,
        "LT", lambda w: f"/linkage/pairs/{w.lt_pair}/", also=_lt_reviewer,
    ),
    Route(
        "page pair", lambda w: f"/linkage/pairs/{w.lt_pair}/", Capability.REGISTER_PERSONS,
        "LT", also=_lt_reviewer,
    ),
    Route(
        "api pairs", lambda w: "/api/linkage/pairs", Capability.REGISTER_PERSONS, "LT",
        lambda w: f'"id": {w.lt_pair},', also=_lt_reviewer,
    ),
    Route(
        "api pair", lambda w: f"/api/linkage/pairs/{w.lt_pair}", Capability.REGISTER_PERSONS,
        "LT", also=_lt_reviewer,
    ),
    Route(
        "page cross-state pair", lambda w: f"/linkage/pairs/{w.pl_pair}/",
        Capability.VERIFY_HITS, "PL", lambda w: w.lt_reference,
        cross_state_audit=(Action.PAIR_VIEW, "LT"),
    ),
    Route(
        "api cross-state pair", lambda w: f"/api/linkage/pairs/{w.pl_pair}",
        Capability.VERIFY_HITS, "PL", lambda w: w.lt_reference,
        cross_state_audit=(Action.PAIR_VIEW, "LT"),
    ),
]  # fmt: skip


def _today() -> dt.date:
    """Persons registered without an apprehension event count on the day they were registered."""
    return timezone.localdate()


def _png() -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.full((64, 64), 128, dtype=np.uint8)).save(out, "PNG")
    return out.getvalue()


def build_world(make_user: Callable[..., User]) -> World:
    officer_lt = make_user(Role.REGISTRATION_OFFICER, "LT", username="w.officer.lt")
    officer_pl = make_user(Role.REGISTRATION_OFFICER, "PL", username="w.officer.pl")
    lt = new_person(officer_lt, "LT")
    add_document(officer_lt, lt.pk, doc_type="passport", number="A1234567", issuing_country="IQ")
    set_photo(officer_lt, lt.pk, "face.png", _png())
    lt_set = synthetic_set(lt, subject=1, impression=0)
    finger = Finger.objects.get(fingerprint_set=lt_set, position=1)
    finger.image.save(f"matrix-{lt_set.pk}.png", ContentFile(_png()), save=True)
    pl = new_person(officer_pl, "PL")
    pl_set = synthetic_set(pl, subject=1, impression=1)
    request = IdentificationRequest.objects.create(
        fingerprint_set=pl_set, member_state="PL", threshold=0.02, status="done"
    )
    hit = Hit.objects.create(
        request=request, person=pl, candidate=lt, candidate_set=lt_set, rank=1, score=0.6,
        fmr=1e-7, status=HitStatus.CONFIRMED, decided_at=timezone.now(),
    )  # fmt: skip
    lt2 = new_person(officer_lt, "LT")
    pending = Hit.objects.create(
        request=request, person=pl, candidate=lt2, rank=2, score=0.5,
        fmr=1e-6,
    )  # fmt: skip
    facility = save_facility(
        None, "lt-matrix", member_state="LT", name="Matrix centre", kind="reception_centre",
        latitude=54.9, longitude=25.3, capacity_single_men=5, capacity_single_women=5,
        capacity_families=5, capacity_unaccompanied_minors=1, medical=False, interpreters=True,
        capacity_is_estimate=True, source_note="test",
    )  # fmt: skip
    place(None, person_id=lt.pk, facility_id=facility.pk, start_date=DAY)
    proposal = PlacementProposal.objects.create(member_state="LT", day=DAY, status="done")
    capture = CaptureJob.objects.create(
        person=lt, member_state="LT", status="failed", created_by=officer_lt,
        files={"1": {"name": "f1.png", "stored": "x", "positions": [1]}},
        errors={"finger_2": "Right index: refused."},
    )  # fmt: skip
    application = make_application(None, person_id=lt.pk, made_on=DAY)
    returns = procedures_services.decide_return(
        None, person_id=lt.pk, decided_on=DAY, country="IQ", kind="forced",
        decision_text="Return decision.", risk_of_absconding=True,
    )  # fmt: skip
    readmission = procedures_services.send_readmission(None, returns.pk, on=DAY)
    for target in ("identity_confirmed", "travel_document"):
        procedures_services.advance_readmission(None, readmission.pk, target, on=DAY)
    flight = procedures_services.plan_flight(
        None, member_state="LT", kind="charter", departs_on=DAY, route="VNO-EBL", country="IQ",
        seats=5,
    )  # fmt: skip
    procedures_services.board(None, flight.pk, returns.pk)
    readmission = procedures_services.send_readmission(
        None, procedures_services.decide_return(
            None, person_id=lt2.pk, decided_on=DAY, country="IQ", kind="forced",
            decision_text="Return decision.", risk_of_absconding=True,
        ).pk, on=DAY,
    )  # fmt: skip
    evidence = {"score": 0.9, "confidence": 0.9, "fingerprints": "not_compared"}
    lt_pair = CandidatePair.objects.create(
        member_state="LT", person_id=lt.pk, other_id=lt2.pk, other_state="LT",
        outcome="candidate", **evidence,
    )  # fmt: skip
    pl_pair = CandidatePair.objects.create(
        member_state="PL", person_id=pl.pk, other_id=lt.pk, other_state="LT",
        outcome="corroborated", status="referred", **evidence,
    )  # fmt: skip
    return World(
        lt.pk, lt.reference, lt_set.pk, finger.pk, pl.pk, request.pk, hit.pk, facility.pk,
        proposal.pk, pending.pk, pl.reference, capture.pk, application.pk, returns.pk,
        readmission.pk, flight.pk, lt_pair.pk, pl_pair.pk,
    )  # fmt: skip


VIEWERS = [Viewer(role, "") for role in sorted(ALL_STATES_ROLES)] + [
    Viewer(role, state)
    for role in Role
    if role not in ALL_STATES_ROLES
    for state in ("LT", "PL", "LV")
]


def _reads(user: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(actor=user, action__in=[str(a) for a in READS]))


@pytest.mark.parametrize("viewer", VIEWERS, ids=lambda v: f"{v.role}-{v.state or 'EU'}")
def test_role_by_member_state_over_every_personal_data_route(
    viewer: Viewer, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    world = build_world(make_user)
    user = make_user(viewer.role, viewer.state)
    client = client_for(user)
    problems: list[str] = []
    for route in ROUTES:
        before = len(_reads(user))
        response = client.get(route.path(world))
        body = b"".join(response) if response.streaming else response.content
        marker = route.marker(world).encode() if route.marker else None
        allowed = route.allowed(viewer)
        if allowed:
            if response.status_code != 200 or (marker is not None and marker not in body):
                problems.append(f"{route.name}: refused ({response.status_code}), may read")
                continue
        else:
            leaked = response.status_code == 200 and (marker is None or marker in body)
            if leaked or response.status_code >= 500:
                problems.append(f"{route.name}: answered {response.status_code}, may not read")
            continue
        new = _reads(user)[: len(_reads(user)) - before]
        owner = _owner_other_than(viewer, route)
        if route.cross_state_audit is not None and owner:
            action = route.cross_state_audit[0]
            if not any(e.action == action and e.member_state == owner for e in new):
                problems.append(f"{route.name}: cross-state read of {owner} not audited")
        if not owner and any(e.member_state == viewer.state for e in new):
            problems.append(f"{route.name}: own-state read audited as cross-state")
    assert not problems, "\n".join(problems)


def _owner_other_than(viewer: Viewer, route: Route) -> str:
    """Which other state's record a permitted read returns ("" when only the viewer's own)."""
    if route.cross_state_audit is None:
        return ""
    owner = route.cross_state_audit[1]
    if owner == "*":  # a hit: the other side of it from where the viewer stands
        owner = "LT" if viewer.state == "PL" else "PL"
    return "" if owner == viewer.state else owner


def test_the_matrix_covers_every_personal_data_route() -> None:
    """A new personal-data route must join ROUTES: every registration URL and API read of a
    record is named here, so one added without a row fails."""
    from django.urls import get_resolver

    names = {r.name for r in ROUTES}
    assert len(names) == len(ROUTES)
    pages = {
        p.name
        for p in get_resolver("borderwatch.registration.urls").url_patterns
        if hasattr(p, "name")
    }
    covered_pages = {
        "person", "set", "finger_image", "identification", "hit", "shared", "registrations",
        "progress", "review", "capture_job", "capture_progress", "erase",
    }  # fmt: skip
    writes_or_queues = {
        "group", "add_document", "capture", "recapture", "identify", "decide",
    }  # fmt: skip
    assert pages <= covered_pages | writes_or_queues, pages - covered_pages - writes_or_queues
    audit_pages = {
        p.name for p in get_resolver("borderwatch.audit.urls").url_patterns if hasattr(p, "name")
    }
    assert audit_pages == {"entries", "export", "person", "record", "record_json"}
    assert {"page audit trail", "page audit export", "page access log", "page subject access",
            "page subject access json"} <= names  # fmt: skip
