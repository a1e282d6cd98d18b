from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from courtyard.org import home_cache
from courtyard.org import selectors as org_selectors

from . import registry


def active_url(path: str, urls: list[str]) -> str | None:
    """The one menu address the page belongs to: the longest menu URL that is the path itself or
    a folder above it (`/console/requests/map/` belongs to "Request map", not also to "Requests")."""
    best = None
    for url in urls:
        if (path == url or (url.endswith("/") and path.startswith(url))) and (best is None or len(url) > len(best)):
            best = url
    return best


def _nav(request):
    """The console menu the user may use, grouped by app: [{"title", "items": [{url, label, active}]}].

    Exactly one item is active (or none on a page outside the menu)."""
    user = request.user
    allowed = _allowed_perms(user)
    sections = []
    for title, entries in registry.console_sections():
        items = [{"url": reverse(name), "label": label, "active": False}
                 for name, label, perm in entries if perm in allowed]
        if items:
            sections.append({"title": title, "items": items})
    current = active_url(request.path, [i["url"] for s in sections for i in s["items"]])
    home = reverse("org:dashboard")
    for section in sections:
        for item in section["items"]:
            item["active"] = item["url"] == current
        # Sections fold (<details>): the page's own section is open; on the work list (or a page
        # outside the menu) all are.
        section["open"] = current in (None, home) or any(item["active"] for item in section["items"])
    return sections


def _allowed_perms(user) -> frozenset[str]:
    """Which of the menu's permissions the user holds today. Some thirty permission checks per
    page, so the answer is cached with the home blocks (a saved or ended grant bumps the version)."""
    def build() -> frozenset[str]:
        return frozenset(perm for _title, entries in registry.console_sections()
                         for _name, _label, perm in entries if user.has_perm(perm))

    key = f"{user.pk}:{int(user.is_superuser)}:{timezone.localdate()}"
    return home_cache.cached("console-nav", key, build)


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
        # The console's "resident view" switch: only for people who have a home to look at.
        "has_home": SimpleLazyObject(lambda: org_selectors.has_home(request.user)) if authed else False,
    }
