"""The fingerprint expert's decision on a hit, through the hit workflow (registration.workflow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.registration.models import Hit, HitStatus, PersonLink
from borderwatch.registration.workflow import HIT

if TYPE_CHECKING:
    from borderwatch.accounts.models import User

MAX_REASON = 300  # Hit.reason's length


@transaction.atomic
def decide_hit(actor: User, hit_id: int, *, confirm: bool, reason: str = "") -> Hit:
    """A fingerprint expert of the searching state confirms or rejects a pending hit.

    A confirmed hit links the two records; the other state then sees it (selectors).
    """
    check(actor, Capability.VERIFY_HITS)  # the role first: the same answer for any id
    hit = Hit.objects.select_for_update().select_related("request").filter(pk=hit_id).first()
    if hit is None or actor.member_state != hit.request.member_state:
        raise Hit.DoesNotExist(f"Hit {hit_id} not found.")  # only the searching state decides
    state = hit.request.member_state
    check(actor, Capability.VERIFY_HITS, state)
    if not HIT.from_state(hit.status):  # a decided hit is final
        raise ValidationError(
            {
                "status": _("The hit was already confirmed.")
                if hit.status == HitStatus.CONFIRMED
                else _("The hit was already rejected.")
            }
        )
    target = HitStatus.CONFIRMED if confirm else HitStatus.REJECTED
    reason = reason.strip()
    if HIT.find(hit.status, target).needs_reason and not reason:
        raise ValidationError({"reason": _("Say why the hit is rejected.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("At most %(count)s characters.") % {"count": MAX_REASON}}
        )
    decided = {"decided_by": actor, "decided_at": timezone.now(), "reason": reason}
    HIT.apply(actor, hit, target, member_state=state, reason=reason, also=decided)
    linked = PersonLink.objects.filter(
        Q(person_id=hit.person_id, other_id=hit.candidate_id)
        | Q(person_id=hit.candidate_id, other_id=hit.person_id)
    ).exists()
    if confirm and not linked:
        PersonLink.objects.create(person_id=hit.person_id, other_id=hit.candidate_id, hit=hit)
    return hit
