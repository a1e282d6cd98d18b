"""Keyset ("seek") pagination: a page is the next N rows after the last row seen, found through the
ordering's index, so page 300 costs what page 1 costs and no COUNT(*) runs over the whole table.

The ordering must be total (end with a unique key such as "pk"); each key is a field name or an
expression, "-" in front for descending. The cursor in the URL carries the boundary row's key
values (base64 JSON); a cursor that does not decode is treated as "first page" (never a 500)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import BaseExpression, RawSQL

COUNT_CAP = 1000  # the page says "1,000+ rows" beyond this: counting is bounded too


@dataclass(frozen=True)
class Key:
    alias: str
    expression: BaseExpression
    descending: bool


def keys_of(ordering) -> list[Key]:
    keys = []
    for i, item in enumerate(ordering):
        descending = False
        if isinstance(item, str):
            descending = item.startswith("-")
            expression = F(item.lstrip("-"))
        elif isinstance(item, tuple):  # (expression, descending)
            expression, descending = item
        else:
            expression = item
        keys.append(Key(f"_k{i}", expression, descending))
    return keys


def encode_cursor(values) -> str:
    raw = json.dumps(list(values), default=str, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str | None, n: int) -> list | None:
    if not text:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != n or any(isinstance(v, (list, dict)) for v in values):
        return None
    return values


def _after(keys: list[Key], values: list, backwards: bool) -> Q:
    """Rows strictly after (or before) `values` in the keys' order: (a > x) | (a = x & b > y) | …,
    with a leading a >= x so PostgreSQL can start an index range scan."""
    q = Q(pk__in=[])
    for i in reversed(range(len(keys))):
        k = keys[i]
        op = "lt" if k.descending != backwards else "gt"
        term = Q(**{f"{k.alias}__{op}": values[i]})
        if i < len(keys) - 1:
            term |= Q(**{k.alias: values[i]}) & q
        q = term
    first = keys[0]
    lead_op = "lte" if first.descending != backwards else "gte"
    return Q(**{f"{first.alias}__{lead_op}": values[0]}) & q


@dataclass
class Page:
    rows: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    count: int | None = None  # capped at COUNT_CAP + 1
    count_capped: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def is_first(self) -> bool:
        return not self.has_previous

    def __iter__(self):  # a template can loop over the page itself, as over a Paginator page
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def paginate(queryset: QuerySet, ordering, *, after: str | None = None, before: str | None = None,
             per_page: int = 50, count: bool = True) -> Page:
    """One page of `queryset` in `ordering`, in one query: the rows, and (count=True) the number of
    matching rows up to COUNT_CAP + 1 as an uncorrelated subquery that the database runs once."""
    keys = keys_of(ordering)
    qs = queryset.annotate(**{k.alias: k.expression for k in keys})
    if count:
        try:
            sql, params = queryset.order_by().values("pk")[: COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # e.g. a filter answered with .none(): nothing to page
            return Page(rows=[], has_next=False, has_previous=False, count=0)
        # The SQL is Django-compiled from the queryset; its values travel as parameters.
        capped = "SELECT COUNT(*) FROM (" + sql + ") AS capped"  # noqa: S608
        qs = qs.annotate(_total=RawSQL(capped, params))  # noqa: S611
    after_values = decode_cursor(after, len(keys))
    before_values = None if after_values is not None else decode_cursor(before, len(keys))
    backwards = before_values is not None
    boundary = after_values if after_values is not None else before_values
    if boundary is not None:
        qs = qs.filter(_after(keys, boundary, backwards))
    order = [("-" + k.alias) if (k.descending != backwards) else k.alias for k in keys]
    rows = list(qs.order_by(*order)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        has_previous, has_next = more, True
    else:
        has_previous, has_next = boundary is not None, more
    page = Page(rows=rows, has_next=has_next and bool(rows), has_previous=has_previous and bool(rows))
    if rows:
        page.next_cursor = encode_cursor(getattr(rows[-1], k.alias) for k in keys)
        page.previous_cursor = encode_cursor(getattr(rows[0], k.alias) for k in keys)
    if count:
        if rows:
            page.count = rows[0]._total
        elif boundary is None:
            page.count = 0
        else:  # a cursor past the end: the rows cannot carry the total
            page.count = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        page.count_capped = page.count > COUNT_CAP
    return page
