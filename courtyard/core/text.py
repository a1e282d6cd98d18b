"""Limits on free text people type (topic bodies, request descriptions, comments, notes).

Checked in the services, so a page, the API and Open311 refuse the same way: a clear message naming
the limit and the length received, and nothing stored. PostgreSQL would otherwise refuse an
over-long title with a DataError (a 500), and an unbounded text field would take any size."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TITLE_MAX = 120
BODY_MAX = 10_000  # a topic's description, a document's text
DESCRIPTION_MAX = 5_000  # a request's description
COMMENT_MAX = 2_000  # comments, notes on a step


def within(value: str, *, limit: int, what: str) -> str:
    """`value` unchanged when it has at most `limit` characters; else a ValidationError in plain words."""
    value = value or ""
    if len(value) > limit:
        raise ValidationError(
            _("%(what)s is too long: %(count)s characters, at most %(limit)s. Shorten it and send it again.")
            % {"what": what, "count": len(value), "limit": limit}, code="too_long")
    return value
