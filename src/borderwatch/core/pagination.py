"""Pages of API lists, cut in the database: never more rows read than the page holds.

Every list walks one stable order: a few fields, all in the same direction, ending in `id` so
that no two rows tie. Two ways through it:

- `limit` and `offset` (with the total `count`): for existing clients and short lists;
- `cursor` (keyset pagination), for lists that grow to national scale (events, persons): a page's
  `next_cursor` is the last row's key, signed so that it is opaque and cannot be forged or
  mistaken for another list's; the next page is the rows after that key (an index seek, not a
  scan of the rows before). Rows added or removed meanwhile never shift a page: no gaps, no
  repeats. A cursor that is not one of this list's is an `InvalidCursor` (400 in the API).

Pages for people (`window`) walk the same keys both ways, older and newer, so that a list of
ten million events pages at the same speed on its last page as on its first. A list whose
total can be read from kept counts passes `count` (events: the daily rollups) instead of
counting its rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)

CURSOR_SALT = "borderwatch.api.cursor"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1  # past any list this system holds, inside every database's integers


class InvalidCursor(ValueError):
    """A `cursor` parameter that is not a position in this list (tampered, truncated, or another
    list's). `param` names the query parameter for the error body."""

    def __init__(self, message: str, param: str = "cursor") -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page: its rows, the total (None on a cursor page: counting a national list on every
    page would cost what the cursor saves), and the cursor of the next page (None at the end)."""

    items: list[M]
    count: int | None
    next_cursor: str | None


def _fields(order: tuple[str, ...]) -> tuple[list[str], bool]:
    names = [f.lstrip("-") for f in order]
    descending = {f.startswith("-") for f in order}
    if len(descending) != 1 or names[-1] != "id":
        raise ValueError(f"a keyset order runs one way and ends in id: {order}")
    return names, descending.pop()


def _encode(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def encode_cursor(name: str, key: list[object]) -> str:
    """The signed, opaque cursor of the position `key` in the list called `name`."""
    return signing.dumps({"l": name, "k": [_encode(v) for v in key]}, salt=CURSOR_SALT)


def decode_cursor(model: type[Model], name: str, fields: list[str], cursor: str) -> list[Any]:
    """The key a cursor holds, checked: this list's, and each value of its field's type."""
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
    except signing.BadSignature:
        raise InvalidCursor(_("not a cursor this API gave out: start again without it")) from None
    if not isinstance(data, dict) or data.get("l") != name:
        raise InvalidCursor(_("a cursor of another list: start again without it"))
    raw = data.get("k")
    if not isinstance(raw, list) or len(raw) != len(fields):
        raise InvalidCursor(_("not a cursor this API gave out: start again without it"))
    try:
        return [_field(model, f).to_python(v) for f, v in zip(fields, raw, strict=True)]
    except (ValidationError, TypeError, ValueError):
        raise InvalidCursor(_("not a cursor this API gave out: start again without it")) from None


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise ValueError(f"{name} is not a column of {model.__name__}")
    return field


def _after(fields: list[str], key: list[Any], descending: bool) -> Q:
    """Rows strictly after `key` in the order (a, b, id): a > x, or a = x and b > y, or ...;
    led by a >= x, which the same rows meet, so that the database seeks the index to the
    cursor instead of filtering every row before it (a page deep in 10 million events)."""
    op = "lt" if descending else "gt"
    condition = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{name}__{op}": key[i]})
        for earlier, value in zip(fields[:i], key[:i], strict=True):
            step &= Q(**{earlier: value})
        condition |= step
    return Q(**{f"{fields[0]}__{op}e": key[0]}) & condition


def paginate(
    queryset: QuerySet[M],
    *,
    name: str,
    order: tuple[str, ...],
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    cursor: str | None = None,
    count: Callable[[], int] | None = None,
) -> Page[M]:
    """A page of `queryset` in `order` (e.g. ("-occurred_at", "-id")): by `cursor` when given
    (keyset), else by `offset` with the total count. `name` ties a cursor to its list.

    The queryset keeps its select_related/prefetch_related: the related rows of the page come
    in one query each, whatever the page's size. `count`: the total where it is kept (else the
    rows are counted)."""
    fields, descending = _fields(order)
    limit = max(1, min(limit, MAX_LIMIT))
    qs = queryset.order_by(*order)
    total: int | None = None
    if cursor:
        if offset:
            raise InvalidCursor(_("give either cursor or offset, not both"), param="offset")
        key = decode_cursor(queryset.model, name, fields, cursor)
        rows = list(qs.filter(_after(fields, key, descending))[: limit + 1])
    else:
        rows = list(qs[offset : offset + limit + 1])
        if len(rows) <= limit and (rows or not offset):
            total = offset + len(rows)
        else:
            total = count() if count is not None else qs.count()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = encode_cursor(name, [getattr(last, f) for f in fields])
    return Page(items=rows, count=total, next_cursor=next_cursor)


@dataclass(frozen=True)
class Window(Generic[M]):
    """A page of a list for people: its rows and the cursors of the pages before (`newer`) and
    after (`older`) it, None where there is none."""

    items: list[M]
    newer: str | None
    older: str | None


def window(
    queryset: QuerySet[M],
    *,
    name: str,
    order: tuple[str, ...],
    limit: int = 50,
    after: str | None = None,
    before: str | None = None,
) -> Window[M]:
    """The rows after the cursor `after` (the next page), or before the cursor `before` (the
    previous one), or the first page: each an index seek, at any depth."""
    fields, descending = _fields(order)
    qs = queryset.order_by(*order)
    if after:
        key = decode_cursor(queryset.model, name, fields, after)
        rows = list(qs.filter(_after(fields, key, descending))[: limit + 1])
        more_before, more_after = True, len(rows) > limit
        rows = rows[:limit]
    elif before:
        key = decode_cursor(queryset.model, name, fields, before)
        backwards = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order)
        rows = list(
            queryset.order_by(*backwards).filter(_after(fields, key, not descending))[: limit + 1]
        )
        more_before, more_after = len(rows) > limit, True
        rows = rows[:limit][::-1]
    else:
        rows = list(qs[: limit + 1])
        more_before, more_after = False, len(rows) > limit
        rows = rows[:limit]

    def key_of(row: M) -> str:
        return encode_cursor(name, [getattr(row, f) for f in fields])

    return Window(
        items=rows,
        newer=key_of(rows[0]) if rows and more_before else None,
        older=key_of(rows[-1]) if rows and more_after else None,
    )
