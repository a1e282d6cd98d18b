"""Exceptions that the web layer turns into pages (see courtyard/web/errors.py)."""

from __future__ import annotations


class TooManyRequests(Exception):
    """A limit was hit (login attempts, SMS codes, uploads…): shown as the Chinese 429 page.

    The message, if given, replaces the page's standard explanation; `retry_after` (seconds)
    becomes the Retry-After header.
    """

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
