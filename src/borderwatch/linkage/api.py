"""Linkage API: possible duplicates before a person is saved; the review queue of candidate
pairs (paged in the database), a pair with its decisions, a decision, duplicate searches.

Thin: parse, call a selector or service, serialise. Scope, audit and rules live below.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from borderwatch.core import pagination
from borderwatch.core.api import PageIn
from borderwatch.core.permissions import current_user
from borderwatch.core.workflow import MAX_REASON
from borderwatch.linkage import selectors, services
from borderwatch.linkage.models import DuplicateRun, PairStatus

router = Router(tags=["linkage"])


class DuplicateOut(Schema):
    id: int
    reference: str
    name_transliterated: str
    name_as_written: str
    date_of_birth: dt.date | None
    sex: str
    nationality: str
    score: float
    reasons: list[str]


@router.get("/duplicates", response=list[DuplicateOut])
def duplicates(
    request: HttpRequest,
    name: str,
    name_as_written: str = "",
    date_of_birth: dt.date | None = None,
    dob_is_estimated: bool = False,
    sex: str = "",
    nationality: str = "",
) -> list[DuplicateOut]:
    """Persons of the user's own state who may be the one being registered (name in any script,
    date of birth exact or estimated, sex, nationality), best first; a proposal to look at,
    never a link. Registration officers only; 422 for a name under 2 or over 200 characters."""
    user = current_user(request)
    if not 2 <= len(name.strip()) <= 200 or len(name_as_written) > 200:
        raise ValidationError({"name": "give 2 to 200 characters"})
    found = selectors.possible_duplicates(
        user,
        name_transliterated=name,
        name_as_written=name_as_written,
        date_of_birth=date_of_birth,
        dob_is_estimated=dob_is_estimated,
        sex=sex,
        nationality=nationality,
    )
    return [DuplicateOut(**{**d.__dict__, "reasons": list(d.reasons)}) for d in found]


class SideOut(Schema):
    """A record of the user's own state, in full."""

    id: int
    reference: str
    name_transliterated: str
    name_as_written: str
    date_of_birth: dt.date | None
    dob_is_estimated: bool
    sex: str
    nationality: str
    eurodac_category: int
    documents: list[str]


class EurodacOut(Schema):
    """Another state's record: Eurodac's fields only (no names, documents or photo)."""

    reference: str
    member_state: str
    eurodac_category: int
    sex: str
    apprehended_on: dt.date | None
    place: str
    fingerprint_set: str
    fingerprinted_at: dt.datetime | None


class DecisionOut(Schema):
    source: str
    target: str
    reason: str
    decided_by: str | None
    decided_at: dt.datetime


class PairOut(Schema):
    id: int
    status: str = Field(description="proposed, same_person, different_persons or referred")
    outcome: str = Field(description="engines.linkage.assess: candidate, corroborated, conflict")
    fingerprints: str = Field(description="not_compared, no_match, hit, confirmed, rejected")
    score: float = Field(description="biographic score (engines.linkage.rank), 0..1")
    confidence: float
    reasons: list[str]
    outcome_reasons: list[str]
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by: str | None
    reason: str
    person: SideOut | None
    other: SideOut | None = Field(description="the other record when it is the user's state's")
    other_eurodac: EurodacOut | None = Field(description="the other record when another state's")

    @staticmethod
    def of(v: selectors.PairView) -> PairOut:
        data = {k: getattr(v, k) for k in PairOut.model_fields if k not in ("person", "other")}
        data["reasons"], data["outcome_reasons"] = list(v.reasons), list(v.outcome_reasons)
        data["other_eurodac"] = v.other_eurodac.__dict__ if v.other_eurodac else None
        for key in ("person", "other"):
            side = getattr(v, key)
            data[key] = {**side.__dict__, "documents": list(side.documents)} if side else None
        return PairOut(**data)


class PairDetailOut(PairOut):
    decisions: list[DecisionOut]
    moves: list[str] = Field(description="the decisions open to this user")


class PairPageOut(Schema):
    items: list[PairOut]
    count: int | None
    next_cursor: str | None


class DecisionIn(Schema):
    decision: str = Field(description="same_person, different_persons or referred")
    reason: str = Field(min_length=1, max_length=MAX_REASON)


class RunOut(Schema):
    id: int
    member_state: str
    status: str
    progress: int
    stage: str
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    persons: int
    compared: int
    proposed: int
    error: str

    @staticmethod
    def of(run: DuplicateRun) -> RunOut:
        return RunOut(**{k: getattr(run, k) for k in RunOut.model_fields})


@router.get("/pairs", response=PairPageOut)
def list_pairs(request: HttpRequest, page: Query[PageIn], status: str = "") -> PairPageOut:
    """The review queue of the user's state, most likely first (registration roles and
    fingerprint experts; other states' records only to experts, as Eurodac's fields, each read
    audited). 422 for an unknown status."""
    user = current_user(request)
    if status and status not in PairStatus.values:
        raise ValidationError({"status": f"one of {', '.join(PairStatus.values)}"})
    if not selectors.may_review(user):
        raise PermissionDenied("Your role may not review possible duplicates.")
    found = pagination.paginate(
        selectors.pairs(user, status),
        name="linkage.pairs",
        order=("-confidence", "-id"),
        **page.dict(),
    )
    return PairPageOut(
        items=[PairOut.of(v) for v in selectors.pair_views(user, found.items)],
        count=found.count,
        next_cursor=found.next_cursor,
    )


def _detail(request: HttpRequest, pair_id: int) -> PairDetailOut:
    detail = selectors.pair(current_user(request), pair_id)
    return PairDetailOut(
        **PairOut.of(detail.view).dict(),
        decisions=[
            DecisionOut(
                source=d.source, target=d.target, reason=d.reason, decided_at=d.decided_at,
                decided_by=d.decided_by.get_username() if d.decided_by else None,
            )
            for d in detail.decisions
        ],
        moves=[str(t.target) for t in detail.moves],
    )  # fmt: skip


@router.get("/pairs/{int:pair_id}", response=PairDetailOut)
def get_pair(request: HttpRequest, pair_id: int) -> PairDetailOut:
    """One pair side by side with its decisions (404 for another state's)."""
    return _detail(request, pair_id)


@router.post("/pairs/{int:pair_id}/decision", response=PairDetailOut)
def decide(request: HttpRequest, pair_id: int, payload: DecisionIn) -> PairDetailOut:
    """Decide a pair with a reason (workflow.PAIR: who may make which move); audited."""
    services.decide(current_user(request), pair_id, payload.decision, payload.reason)
    return _detail(request, pair_id)


@router.post("/runs", response={202: RunOut})
def start_run(request: HttpRequest) -> Status[RunOut]:
    """Search the user's state's persons for new pairs (a background task; poll the run)."""
    return Status(202, RunOut.of(services.request_run(current_user(request))))


@router.get("/runs/{int:run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> RunOut:
    return RunOut.of(selectors.run(current_user(request), run_id))
