"""The Eurodac side of an asylum procedure (recast Eurodac Reg. 2024/1358): the procedures app
calls these, after its own role and state checks, inside its own transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from borderwatch.core import audit
from borderwatch.core.audit import Action
from borderwatch.core.permissions import check
from borderwatch.core.roles import Capability
from borderwatch.registration.models import EurodacCategory, Person

if TYPE_CHECKING:
    from borderwatch.accounts.models import User


def _person(actor: User | None, person_id: int) -> Person:
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise ValidationError(_("Person #%(id)s does not exist.") % {"id": person_id})
    if actor is not None:
        check(actor, Capability.RUN_PROCEDURES, person.member_state)
    return person


def record_applicant(actor: User | None, person_id: int, on: dt.date) -> Person:
    """Lodging: the record becomes category 1, keeping the category it had (2: the earlier
    apprehension) so that both data sets stay linked. Idempotent for an applicant already."""
    person = _person(actor, person_id)
    if person.eurodac_category == EurodacCategory.APPLICANT and person.applicant_since:
        return person
    old = {"eurodac_category": person.eurodac_category}
    person.previous_category = person.eurodac_category
    person.eurodac_category = EurodacCategory.APPLICANT
    person.applicant_since = on
    person.save(update_fields=["previous_category", "eurodac_category", "applicant_since"])
    audit.record(
        actor,
        Action.PERSON_EURODAC_APPLICANT,
        person,
        member_state=person.member_state,
        old=old,
        new={"eurodac_category": 1, "previous_category": person.previous_category, "on": on},
    )
    return person


def mark_protection(actor: User | None, person_id: int, on: dt.date) -> Person:
    """Protection granted: the record is marked (art 31), the day kept."""
    person = _person(actor, person_id)
    person.protection_granted_on = on
    person.save(update_fields=["protection_granted_on"])
    audit.record(
        actor,
        Action.PERSON_EURODAC_PROTECTION,
        person,
        member_state=person.member_state,
        new={"protection_granted_on": on},
    )
    return person


def record_scenario_applicants(lodged: dict[int, dt.date], protected: dict[int, dt.date]) -> int:
    """The demo scenario's applicants in a few statements (the system acts; synthetic persons
    only): category 1 from the lodging day, protection marked where granted."""
    people = list(Person.objects.filter(pk__in=list(lodged), synthetic=True))
    for p in people:
        p.previous_category = p.eurodac_category
        p.eurodac_category = EurodacCategory.APPLICANT
        p.applicant_since = lodged[p.pk]
        p.protection_granted_on = protected.get(p.pk)
    fields = ["previous_category", "eurodac_category", "applicant_since", "protection_granted_on"]
    Person.objects.bulk_update(people, fields, batch_size=500)
    audit.record_many(
        None,
        Action.PERSON_EURODAC_APPLICANT,
        (
            audit.Entry(
                p,
                member_state=p.member_state,
                new={"eurodac_category": 1, "previous_category": p.previous_category},
            )
            for p in people
        ),
    )
    return len(people)
