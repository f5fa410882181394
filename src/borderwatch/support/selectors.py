"""Reads of the support app, scoped by role and member state.

Frontex and the Commission see every state; a national coordinator sees their own state's
requests, deployments, funding and aid (and the resources their state offers). Support data is
no person's data (officers are counted by profile), but another state's request or funding is
still that state's business: a read of it by someone outside the state is recorded in the audit
trail here (`audit.record_read`), so no page or endpoint can forget it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.border.services import PRESSURE_TYPES
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import can, in_scope
from borderwatch.core.roles import Capability
from borderwatch.support.models import (
    ZERO,
    AssistanceRequest,
    Deployment,
    FundingDecision,
    InKindAid,
    Measure,
    RequestStatus,
    Resource,
    ResourceKind,
    ResourceType,
)

# Coverage thinner than this many deployed officers per 100 km of section counts as thin.
THIN_PER_100_KM = 10.0


def _may_view(user: User) -> bool:
    return can(user, Capability.VIEW_SUPPORT)


def _recorded(user: User, rows: Sequence[object], state_of: str, what: str) -> None:
    audit.record_read(
        user, Action.SUPPORT_VIEW,
        ((r, getattr(r, state_of), {"read": what}) for r in rows),  # type: ignore[misc]
    )  # fmt: skip


# ---- requests and deployments --------------------------------------------------------------


def requests_qs(user: User, status: str = "") -> QuerySet[AssistanceRequest]:
    """The requests the user may see, newest first (not yet read: no audit)."""
    if not _may_view(user):
        return AssistanceRequest.objects.none()
    qs = in_scope(AssistanceRequest.objects.all(), user, "host_state")
    return qs.filter(status=status) if status else qs


def record_requests_read(user: User, rows: Sequence[AssistanceRequest]) -> None:
    """Audit a page of requests that the user has been shown."""
    _recorded(user, rows, "host_state", "request")


def request(user: User, request_id: int) -> AssistanceRequest:
    """One request (DoesNotExist for one the user may not see); the read is audited."""
    found = requests_qs(user).prefetch_related("items", "sections", "facilities").get(pk=request_id)
    record_requests_read(user, [found])
    return found


def request_for_update(actor: User | None, request_id: int) -> AssistanceRequest:
    """The request, locked, for a service (scoped to the actor; None is the system)."""
    qs = AssistanceRequest.objects.all() if actor is None else requests_qs(actor)
    return qs.select_for_update().get(pk=request_id)


def deployment_for_update(actor: User | None, deployment_id: int) -> Deployment:
    qs = Deployment.objects.all()
    if actor is not None:
        qs = qs.filter(request__in=requests_qs(actor))
    return qs.select_for_update().get(pk=deployment_id)


def deployment(user: User, deployment_id: int) -> Deployment:
    """One deployment of a request the user may see (DoesNotExist otherwise), with the
    deployments it replaced and that replaced it; the read of its request is audited."""
    found = (
        Deployment.objects.filter(request__in=requests_qs(user))
        .select_related("request", "resource", "section", "facility", "rotation_of__resource")
        .prefetch_related("rotations__resource")
        .get(pk=deployment_id)
    )
    record_requests_read(user, [found.request])
    return found


def rotation_candidates(user: User, deployment: Deployment, limit: int = 500) -> list[Resource]:
    """Officers or items of the deployment's type that could rotate in: offered on its last day
    and free then (the service checks the whole remaining period)."""
    free = free_resources(user, deployment.resource_type, deployment.ends_on, deployment.ends_on)
    return list(free.exclude(pk=deployment.resource_id).order_by("tag")[:limit])


def deployments(request: AssistanceRequest) -> QuerySet[Deployment]:
    """A request's deployments (the caller has read the request through `request`)."""
    return request.deployments.select_related("resource", "section", "facility").order_by(
        "starts_on", "resource_type", "id"
    )


def resources(user: User, resource_type: str = "") -> QuerySet[Resource]:
    """Offered officers and equipment: Frontex and the Commission see the pool, a coordinator
    their own state's offers."""
    if not _may_view(user):
        return Resource.objects.none()
    qs = in_scope(Resource.objects.all(), user, "contributing_state")
    return qs.filter(resource_type=resource_type) if resource_type else qs


def free_resources(
    user: User, resource_type: str, start: dt.date, end: dt.date
) -> QuerySet[Resource]:
    """Resources of a type offered for the whole period and not deployed during any of it."""
    busy = Deployment.objects.filter(starts_on__lte=end, ends_on__gte=start).values("resource_id")
    return (
        resources(user, resource_type)
        .filter(available_from__lte=start, available_to__gte=end)
        .exclude(pk__in=busy)
    )


@dataclass(frozen=True)
class FillRow:
    resource_type: str
    label: str
    asked: int
    deployed: int

    @property
    def rate(self) -> float:
        """Deployed as a percentage of asked (may pass 100)."""
        return round(100.0 * self.deployed / self.asked, 1) if self.asked else 0.0


