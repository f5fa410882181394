"""Assistance requests, resources and deployments: every write, transactional and audited.

A refused write (an impossible move, a deployment outside the plan's period or the resource's
availability, a double booking) raises ValidationError naming the problem and changes nothing.
Double booking is checked with the resource's row locked, so two deployments of one officer
or item cannot both pass the check at the same time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from borderwatch.accounts.models import User
from borderwatch.border import selectors as border_selectors
from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.codes import MEMBER_STATES, member_state_name
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.reception import selectors as reception_selectors
from borderwatch.support import selectors
from borderwatch.support.models import (
    AssistanceRequest,
    Deployment,
    RequestItem,
    RequestStatus,
    Resource,
    ResourceType,
    kind_of,
)
from borderwatch.support.workflow import DEPLOYABLE, FRONTEX_ONLY, REQUEST

MAX_NUMBER = 10_000
MAX_TITLE = 200


def _who(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


def check_manage(actor: User | None, member_state: str, *, frontex_only: bool = False) -> None:
    """MANAGE_SUPPORT for this state: Frontex for any state, a coordinator for their own only
    (and never for a Frontex-only step). None is the system (loader)."""
    if actor is None:
        return
    check(actor, Capability.MANAGE_SUPPORT)
    if actor.sees_all_states:
        return
    if frontex_only:
        raise PermissionDenied(_("Only Frontex may take this step."))
    if actor.member_state != member_state:
        name = member_state_name(member_state)
        raise PermissionDenied(_("You may not act for %(state)s.") % {"state": name})


def _state(code: str, field: str) -> str:
    code = (code or "").strip().upper()
    if code not in MEMBER_STATES:
        raise ValidationError({field: _("“%(code)s” is not a member state.") % {"code": code[:8]}})
    return code


def _period(start: dt.date, end: dt.date, field: str = "period_to") -> None:
    if end < start:
        raise ValidationError(
            {field: _("The period ends (%(end)s) before it starts (%(start)s).")
             % {"end": end.isoformat(), "start": start.isoformat()}}
        )  # fmt: skip


def _items(items: Mapping[str, int]) -> dict[str, int]:
    clean: dict[str, int] = {}
    for code, number in items.items():
        if code not in ResourceType.values:
            raise ValidationError(
                {"items": _("“%(type)s” is not an officer profile or equipment type.")
                 % {"type": str(code)[:30]}}
            )  # fmt: skip
        if not isinstance(number, int) or number < 1 or number > MAX_NUMBER:
            raise ValidationError(
                {"items": _("Ask for between 1 and %(max)d of %(type)s.")
                 % {"max": MAX_NUMBER, "type": ResourceType(code).label}}
            )  # fmt: skip
        clean[code] = number
    if not clean:
        raise ValidationError({"items": _("Ask for at least one officer or item.")})
    return clean


def _sections(host_state: str, codes: Iterable[str]) -> list[int]:
    by_code = border_selectors.sections_by_code()
    ids = []
    for code in codes:
        section = by_code.get(code)
        if section is None or section.country_id != host_state:
            raise ValidationError(
                {"sections": _("Section “%(code)s” is not a section of %(state)s.")
                 % {"code": str(code)[:20], "state": member_state_name(host_state)}}
            )  # fmt: skip
        ids.append(section.pk)
    return ids


def _facilities(host_state: str, ids: Iterable[int], day: dt.date) -> list[int]:
    wanted = list(ids)
    known = set(
        reception_selectors.facilities_open_on(host_state, day)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    for pk in wanted:
        if pk not in known:
            raise ValidationError(
                {"facilities": _("Facility #%(id)s is not a facility of %(state)s open on %(day)s.")
                 % {"id": pk, "state": member_state_name(host_state), "day": day.isoformat()}}
            )  # fmt: skip
    return wanted


@transaction.atomic
def submit_request(
    actor: User | None,
    *,
    host_state: str,
    title: str,
    submitted_on: dt.date,
    period_from: dt.date,
    period_to: dt.date,
    items: Mapping[str, int],
    sections: Iterable[str] = (),
    facilities: Iterable[int] = (),
    synthetic: bool = False,
) -> AssistanceRequest:
    """A host state's coordinator asks Frontex for officers and equipment for a period."""
    host_state = _state(host_state, "host_state")
    if actor is not None:
        check(actor, Capability.REQUEST_SUPPORT, host_state)
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationError({"title": _("Give a title of at most %(n)d characters.")
                               % {"n": MAX_TITLE}})  # fmt: skip
    _period(period_from, period_to)
    clean = _items(items)
    section_ids = _sections(host_state, sections)
    facility_ids = _facilities(host_state, facilities, period_from)
    request = AssistanceRequest.objects.create(
        host_state=host_state, title=title, submitted_on=submitted_on, period_from=period_from,
        period_to=period_to, synthetic=synthetic, created_by=_who(actor),
    )  # fmt: skip
    RequestItem.objects.bulk_create(
        RequestItem(request=request, resource_type=code, number=n) for code, n in clean.items()
    )
    request.sections.set(section_ids)
    request.facilities.set(facility_ids)
    audit.record(
        actor, Action.ASSISTANCE_SUBMIT, request, member_state=host_state,
        new={"title": title, "period_from": period_from, "period_to": period_to, "items": clean,
             "sections": list(sections), "facilities": facility_ids},
    )  # fmt: skip
    return request


