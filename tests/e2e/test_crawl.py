"""Crawl every page reachable by links, as every demo login and as the public, in zh-CN.

One demo database is built once; then, for each login, a breadth-first crawl follows
same-origin GET links (bounded: one page per URL shape, a page budget per login) and fails on

* an English word on a page outside ALLOWED_WORDS (visible text, placeholders, titles,
  aria-labels, alt texts, button values),
* a shown link that ends on 403, 404 or a server error,
* an image that does not load.

Logout, downloads (PDF, xlsx, JSON exports), the API and its docs are not followed; their
links are still checked for status where cheap. Each login goes through the browser's login form;
the crawl then reads pages over plain HTTP with the browser's cookies.
All problems are collected and reported together, grouped by kind.
"""

from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.request
from collections import defaultdict, deque
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.utils import translation

from courtyard.org.demo.logins import DEMO_PASSWORD
from courtyard.org.models import RoleGrant, SelfGovernanceUnit
from tests.e2e.conftest import login
from tests.e2e.demo import load_demo

pytestmark = [pytest.mark.browser]

# Words that stay in Latin letters on a Chinese page: file formats, well-known product
# and standard names, and units. Everything else must be translated.
ALLOWED_WORDS = {
    "pdf", "qr", "excel", "xlsx", "csv", "json", "id", "wechat", "sms", "app", "api", "url",
    "open311", "wps", "ok", "kb", "mb", "gb", "cpu", "ai", "ip", "http", "https", "www",
    "ppp",  # 政府和社会资本合作, written PPP in Chinese too
    "nfc",  # NFC 标签 on patrol check points (no Chinese word in use either)
    "english",  # the language switch names each language in itself
    "html", "svg", "png", "jpg", "jpeg", "webp", "heic", "gif",
    "am", "pm",  # times in 12-hour form never appear in zh, but in numbers like "10:00 AM" from inputs
}
# URL shapes a crawler must not follow: they log out, download files, or leave the pages.
SKIP = re.compile(
    r"^/(accounts/logout|api/|admin/|i18n/|static/|media/)"
    r"|\.(pdf|xlsx|csv|json|zip|png|jpe?g|svg|webp)$"
    r"|/(export|download|files)/"
    r"|/files?/\d+"
    r"|[?&](format|export|download)="
)
# Bounds per login; raise them to look deeper (COURTYARD_CRAWL_PAGES=100 COURTYARD_CRAWL_LINKS=500).
PAGES_PER_LOGIN = int(os.environ.get("COURTYARD_CRAWL_PAGES", "30"))
LINKS_PER_LOGIN = int(os.environ.get("COURTYARD_CRAWL_LINKS", "150"))
# Links of one shape (/console/dwellings/N/) are checked a few times per login, not once per row: a
# list of fifty dwellings shows fifty links that the same view and the same permission answer.
LINKS_PER_SHAPE = int(os.environ.get("COURTYARD_CRAWL_LINKS_PER_SHAPE", "3"))
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")
# Not words: addresses, paths, hashes and record numbers (GJ-2026-001, 3be5bdb…).
NOISE = re.compile(r"https?://\S+|\S+@\S+\.\S+|/[\w./?=&%-]+|\b[\w-]*\d[\w-]*\b")

# <code> holds identifiers people copy, not words (Open311 service codes, API key prefixes, hashes).
SKIPPED_TAGS = {"script", "style", "template", "noscript", "svg", "code"}
TEXT_ATTRS = ("placeholder", "title", "aria-label", "alt")


class PageParser(HTMLParser):
    """Visible text (with placeholders, titles, aria-labels, alt texts, button values), links
    and image sources of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.images: list[str] = []
        self._skip = 0
        self._anchor: list[str] | None = None
        self._href = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in SKIPPED_TAGS:
            self._skip += 1
            return
        if self._skip:
            return
        self.text.extend(a[k] for k in TEXT_ATTRS if a.get(k))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.text.append(a["value"])
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
        if tag == "a" and a.get("href") and "download" not in a:
            self._anchor, self._href = [a.get("aria-label") or ""], a["href"]

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag == "a" and self._anchor is not None:
            self.links.append((self._href, " ".join("".join(self._anchor).split())[:40]))
            self._anchor = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._anchor is not None:
                self._anchor.append(data)


def english_words(text: str) -> list[str]:
    """Latin-letter words outside the allow-list, in order of first appearance."""
    text = NOISE.sub(" ", text)
    seen: dict[str, None] = {}
    for word in WORD.findall(text):
        if word.lower().strip("'’") in ALLOWED_WORDS or len(word) == 1:
            continue
        seen.setdefault(word, None)
    return list(seen)


def shape(path_and_query: str) -> str:
    """A URL with numbers blanked and query values dropped: /console/requests/38/?page=2 and
    /console/requests/41/?page=3 look alike (same template, same strings)."""
    parts = urlsplit(path_and_query)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def link_key(path_and_query: str) -> str:
    """What a link's status depends on: the exact path (objects differ) and which filters it sets."""
    parts = urlsplit(path_and_query)
    keys = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return parts.path + ("?" + "&".join(keys) if keys else "")


def _logins() -> list[tuple[str, str]]:
    """(label, phone) for the two residents and one account per role."""
    out = {"resident-elderly-owner": "13800000001", "resident-tenant": "13800000002"}
    for grant in RoleGrant.objects.select_related("user").order_by("pk"):
        out.setdefault(grant.role, grant.user.phone)
    return list(out.items())


