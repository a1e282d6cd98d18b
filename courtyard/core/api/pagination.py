"""Capped pages for every list endpoint."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

from courtyard.core.converters import MAX_DB_INT

MAX_PAGE_SIZE = 200


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` never above MAX_PAGE_SIZE (so a list cannot be pulled in one request, and a
    `limit=2**63` never reaches the database as a LIMIT it cannot hold) and `?offset=` clamped to the
    database's integer range, so huge numbers give an empty page instead of an error."""

    max_limit = MAX_PAGE_SIZE

    def get_offset(self, request):
        return min(super().get_offset(request), MAX_DB_INT)