@transaction.atomic
def advance_request(
    actor: User | None,
    request_id: int,
    target: str,
    *,
    reason: str = "",
    plan_reference: str = "",
    plan_from: dt.date | None = None,
    plan_to: dt.date | None = None,
) -> AssistanceRequest:
    """Move a request along its workflow; agreeing the plan records its reference and period."""
    request = selectors.request_for_update(actor, request_id)
    check_manage(actor, request.host_state, frontex_only=target in FRONTEX_ONLY)
    also: dict[str, object] = {}
    if target == RequestStatus.PLAN_AGREED:
        if plan_from is None or plan_to is None:
            raise ValidationError({"plan_from": _("Give the operational plan's period.")})
        _period(plan_from, plan_to, "plan_to")
        reference = plan_reference.strip()[:100]
        if not reference:
            raise ValidationError({"plan_reference": _("Give the operational plan's reference.")})
        request.plan_reference, request.plan_from, request.plan_to = reference, plan_from, plan_to
        also = {"plan_reference": reference, "plan_from": plan_from, "plan_to": plan_to}
    if target == RequestStatus.DECLINED:
        also = {"decline_reason": reason.strip()}
    REQUEST.apply(actor, request, target, member_state=request.host_state, reason=reason,
                  also=also)  # fmt: skip
    return request


@transaction.atomic
def offer_resources(
    actor: User | None,
    *,
    contributing_state: str,
    resource_type: str,
    number: int,
    available_from: dt.date,
    available_to: dt.date,
    synthetic: bool = False,
) -> list[Resource]:
    """A contributing state offers `number` officers of one profile (or items of one type) for a
    period; each gets a pseudonymous tag, never a name."""
    state = _state(contributing_state, "contributing_state")
    check_manage(actor, state)
    if resource_type not in ResourceType.values:
        raise ValidationError({"resource_type": _("Choose an officer profile or equipment type.")})
    if not 1 <= number <= MAX_NUMBER:
        raise ValidationError({"number": _("Offer between 1 and %(max)d.") % {"max": MAX_NUMBER}})
    _period(available_from, available_to, "available_to")
    prefix = f"{state}-{resource_type[:4].upper()}-"
    taken = Resource.objects.select_for_update().filter(tag__startswith=prefix).count()
    rows = Resource.objects.bulk_create(
        Resource(
            contributing_state=state, kind=kind_of(resource_type), resource_type=resource_type,
            tag=f"{prefix}{taken + i + 1:04d}", available_from=available_from,
            available_to=available_to, synthetic=synthetic,
        )
        for i in range(number)
    )  # fmt: skip
    if rows and rows[0].pk is None:  # backends without RETURNING (none we run on, but be sure)
        rows = list(Resource.objects.filter(tag__in=[r.tag for r in rows]))
    audit.record_many(
        actor, Action.RESOURCE_OFFER,
        (audit.Entry(r, member_state=state, new=audit.snapshot(
            r, ["tag", "resource_type", "available_from", "available_to"])) for r in rows),
    )  # fmt: skip
    return rows