def fill_day(request: AssistanceRequest, today: dt.date) -> dt.date:
    """The day a fill rate is judged on by default: today, kept within the plan's period."""
    start = request.plan_from or request.period_from
    end = request.plan_to or request.period_to
    return min(max(today, start), end)


def fill_rate(request: AssistanceRequest, day: dt.date) -> list[FillRow]:
    """Asked vs. deployed on `day`, per officer profile and equipment type (one GROUP BY)."""
    deployed = dict(
        request.deployments.filter(starts_on__lte=day, ends_on__gte=day)
        .order_by()
        .values("resource_type")
        .annotate(n=Count("id"))
        .values_list("resource_type", "n")
    )
    return [
        FillRow(i.resource_type, str(ResourceType(i.resource_type).label), i.number,
                int(deployed.get(i.resource_type, 0)))
        for i in request.items.all()
    ]  # fmt: skip


@dataclass(frozen=True)
class PlaceCount:
    host_state: str
    place: str
    resource_type: str
    label: str
    count: int


def deployed_on(
    user: User, day: dt.date, countries: Sequence[str] | None = None
) -> list[PlaceCount]:
    """Officers and items deployed on a day, counted by host state, place and type (the
    printable overview: counts, never a name)."""
    if not _may_view(user):
        return []
    qs = in_scope(Deployment.objects.filter(starts_on__lte=day, ends_on__gte=day), user,
                  "host_state")  # fmt: skip
    if countries is not None:
        qs = qs.filter(host_state__in=list(countries))
    rows = (
        qs.order_by()
        .values("host_state", "section__name", "facility__name", "resource_type")
        .annotate(n=Count("id"))
        .order_by("host_state", "section__name", "facility__name", "resource_type")
    )
    return [
        PlaceCount(r["host_state"], r["section__name"] or r["facility__name"] or "",
                   r["resource_type"], str(ResourceType(r["resource_type"]).label), r["n"])
        for r in rows
    ]  # fmt: skip


# ---- coverage against pressure -------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    country: str
    code: str
    name: str
    length_km: float
    officers: int
    pressure: int  # persons in pressure events over the window up to the day
    previous: int  # the same over the window before
    level: str
    equipment: int = 0  # items of equipment deployed to the section on the day

    @property
    def officers_per_100_km(self) -> float:
        return round(100.0 * self.officers / self.length_km, 1) if self.length_km else 0.0

    @property
    def pressure_per_km(self) -> float:
        return round(self.pressure / self.length_km, 2) if self.length_km else 0.0

    @property
    def rising(self) -> bool:
        return self.pressure > self.previous

    @property
    def thin(self) -> bool:
        return self.officers_per_100_km < THIN_PER_100_KM

    @property
    def flagged(self) -> bool:
        """Pressure rises while coverage is thin: where more officers are needed."""
        return self.rising and self.thin


def coverage(user: User, day: dt.date, countries: Sequence[str] | None = None) -> list[Coverage]:
    """Deployed officers per section on `day` against the section's pressure (border's
    selectors) over the impact window, compared with the window before."""
    if not _may_view(user):
        return []
    window = settings.IMPACT_WINDOW_DAYS
    start = day - dt.timedelta(days=window - 1)
    before = start - dt.timedelta(days=window)
    sections = list(border_selectors.sections(user, countries=countries))
    deployed: dict[tuple[int, str], int] = {
        (section_id, kind): n
        for section_id, kind, n in in_scope(
            Deployment.objects.filter(starts_on__lte=day, ends_on__gte=day,
                                      section__isnull=False), user, "host_state")
        .order_by().values("section_id", "resource__kind").annotate(n=Count("id"))
        .values_list("section_id", "resource__kind", "n")
    }  # fmt: skip
    pressure: dict[str, int] = defaultdict(int)
    previous: dict[str, int] = defaultdict(int)
    for code, local, n in border_selectors.section_daily_persons(
        user, before, day, countries, list(PRESSURE_TYPES)
    ):
        (pressure if local >= start else previous)[code] += n
    levels = border_selectors.levels_in_force(sections, day)
    return [
        Coverage(s.country_id, s.code, s.name, s.length_km,
                 deployed.get((s.pk, ResourceKind.OFFICER), 0), pressure[s.code],
                 previous[s.code], levels.get(s.pk, ""),
                 deployed.get((s.pk, ResourceKind.EQUIPMENT), 0))
        for s in sections
    ]  # fmt: skip


# ---- funding ---------------------------------------------------------------------------------


def funding_qs(user: User) -> QuerySet[FundingDecision]:
    if not _may_view(user):
        return FundingDecision.objects.none()
    return in_scope(FundingDecision.objects.all(), user, "beneficiary_state")


