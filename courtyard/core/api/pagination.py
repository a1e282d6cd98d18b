"""Capped pages for every list endpoint."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 200
# Larger offsets overflow a 64-bit database integer (a 500 on SQLite); nobody pages that far.
MAX_OFFSET = 2**31 - 1


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """`?limit=` never above MAX_PAGE_SIZE (so a list cannot be pulled in one request) and
    `?offset=` clamped, so huge numbers give an empty page instead of an error."""

    max_limit = MAX_PAGE_SIZE

    def get_offset(self, request):
        return min(super().get_offset(request), MAX_OFFSET)
