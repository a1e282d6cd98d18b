"""URL path converters.

`<id:pk>` is `<id:pk>` bounded to the database's integer range: a number past 2**63 - 1 (or with
more digits than any row id can have) does not match, so the URL answers 404 instead of reaching
a query that would overflow (SQLite raises OverflowError, PostgreSQL a DataError: a 500)."""

MAX_DB_INT = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_DB_INT:
            raise ValueError("beyond the database integer range")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """A query-string id: the integer when it is a plain number within the database range, else None."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_DB_INT else None


# Years a date typed by a person may carry (bookings, filters, deadlines); outside: refused or ignored.
SANE_YEARS = (1949, 2100)
