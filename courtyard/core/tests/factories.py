"""Small helpers shared by the core tests."""

from __future__ import annotations

import itertools

from courtyard.core.audit import Actor
from courtyard.core.models import User

_numbers = itertools.count(13800000001)


def make_user(*, phone: str | None = None, email: str = "", display_name: str = "Test user") -> User:
    return User.objects.create_user(phone or str(next(_numbers)), display_name=display_name, email=email)


def make_community(name: str = "Community"):
    from courtyard.org.choices import PlaceKind
    from courtyard.org.services import create_place

    system = Actor.system()
    district = create_place(by=system, kind=PlaceKind.DISTRICT, name="District", parent=None)
    subdistrict = create_place(by=system, kind=PlaceKind.SUBDISTRICT, name="Subdistrict", parent=district)
    return create_place(by=system, kind=PlaceKind.COMMUNITY, name=name, parent=subdistrict)
