"""Bootstrap the district's first platform administrator (run by IT on the server).

    python manage.py create_platform_admin 13800000000 --name "王工" [--district ID]

Creates the account if no account uses the number (the password is asked for twice, or read
from the environment variable named by --password-env), and grants `platform_admin` on the
district, audited as the system actor with the note "bootstrap". It refuses while a platform
administrator is already in force on that district: further administrators are granted on
the console by an existing one (never by themselves).
"""

from __future__ import annotations

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courtyard.core.audit import Actor, record
from courtyard.core.models import User
from courtyard.org import services
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, RoleGrant


class Command(BaseCommand):
    help = "Create the first platform administrator of a district (IT only; audited as the system actor)."

    def add_arguments(self, parser):
        parser.add_argument("phone", help="mobile number of the administrator's account")
        parser.add_argument("--name", default="", help="display name (for a new account)")
        parser.add_argument("--district", type=int, help="id of the district place (needed when there are several)")
        parser.add_argument("--password-env", help="read a new account's password from this environment variable")

    def _district(self, pk: int | None) -> Place:
        districts = Place.objects.filter(kind=PlaceKind.DISTRICT)
        if pk is not None:
            districts = districts.filter(pk=pk)
        found = list(districts[:2])
        if len(found) != 1:
            ids = ", ".join(str(p.pk) for p in Place.objects.filter(kind=PlaceKind.DISTRICT)) or "none"
            raise CommandError(f"Name the district with --district ID (ids: {ids}).")
        return found[0]

    def _password(self, env: str | None) -> str:
        if env:
            value = os.environ.get(env, "")
            if not value:
                raise CommandError(f"The environment variable {env} is empty.")
            return value
        first = getpass.getpass("Password for the new account: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The passwords differ.")
        return first

    def handle(self, *args, phone: str, name: str, district: int | None, password_env: str | None, **options):
        place = self._district(district)
        if RoleGrant.objects.in_force().filter(role="platform_admin", place=place).exists():
            raise CommandError("This district already has a platform administrator: they grant the next one "
                               "on the console (Roles → Grant a role).")
        by = Actor.system()
        with transaction.atomic():
            try:
                user = User.objects.get_by_phone(phone)
            except ValueError as exc:
                raise CommandError(f"Not a mainland mobile number: {phone}") from exc
            except User.DoesNotExist:
                try:
                    user = services.create_user(by=by, phone=phone, display_name=name or phone[-4:],
                                                password=self._password(password_env))
                except ValidationError as exc:
                    raise CommandError("; ".join(exc.messages)) from exc
            grant = services.grant_role(by=by, user=user, role="platform_admin", place=place,
                                        title="bootstrap")
            record(by, "org.platform_admin.bootstrap", grant, community_id=place.pk,
                   note="create_platform_admin run by IT")
        self.stdout.write(self.style.SUCCESS(f"{user} is platform administrator of {place} (grant {grant.pk})."))
