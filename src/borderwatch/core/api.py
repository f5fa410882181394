"""Schemas the API routers share: the error body and the page of a list (core.pagination)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from borderwatch.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET


class ErrorOut(Schema):
    """Every API error (4xx and 5xx): `detail` names the problem, as text, a list of texts, or
    {field or parameter: [texts]} for bad input; `request_id` is the X-Request-ID to quote."""

    detail: Any = Field(description="text, list of texts, or {field: [texts]}")
    request_id: str | None = Field(None, description="the X-Request-ID of the request")


class PageIn(Schema):
    """Limit/offset paging of a short list."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="rows per page")
    # bounded so that no database is asked for a row number past its integer range
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip")


class CursorPageIn(PageIn):
    """Paging of a long list: follow `next_cursor` (keyset; fast at any depth), or use offset."""

    cursor: str | None = Field(
        None, description="the next_cursor of the previous page; not with offset"
    )
