"""Bad input never reaches a 500: every route of the URL conf, with huge ids and huge query values.

The crawl walks the resolver (so a new route is covered the day it is added), fills every `<id:…>`
with the largest database integer (no such row: a 404 or a redirect, never a 500) and with numbers
beyond the database range (the converter does not match: 404), and adds every query parameter the
views read with values that overflow, are not numbers, or are NaN/Infinity.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from courtyard.core.converters import MAX_DB_INT

pytestmark = pytest.mark.django_db

HUGE = [str(MAX_DB_INT), str(MAX_DB_INT + 1), "9" * 40]
QUERY_NAMES = ["unit", "state", "q", "place", "page", "facility", "export", "days", "category", "vendor", "topic",
               "year", "step", "shared", "month", "before", "b", "account", "a", "limit", "offset", "cursor",
               "community", "grid", "id", "pk", "person", "dwelling", "entrance", "courtyard", "role", "action",
               "service_code", "lat", "long", "start_date", "end_date", "status", "service_request_id"]
QUERY_VALUES = [str(2**63), "9" * 40, "-" + "9" * 30, "1e309", "NaN", "-Infinity", "2026-13-45", "%00", "x" * 3000]
SKIP = {"logout"}  # POST-only side effects are covered elsewhere


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def _from_regex(route: str) -> str:
    """A DRF router pattern (`api/v1/^people/(?P<pk>[^/.]+)/$`) in the `<id:pk>` form the crawl fills."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<format>[^)]*\)", "json", route)
    route = re.sub(r"\(\?P<([a-z_]+)>[^)]*\)", r"<id:\1>", route)
    return route.replace("\\.", ".").replace("/?", "/")


def routes() -> list[str]:
    out = []
    for route, name in _walk(get_resolver()):
        if name in SKIP:
            continue
        if "^" in route or "(?P" in route:
            route = _from_regex(route)
        out.append(route)
    return sorted(set(out))


def fill(route: str, number: str) -> str:
    path = re.sub(r"<id:[a-z_]+>", number, route)
    path = re.sub(r"<int:[a-z_]+>", number, path)
    path = re.sub(r"<slug:[a-z_]+>", "no-such-slug", path)
    path = re.sub(r"<(str|path):[a-z_]+>", "nothing", path)
    path = re.sub(r"<[a-z_]+:[a-z_]+>", "json", path)  # e.g. DRF's format suffix
    return "/" + path.lstrip("/")


@pytest.fixture(scope="module")
def clients(django_db_setup, django_db_blocker):
    from django.db import transaction

    from courtyard.org.tests import factories

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            tree = factories.build_tree()
            admin = factories.make_user(None, None)
            admin.is_superuser = True
            admin.save()
            staff = factories.make_user("community_staff", tree.community_a)
            resident = factories.make_user(None, None, person=tree.person1)
            out = {"anonymous": Client()}
            for label, user in (("admin", admin), ("staff", staff), ("resident", resident)):
                c = Client(raise_request_exception=False)
                c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
                out[label] = c
            out["anonymous"] = Client(raise_request_exception=False)
            yield out
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_crawl_sees_the_routes():
    found = routes()
    assert len(found) > 60
    assert any("<id:" in r for r in found)
    assert not [r for r in found if "<int:" in r], "use <id:…> (bounded) for ids, not <int:…>"
    assert "api/v1/people/" in found and "api/v1/people/<id:pk>/" in found  # the API router is crawled too


@pytest.mark.parametrize("who", ["admin", "staff", "resident", "anonymous"])
def test_huge_ids_in_every_url_never_500(clients, who):
    client = clients[who]
    failures = []
    for route in routes():
        has_id = "<id:" in route or "<int:" in route
        for number in HUGE if has_id else ["1"]:
            url = fill(route, number)
            status = client.get(url).status_code
            if status >= 500:
                failures.append((url, status))
            if has_id and number != str(MAX_DB_INT) and status not in (404, 302, 301, 405, 401, 403):
                failures.append((url, status))
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("who", ["admin", "resident", "anonymous"])
def test_huge_and_broken_query_values_never_500(clients, who):
    client = clients[who]
    failures = []
    for route in routes():
        if "<" in route:
            continue  # the id routes are crawled above; here the list and public pages take the queries
        url = fill(route, "1")
        for value in QUERY_VALUES:
            query = {name: value for name in QUERY_NAMES}
            status = client.get(url, query).status_code
            if status >= 500:
                failures.append((url, value[:40], status))
    assert failures == [], "\n".join(map(str, failures))


REDIRECTS = (301, 302, 303, 307, 308)
EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "\\\\evil.example",
        "javascript:alert(1)", " https://evil.example/"]


def _off_site(location: str) -> bool:
    from urllib.parse import urlsplit

    location = location.strip()
    parts = urlsplit(location.replace("\\", "/"))
    return bool(parts.netloc and parts.netloc not in ("testserver",)) or parts.scheme not in ("", "http", "https") \
        or "evil.example" in location.split("?")[0]


@pytest.mark.parametrize("who", ["admin", "resident", "anonymous"])
def test_no_open_redirect_on_any_route(clients, who):
    """Every route, GET and POST, with `next` pointing off-site: no response sends the browser there."""
    client = clients[who]
    failures = []
    for route in routes():
        url = fill(route, "1")
        for method in (client.get, client.post):
            # A route that redirects neither for a local `next` nor for an absolute one (it answers
            # with a page, a 404, a 405) does not follow `next` for this user: two requests tell;
            # every off-site spelling goes to the routes that do redirect.
            if all(method(url, {"next": probe}).status_code not in REDIRECTS for probe in ("/me/", EVIL[0])):
                continue
            for target in EVIL:
                response = method(url, {"next": target})
                location = response.get("Location", "")
                if response.status_code in REDIRECTS and _off_site(location):
                    failures.append((method.__name__, url, target, location))
    assert failures == [], "\n".join(map(str, failures))


@pytest.mark.parametrize("endpoint", ["places", "dwellings", "people", "role-grants"])
@pytest.mark.parametrize("query", [{"limit": str(2**63)}, {"offset": str(2**63)}, {"limit": "1e309"},
                                   {"limit": str(2**63), "offset": str(2**64)}, {"limit": "-1"}])
def test_api_paging_with_huge_numbers(clients, endpoint, query):
    response = clients["admin"].get(f"/api/v1/{endpoint}/", query)
    assert response.status_code in (200, 400)
    assert response.json() is not None
