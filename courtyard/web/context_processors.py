from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

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


@dataclass(frozen=True)
class Menu:
    sections: list  # [{"title", "open", "items": [{"url", "label", "active"}]}]
    html: str


def _nav(request) -> Menu:
    """The console menu the user may use, grouped by app. Exactly one item is active (or none on a
    page outside the menu)."""
    allowed = _allowed_perms(request.user)
    urls = [url for _title, items in _entries(allowed, get_language()) for url, _label in items]
    return _menu(allowed, get_language(), active_url(request.path, urls))


@lru_cache(maxsize=512)
def _entries(allowed: frozenset[str], language: str) -> tuple:
    """((title, ((url, label), …)), …) for a set of permissions, in the active language."""
    out = []
    for title, entries in registry.console_sections():
        items = tuple((reverse(name), str(label)) for name, label, perm in entries if perm in allowed)
        if items:
            out.append((str(title), items))
    return tuple(out)


@lru_cache(maxsize=2048)
def _menu(allowed: frozenset[str], language: str, current: str | None) -> Menu:
    """The menu with `current` marked, and its HTML (some sixty links on every console page): built
    once per process for each set of permissions, language and page, not by a template loop."""
    home = reverse("org:dashboard")
    sections, out = [], []
    for title, entries in _entries(allowed, language):
        items = [{"url": url, "label": label, "active": url == current} for url, label in entries]
        # Sections fold (<details>): the page's own section is open; on the work list (or a page
        # outside the menu) all are.
        opened = current in (None, home) or any(item["active"] for item in items)
        sections.append({"title": title, "items": items, "open": opened})
        if title:
            out.append(format_html('<details class="staff-nav__section"{}><summary class="staff-nav__title">{}</summary>',
                                   mark_safe(" open") if opened else "", title))
        out.append('<ul class="nav flex-column gap-1 mb-3">')
        for item in items:
            active = item["active"]
            out.append(format_html('<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
                                   " active" if active else "", item["url"],
                                   mark_safe(' aria-current="page"') if active else "", item["label"]))
        out.append("</ul>")
        if title:
            out.append("</details>")
    return Menu(sections, mark_safe("".join(out)))  # noqa: S308 - every piece is escaped by format_html


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
    menu = SimpleLazyObject(lambda: _nav(request))
    return {
        "elderly_mode": elderly,
        "console_nav": SimpleLazyObject(lambda: menu.sections) if authed else [],
        "console_nav_html": SimpleLazyObject(lambda: menu.html) if authed else "",
        "unread_count": SimpleLazyObject(lambda: _unread(request)) if authed else 0,
        # The console's "resident view" switch: only for people who have a home to look at.
        "has_home": SimpleLazyObject(lambda: org_selectors.has_home(request.user)) if authed else False,
    }
