"""Natural order of names: 1栋, 2栋, …, 10栋, 11栋 (not 1, 10, 11, 2) and 第7网格 before 第10网格.

`natural_key()` is the pure rule; `NaturalKey(expr)` is the same rule in SQL so a queryset can be
ordered (and keyset-paginated) by it: a registered function on SQLite, a regexp expression on
PostgreSQL. Both produce the same text key (every run of digits left-padded to 12 places)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.forms.models import ModelChoiceIterator

T = TypeVar("T")
PAD = 12
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only, like the SQL twin


def natural_key(value) -> str:
    """A text key whose plain ordering is the natural ordering of `value` (digits compared as numbers)."""
    if value is None:
        return ""
    return _DIGITS.sub(lambda m: m.group(0).lstrip("0").rjust(PAD, "0") if len(m.group(0)) <= PAD
                       else m.group(0), str(value))


def natural_sorted(items: Iterable[T], key: Callable[[T], object] = lambda x: x) -> list[T]:
    """Items sorted naturally by key(item) (str() of it), e.g. places by name."""
    return sorted(items, key=lambda item: natural_key(key(item)))


# Each digit run (up to 12 digits, leading zeros dropped) padded to 12 places; text runs unchanged.
_PG_TEMPLATE = (
    "(SELECT coalesce(string_agg(CASE WHEN m.p[1] ~ '^[0-9]' AND length(m.p[1]) <= 12 "
    "THEN lpad(ltrim(m.p[1], '0'), 12, '0') ELSE m.p[1] END, '' ORDER BY m.n), '') "
    "FROM regexp_matches(%(expressions)s, '([0-9]+|[^0-9]+)', 'g') WITH ORDINALITY AS m(p, n))"
)


class NaturalKey(models.Func):
    """SQL twin of natural_key(): ORDER BY NaturalKey("name")."""

    output_field = models.CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="cy_natural_key", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = _PG_TEMPLATE
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError("NaturalKey supports SQLite and PostgreSQL")
        return super().as_sql(compiler, connection, **extra)


@receiver(connection_created)
def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("cy_natural_key", 1, natural_key, deterministic=True)


def tree_sorted(places: Iterable[T]) -> list[T]:
    """Places (anything with pk, parent_id, name) parent first, siblings in natural order of name.
    A place whose parent is not in the list starts its own branch."""
    items = list(places)
    by_id = {p.pk: p for p in items}
    memo: dict = {}

    def key(p) -> tuple:
        if p.pk not in memo:
            parent = by_id.get(p.parent_id)
            memo[p.pk] = (key(parent) if parent is not None else ()) + (natural_key(p.name),)
        return memo[p.pk]

    return sorted(items, key=key)


class _SortedChoiceIterator(ModelChoiceIterator):
    sort: Callable = staticmethod(list)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.sort(self.queryset):
            yield self.choice(obj)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


def sort_choices(field, sort: Callable[[Iterable], list]) -> None:
    """Shows a ModelChoiceField's options in Python order, e.g. sort_choices(f, tree_sorted) or
    sort_choices(f, lambda qs: natural_sorted(qs, key=str)). Validation still uses the queryset."""
    field.iterator = type("SortedChoiceIterator", (_SortedChoiceIterator,), {"sort": staticmethod(sort)})
    field.widget.choices = field.choices
