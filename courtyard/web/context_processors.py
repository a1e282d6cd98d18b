from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import registry


def _nav(request):
    """The console menu the user may use, grouped by app: [{"title", "items": [{url, label, active}]}]."""
    user = request.user
    dashboard = reverse("org:dashboard")
    sections = []
    for title, entries in registry.console_sections():
        items = []
        for name, label, perm in entries:
            if user.has_perm(perm):
                url = reverse(name)
                active = request.path == url or (url != dashboard and request.path.startswith(url))
                items.append({"url": url, "label": label, "active": active})
        if items:
            sections.append({"title": title, "items": items})
    return sections


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
