"""Every role that holds a service-desk permission opens every console page its menu shows (200),
and every page it does not hold answers 403 — generated from the roles registry and nav.py."""

import pytest
from django.urls import reverse

from courtyard.core.access import ROLES, UNIT
from courtyard.servicedesk import nav
from courtyard.servicedesk.permissions import PERMS

SCOPES = {"district": "district", "subdistrict": "subdistrict", "community": "community_a", "grid": "grid1",
          "microgrid": "microgrid1", "building": "building1", UNIT: "unit"}
ROLES_WITH_SD = sorted(code for code, role in ROLES.items() if role.perms & set(PERMS))


@pytest.mark.parametrize("role", ROLES_WITH_SD)
def test_role_opens_exactly_its_pages(sd, make_user, login, role):
    scope = getattr(sd.t, SCOPES[str(ROLES[role].scopes[0])])
    user = make_user(role, scope, **({"partner": sd.vendor} if role == "vendor" else {}))
    c = login(user)
    for url_name, _label, perm in nav.CONSOLE_NAV:
        status = c.get(reverse(url_name)).status_code
        assert status == (200 if perm in ROLES[role].perms else 403), (role, url_name, status)
