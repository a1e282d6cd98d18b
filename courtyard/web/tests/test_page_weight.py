"""Resident pages stay light on a first visit: the page plus every stylesheet, script and image it
loads, counted as they travel (static files gzip-compressed, as WhiteNoise serves them), ≤ 100 KB.

Static files are fetched through the site itself (WhiteNoise, finders in test settings), so a
template that starts loading something heavy fails here, not on a resident's old phone.
"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

BUDGET = 100 * 1024
ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')
LINK_RE = re.compile(r'href="(/[^"#?]*)"')
# Not resident pages: the console, the API, log-out (POST), language switch.
NOT_RESIDENT = ("/console/", "/api/", "/accounts/logout", "/i18n/", "/static/", "/media/", "/open311/")


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def weigh(client, url: str) -> tuple[int, dict[str, int]]:
    """Bytes on the wire for a first visit of `url`: the HTML plus each static asset, gzipped."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200, url
    html = response.content
    parts = {url: len(html)}
    for asset in dict.fromkeys(ASSET_RE.findall(html.decode())):
        path = urlsplit(asset).path
        assert path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL), asset
        static = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert static.status_code == 200, asset
        body = _body(static)
        compressible = not path.endswith((".png", ".jpg", ".jpeg", ".webp", ".gif", ".woff2"))
        parts[path] = len(gzip.compress(body, compresslevel=9)) if compressible else len(body)
    return sum(parts.values()), parts


def resident_pages(client) -> list[str]:
    """The resident home plus every resident page it links to (tiles, tab bar, notice board)."""
    home = client.get("/").content.decode()
    pages = ["/"]
    for link in LINK_RE.findall(home):
        if link not in pages and not link.startswith(NOT_RESIDENT):
            pages.append(link)
    return pages


@pytest.fixture
def resident(tree, make_user, login):
    user = make_user(person=tree.person1, display_name="李秀英")
    return login(user), user


@pytest.mark.django_db
@pytest.mark.parametrize("elderly", [False, True])
def test_every_resident_page_is_under_100_kb_on_a_first_visit(resident, elderly):
    client, user = resident
    user.elderly_mode = elderly
    user.save(update_fields=["elderly_mode"])
    pages = resident_pages(client)
    assert len(pages) >= 8, pages  # the home, the tab bar and the tiles were found
    weights = {}
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:  # links other engineers own; the crawl test checks them
            continue
        total, parts = weigh(client, url)
        weights[url] = total
        assert total <= BUDGET, (url, total, parts)
    assert "/" in weights and len(weights) >= 6, weights


@pytest.mark.django_db
def test_public_pages_are_light(client, tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    for url in ("/accounts/login/", f"/u/{tree.unit.slug}/"):
        total, parts = weigh(client, url)
        assert total <= BUDGET, (url, total, parts)


@pytest.mark.django_db
def test_resident_shell_does_not_load_the_full_weui(resident):
    client, _user = resident
    html = client.get("/").content.decode()
    assert "weui.min.css" not in html and "web/css/weui-subset.css" in html
    total, parts = weigh(client, "/")
    # The stylesheets together are a few KB, not WeUI's 188 KB.
    css = sum(size for path, size in parts.items() if path.endswith(".css"))
    assert css < 8 * 1024, parts


@pytest.mark.django_db
def test_static_files_are_served_compressed_fingerprinted_and_cached_for_long(tmp_path, settings, client):
    """Production storage: collectstatic writes hashed names and .gz/.br copies; WhiteNoise serves them."""
    web_static = Path(__file__).resolve().parent.parent / "static"
    source = tmp_path / "src"
    for rel in ("vendor/htmx.org/htmx.min.js", "web/css/resident.css"):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(web_static / rel, source / rel)
    settings.STATIC_ROOT = tmp_path / "root"
    settings.STATICFILES_DIRS = [source]  # just the shell's files: quick, same code path as the full run
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    # (the STORAGES override above already reset the configured static storage)
    htmx = static("vendor/htmx.org/htmx.min.js")
    assert re.search(r"/htmx\.min\.[0-9a-f]{12}\.js$", htmx), htmx  # fingerprinted
    fresh = Client()  # builds WhiteNoise again, reading the new STATIC_ROOT
    response = fresh.get(htmx, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    wire = len(_body(response))
    assert wire < 20 * 1024 < (source / "vendor/htmx.org/htmx.min.js").stat().st_size
    brotli = fresh.get(htmx, HTTP_ACCEPT_ENCODING="br, gzip")
    assert brotli["Content-Encoding"] == "br" and len(_body(brotli)) < wire


def test_the_committed_weui_subset_is_current():
    """scripts/weui_subset.py --check: a template that starts using a weui-* class needs a rebuild."""
    import importlib.util

    path = Path(settings.BASE_DIR) / "scripts" / "weui_subset.py"
    spec = importlib.util.spec_from_file_location("weui_subset", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TARGET.read_text(encoding="utf-8") == module.build()
    # The subset keeps WeUI's base rules and the variables they read, and nothing else.
    css = module.subset(".weui-btn{color:var(--weui-BRAND)}body{--weui-BRAND:#07c160;--weui-RED:red}"
                        "a{color:var(--weui-LINK)}body{--weui-LINK:blue;--weui-X:var(--weui-RED)}", set())
    assert css == "a{color:var(--weui-LINK)}body{--weui-LINK:blue}"
    assert ".weui-btn" in module.subset(".weui-btn{color:red}", {"weui-btn"})