@dataclass
class Fetched:
    status: int
    url: str
    headers: Message
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Crawl:
    def __init__(self, page, base: str, label: str):
        self.base, self.label = base.rstrip("/"), label
        self.host = urlsplit(self.base).netloc
        self.cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        self.problems: dict[str, list[str]] = defaultdict(list)
        self.status: dict[str, int] = {}
        self.checked_shapes: dict[str, int] = defaultdict(int)

    def local(self, href: str, current: str) -> str | None:
        """The path?query of a same-origin link worth following, else None."""
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "weixin:")):
            return None
        url, _frag = urldefrag(urljoin(current, href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def get(self, target: str) -> Fetched:
        """GET with the browser's cookies (its login), over plain HTTP: Playwright's own request API
        costs some 40 ms more per request, and the crawl makes thousands."""
        request = urllib.request.Request(self.base + target, headers={
            "Accept-Language": "zh-CN,zh;q=0.9", "Cookie": self.cookie})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - the live server
                return Fetched(response.status, response.url, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Fetched(error.code, error.url, error.headers, error.read())

    def check_status(self, target: str) -> int:
        key = link_key(target)
        if key not in self.status:
            self.status[key] = self.get(target).status
        return self.status[key]

    def run(self, starts: list[str]) -> int:
        """Crawl from `starts`; returns the number of pages read."""
        queue = deque((s, "(start)") for s in starts)
        shapes: set[str] = set()
        pages = 0
        while queue and pages < PAGES_PER_LOGIN:
            target, source = queue.popleft()
            if shape(target) in shapes:
                continue
            shapes.add(shape(target))
            response = self.get(target)
            self.status[link_key(target)] = response.status
            if response.status >= 400:
                if source != "(start)":  # a start page a role may not have is not a shown link
                    self._error(target, response.status, "", source)
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            landed = urlsplit(response.url)
            here = landed.path + (f"?{landed.query}" if landed.query else "")
            pages += 1
            parsed = PageParser()
            parsed.feed(response.text())
            words = english_words("\n".join(parsed.text))
            if words:
                self.problems["English words"].append(f"{here}: {', '.join(words[:25])}")
            for src in parsed.images:
                image = self.local(src, response.url)
                if image is None or image.startswith("data:"):
                    continue
                if image not in self.status:
                    got = self.get(image)
                    ok = got.status < 400 and got.headers.get("content-type", "").startswith("image/")
                    self.status[image] = got.status if not ok or got.status >= 400 else 200
                    if not ok:
                        self.problems["image does not load"].append(f"{here}: {src} → {got.status}")
            for href, text in parsed.links:
                link = self.local(href, response.url)
                if link is None or SKIP.search(urlsplit(link).path) or SKIP.search(link):
                    continue
                known = link_key(link) in self.status
                if known or (len(self.status) < LINKS_PER_LOGIN
                             and self.checked_shapes[shape(link)] < LINKS_PER_SHAPE):
                    self.checked_shapes[shape(link)] += not known
                    code = self.check_status(link)
                    if code >= 400:
                        self._error(link, code, text, here)
                        continue
                if shape(link) not in shapes:
                    queue.append((link, here))
        return pages

    def _error(self, link: str, code: int, text: str, where: str) -> None:
        entry = f"{link} → {code} (link «{text}» on {where})"
        if entry not in self.problems["link ends in an error"]:
            self.problems["link ends in an error"].append(entry)


# The logins are crawled in shards (separate tests, so pytest-xdist runs them side by side).
SHARDS = 2


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_login_crawls_chinese_pages_with_working_links(live_server, desktop_page, page, settings, shard):
    started = time.monotonic()
    # As in production: the site default is Chinese, so data written by the demo (role names in
    # display names, inbox messages of people with no language set) is Chinese too.
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        load_demo(seed=1)
    only = {x for x in os.environ.get("COURTYARD_CRAWL_ONLY", "").split(",") if x}  # to debug one login
    base = live_server.url
    report: dict[str, dict[str, list[str]]] = {}
    visited = 0

    # The public first (phone-sized), then the residents (phone), then every role (desktop).
    unit = SelfGovernanceUnit.objects.order_by("pk").first()
    if shard == 0 and (not only or "public" in only):
        crawl = Crawl(page, base, "public")
        crawl.run(["/accounts/login/", f"/u/{unit.slug}/", "/"])
        report["public"], visited = crawl.problems, visited + len(crawl.status)

    for i, (label, phone) in enumerate(_logins()):
        if (only and label not in only) or i % SHARDS != shard:
            continue
        pg = page if label.startswith("resident") else desktop_page
        pg.context.clear_cookies()
        login(pg, base, phone, DEMO_PASSWORD)
        crawl = Crawl(pg, base, label)
        crawl.run([urlsplit(pg.url).path, "/", "/me/", "/console/"] if not label.startswith("resident")
                  else ["/", "/me/", "/household/", "/inbox/", "/settings/"])
        report[label] = crawl.problems
        visited += len(crawl.status)
    elapsed = time.monotonic() - started
    print(f"crawl shard {shard}: {len(report)} logins, {visited} links checked in {elapsed:.0f}s")

    lines = []
    for label, problems in report.items():
        for kind, entries in problems.items():
            for entry in entries:
                lines.append(f"[{label}] {kind}: {entry}")
    assert not lines, f"{len(lines)} problems found by the crawl:\n" + "\n".join(lines)
