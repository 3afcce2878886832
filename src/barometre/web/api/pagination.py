"""Pages of a list: `limit` (at most `MAX_PAGE_SIZE`) and `offset`, with the total and the
links to the next and previous pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from barometre.web.api.schemas import PageLinks, PageQuery

T = TypeVar("T")


def _link(request: HttpRequest, limit: int, offset: int) -> str:
    return f"{request.path}?{urlencode({'limit': limit, 'offset': offset})}"


def page_of(
    request: HttpRequest,
    rows: QuerySet | Sequence[Any],
    query: PageQuery,
    serialize: Callable[[Any], T],
) -> dict[str, Any]:
    """One page of `rows`: its entries serialized, the total and the links."""
    total = rows.count() if isinstance(rows, QuerySet) else len(rows)
    limit, offset = query.limit, query.offset
    items = [serialize(row) for row in rows[offset : offset + limit]]
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "links": PageLinks(
            self=_link(request, limit, offset),
            next=_link(request, limit, offset + limit) if offset + limit < total else None,
            previous=_link(request, limit, max(0, offset - limit)) if offset > 0 else None,
        ),
    }