def funding_row(user: User, funding_id: int) -> StatementRow:
    """One funding decision with its allocations and spending per measure (DoesNotExist for one
    the user may not see); the read is audited."""
    rows = funding_statement(user, funding_id=funding_id)
    if not rows:
        raise FundingDecision.DoesNotExist
    return rows[0]


def funding_for_update(actor: User | None, funding_id: int) -> FundingDecision:
    qs = FundingDecision.objects.all() if actor is None else funding_qs(actor)
    return qs.select_for_update().get(pk=funding_id)


def aid_qs(user: User) -> QuerySet[InKindAid]:
    if not _may_view(user):
        return InKindAid.objects.none()
    return in_scope(InKindAid.objects.all(), user, "beneficiary_state")


def aid_for_update(actor: User | None, aid_id: int) -> InKindAid:
    qs = InKindAid.objects.all() if actor is None else aid_qs(actor)
    return qs.select_for_update().get(pk=aid_id)


@dataclass
class StatementRow:
    decision: FundingDecision
    allocated: dict[str, Decimal] = field(default_factory=dict)
    spent: dict[str, Decimal] = field(default_factory=dict)

    @property
    def allocated_total(self) -> Decimal:
        return sum(self.allocated.values(), ZERO)

    @property
    def spent_total(self) -> Decimal:
        return sum(self.spent.values(), ZERO)

    @property
    def awarded(self) -> Decimal:
        return self.decision.awarded if self.decision.awarded is not None else ZERO

    @property
    def balance(self) -> Decimal:
        """Awarded and not yet spent."""
        return self.awarded - self.spent_total

    @property
    def unallocated(self) -> Decimal:
        return self.awarded - self.allocated_total


MEASURES = [m.value for m in Measure]


def funding_statement(
    user: User, member_state: str = "", *, funding_id: int | None = None
) -> list[StatementRow]:
    """Every visible funding decision with its allocations and spending per measure (two
    GROUP BYs); the read of another state's decisions is audited."""
    qs = funding_qs(user)
    if member_state:
        qs = qs.filter(beneficiary_state=member_state)
    if funding_id is not None:
        qs = qs.filter(pk=funding_id)
    rows = {d.pk: StatementRow(d) for d in qs.order_by("offered_on", "id")}
    for target, model_rows in (
        (
            "allocated",
            qs.values("pk", "allocations__measure").annotate(n=Sum("allocations__amount")),
        ),
        ("spent", qs.values("pk", "payments__measure").annotate(n=Sum("payments__amount"))),
    ):
        for r in model_rows:
            measure = r.get("allocations__measure") or r.get("payments__measure")
            if measure and r["n"] is not None:
                getattr(rows[r["pk"]], target)[measure] = Decimal(r["n"])
    _recorded(user, [r.decision for r in rows.values()], "beneficiary_state", "funding")
    return list(rows.values())


def aid(user: User, member_state: str = "") -> list[InKindAid]:
    qs = aid_qs(user)
    if member_state:
        qs = qs.filter(beneficiary_state=member_state)
    rows = list(qs.order_by("offered_on", "contributing_state", "item", "id"))
    _recorded(user, rows, "beneficiary_state", "aid")
    return rows


# ---- the picture's annotations ---------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A deployment plan or a funding decision in force over a period (for the picture)."""

    day_from: dt.date
    day_to: dt.date | None
    member_state: str
    kind: str
    title: str
    source: str


def facts(
    user: User, start: dt.date, end: dt.date, countries: Sequence[str] | None = None
) -> list[Fact]:
    """Operational plans (agreed, deployed or ended) and funding offers and awards whose day
    or period meets [start, end], within the user's scope."""
    plans = requests_qs(user).filter(
        status__in=[RequestStatus.PLAN_AGREED, RequestStatus.DEPLOYED, RequestStatus.ENDED],
        plan_from__lte=end, plan_to__gte=start,
    )  # fmt: skip
    money = funding_qs(user).filter(
        Q(offered_on__range=(start, end)) | Q(awarded_on__range=(start, end))
    )
    if countries is not None:
        plans = plans.filter(host_state__in=list(countries))
        money = money.filter(beneficiary_state__in=list(countries))
    found = [
        Fact(r.plan_from, r.plan_to, r.host_state, "deployment", r.title, r.plan_reference)
        for r in plans
        if r.plan_from is not None
    ]
    for d in money:
        if start <= d.offered_on <= end:
            found.append(Fact(d.offered_on, d.offered_on, d.beneficiary_state, "funding_offer",
                              f"{d.title}: EUR {d.offered:,.2f}", d.source))  # fmt: skip
        if d.awarded_on is not None and d.awarded is not None and start <= d.awarded_on <= end:
            found.append(Fact(d.awarded_on, d.awarded_on, d.beneficiary_state, "funding_award",
                              f"{d.title}: EUR {d.awarded:,.2f}", d.source))  # fmt: skip
    return found
