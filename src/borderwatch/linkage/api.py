"""Linkage API: GET /api/linkage/duplicates — possible duplicates before a person is saved."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from borderwatch.core.permissions import current_user
from borderwatch.linkage import selectors

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
