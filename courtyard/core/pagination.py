"""API paging with a ceiling: `limit` is capped (a `limit=2**63` no longer reaches the database as a
LIMIT it cannot hold — SQLite answers "datatype mismatch", a 500) and `offset` past the database's
integer range is treated as past the end."""

from rest_framework.pagination import LimitOffsetPagination

from .converters import MAX_DB_INT

MAX_PAGE_SIZE = 200


class CappedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE

    def get_offset(self, request):
        return min(super().get_offset(request), MAX_DB_INT)
