"""Print fresh secrets for the environment file: Django's secret key and the two PII keys.

Settings refuse to load with DEBUG off and no keys, so on a new server run either
`DJANGO_DEBUG=1 python manage.py genkeys` or `python -m courtyard.core.management.commands.genkeys`
(the latter needs no settings at all).
"""

from __future__ import annotations

import base64
import secrets

from django.core.management.base import BaseCommand


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def generate() -> list[str]:
    return [
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}",
        f"COURTYARD_FIELD_KEY={new_key()}",
        f"COURTYARD_INDEX_KEY={new_key()}",
    ]


class Command(BaseCommand):
    help = (
        "Print new DJANGO_SECRET_KEY, COURTYARD_FIELD_KEY and COURTYARD_INDEX_KEY values. "
        "Keep them secret; changing the PII keys later makes stored phone/ID numbers unreadable."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        for line in generate():
            self.stdout.write(line)


if __name__ == "__main__":
    print("\n".join(generate()))  # noqa: T201