def _check_deployment(
    request: AssistanceRequest,
    resource: Resource,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    ignore: int = 0,
) -> None:
    """The rules a deployment obeys; the first one broken is the error."""
    if request.status not in DEPLOYABLE:
        raise ValidationError(
            {"request": _("Deploy only once the operational plan is agreed (the request is %(s)s).")
             % {"s": RequestStatus(request.status).label}}
        )  # fmt: skip
    _period(starts_on, ends_on, "ends_on")
    assert request.plan_from is not None and request.plan_to is not None
    if starts_on < request.plan_from or ends_on > request.plan_to:
        raise ValidationError(
            {"starts_on": _("%(start)s to %(end)s is outside the operational plan's period "
                            "(%(pfrom)s to %(pto)s).")
             % {"start": starts_on.isoformat(), "end": ends_on.isoformat(),
                "pfrom": request.plan_from.isoformat(), "pto": request.plan_to.isoformat()}}
        )  # fmt: skip
    if starts_on < resource.available_from or ends_on > resource.available_to:
        raise ValidationError(
            {"resource": _("%(tag)s is offered only from %(afrom)s to %(ato)s.")
             % {"tag": resource.tag, "afrom": resource.available_from.isoformat(),
                "ato": resource.available_to.isoformat()}}
        )  # fmt: skip
    if not request.items.filter(resource_type=resource.resource_type).exists():
        raise ValidationError(
            {"resource": _("The request does not ask for %(type)s.")
             % {"type": ResourceType(resource.resource_type).label}}
        )  # fmt: skip
    clash = (
        Deployment.objects.filter(resource=resource, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .exclude(pk=ignore)
        .select_related("request")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {"resource": _("Double booking: %(tag)s is already deployed from %(start)s to %(end)s "
                           "(%(ref)s).")
             % {"tag": resource.tag, "start": clash.starts_on.isoformat(),
                "end": clash.ends_on.isoformat(), "ref": clash.request.reference}}
        )  # fmt: skip


def _place(
    request: AssistanceRequest, section: str | None, facility_id: int | None, day: dt.date
) -> tuple[int | None, int | None]:
    if section and facility_id:
        raise ValidationError({"section": _("Deploy to a section or a facility, not both.")})
    section_id = _sections(request.host_state, [section])[0] if section else None
    facility = _facilities(request.host_state, [facility_id], day)[0] if facility_id else None
    return section_id, facility


@transaction.atomic
def deploy(
    actor: User | None,
    request_id: int,
    *,
    resource_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    section: str | None = None,
    facility_id: int | None = None,
    synthetic: bool = False,
) -> Deployment:
    """Send one officer or item to the host state's section or facility under the plan."""
    request = selectors.request_for_update(actor, request_id)
    check_manage(actor, request.host_state, frontex_only=True)
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None:
        raise ValidationError({"resource": _("Resource #%(id)s does not exist.")
                               % {"id": resource_id}})  # fmt: skip
    _check_deployment(request, resource, starts_on, ends_on)
    section_id, facility = _place(request, section, facility_id, starts_on)
    deployment = Deployment.objects.create(
        request=request, resource=resource, host_state=request.host_state,
        resource_type=resource.resource_type, section_id=section_id, facility_id=facility,
        starts_on=starts_on, ends_on=ends_on, synthetic=synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.DEPLOYMENT_CREATE, deployment, member_state=request.host_state,
        new=audit.snapshot(deployment, ["request_id", "resource_id", "section_id",
                                        "facility_id", "starts_on", "ends_on"]),
    )  # fmt: skip
    return deployment


@transaction.atomic
def rotate(actor: User | None, deployment_id: int, *, resource_id: int, on: dt.date) -> Deployment:
    """Replace a deployed officer or item from `on`: the first deployment ends the day before,
    the replacement serves the rest of its period at the same place."""
    old = selectors.deployment_for_update(actor, deployment_id)
    request = selectors.request_for_update(actor, old.request_id)
    check_manage(actor, request.host_state, frontex_only=True)
    if not old.starts_on < on <= old.ends_on:
        raise ValidationError(
            {"on": _("A rotation falls after the deployment starts (%(start)s) and by its end "
                     "(%(end)s).") % {"start": old.starts_on.isoformat(),
                                      "end": old.ends_on.isoformat()}}
        )  # fmt: skip
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None or resource.pk == old.resource_id:
        raise ValidationError({"resource": _("Choose another officer or item to rotate in.")})
    if resource.resource_type != old.resource_type:
        raise ValidationError({"resource": _("A rotation replaces like with like (%(type)s).")
                               % {"type": ResourceType(old.resource_type).label}})  # fmt: skip
    _check_deployment(request, resource, on, old.ends_on)
    previous_end = old.ends_on
    old.ends_on = on - dt.timedelta(days=1)
    old.save(update_fields=["ends_on"])
    new = Deployment.objects.create(
        request=request, resource=resource, host_state=old.host_state,
        resource_type=old.resource_type, section_id=old.section_id, facility_id=old.facility_id,
        starts_on=on, ends_on=previous_end, rotation_of=old, synthetic=old.synthetic,
    )  # fmt: skip
    audit.record(
        actor, Action.DEPLOYMENT_ROTATE, new, member_state=old.host_state,
        old={"deployment": old.pk, "resource_id": old.resource_id, "ends_on": previous_end},
        new={"resource_id": resource.pk, "starts_on": on, "ends_on": previous_end,
             "replaced_until": old.ends_on},
    )  # fmt: skip
    return new


@transaction.atomic
def deploy_number(
    actor: User | None,
    request_id: int,
    *,
    resource_type: str,
    number: int,
    starts_on: dt.date,
    ends_on: dt.date,
    section: str | None = None,
    facility_id: int | None = None,
) -> list[Deployment]:
    """Deploy `number` free officers of a profile (or items of a type) at once: all or none."""
    request = selectors.request_for_update(actor, request_id)
    check_manage(actor, request.host_state, frontex_only=True)
    if not 1 <= number <= MAX_NUMBER:
        raise ValidationError({"number": _("Deploy between 1 and %(max)d.") % {"max": MAX_NUMBER}})
    free = list(
        Resource.objects.filter(resource_type=resource_type,
                                available_from__lte=starts_on, available_to__gte=ends_on)
        .exclude(pk__in=Deployment.objects.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
                 .values("resource_id"))
        .order_by("id")
        .values_list("pk", flat=True)[:number]
    )  # fmt: skip
    if len(free) < number:
        raise ValidationError(
            {"number": _("Only %(n)d of %(type)s are free for the whole of %(start)s to %(end)s.")
             % {"n": len(free), "type": ResourceType(resource_type).label
                if resource_type in ResourceType.values else resource_type[:30],
                "start": starts_on.isoformat(), "end": ends_on.isoformat()}}
        )  # fmt: skip
    return [
        deploy(actor, request_id, resource_id=pk, starts_on=starts_on, ends_on=ends_on,
               section=section, facility_id=facility_id)
        for pk in free
    ]  # fmt: skip
