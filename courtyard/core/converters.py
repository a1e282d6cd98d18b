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


# Years a number typed in a filter may carry (budget year, statistics); outside: ignored.
SANE_YEARS = (1949, 2100)
# Years any date typed into a form may carry (a party member may have joined in the 1940s). Outside
# this range date arithmetic and time-zone conversion overflow (year 1 in Asia/Shanghai is year 0 in UTC).
FORM_YEARS = (1900, 2100)


def sane_form_date(value) -> None:
    """Form validator for every DateField and DateTimeField (installed by CoreConfig.ready)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if value is not None and not FORM_YEARS[0] <= value.year <= FORM_YEARS[1]:
        raise ValidationError(_("Enter a date between the years %(first)s and %(last)s.")
                              % {"first": FORM_YEARS[0], "last": FORM_YEARS[1]}, code="date_range")
