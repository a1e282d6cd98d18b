from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from courtyard.org import roles

# (url name, label, permission needed)
CONSOLE_NAV = [
    ("org:dashboard", _("Overview"), roles.CONSOLE),
    ("org:places", _("Place tree"), roles.VIEW_PLACE),
    ("org:dwellings", _("Dwellings"), roles.VIEW_DWELLING),
    ("org:people", _("People"), roles.VIEW_PERSON),
    ("org:organisations", _("Organisations"), roles.VIEW_ORGS),
    ("org:grants", _("Roles"), roles.VIEW_GRANTS),
    ("org:roster_import", _("Import roster"), roles.IMPORT_ROSTER),
    ("org:audit", _("Audit trail"), roles.VIEW_AUDIT),
]


def _nav(request):
    user = request.user
    items = []
    for name, label, perm in CONSOLE_NAV:
        if user.has_perm(perm):
            url = reverse(name)
            active = request.path == url or (url != reverse("org:dashboard") and request.path.startswith(url))
            items.append({"url": url, "label": label, "active": active})
    return items


def _unread(request):
    from courtyard.core.selectors import unread_count

    return unread_count(request.user)


def shell(request):
    """Values every page template needs: elderly mode, the console menu and the unread count."""
    user = getattr(request, "user", None)
    authed = bool(user and user.is_authenticated)
    if authed:
        elderly = user.elderly_mode
    else:
        elderly = request.COOKIES.get("elderly") == "1"
    return {
        "elderly_mode": elderly,
        "console_nav": SimpleLazyObject(lambda: _nav(request)) if authed else [],
        "unread_count": SimpleLazyObject(lambda: _unread(request)) if authed else 0,
    }
