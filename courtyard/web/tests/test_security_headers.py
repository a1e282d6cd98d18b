"""A Content-Security-Policy without inline script on every page; no-store on every reveal."""

import re
from pathlib import Path

import pytest
from django.test import Client

import courtyard

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/api/docs/", "/open311/v2/services.json"])
def test_every_response_carries_a_strict_script_policy(path):
    response = Client().get(path)
    policy = _policy(response)
    assert policy["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"


def test_logged_in_pages_carry_it_too(tree, make_user, login):
    staff = login(make_user("community_staff", tree.community_a))
    for path in ("/console/", "/console/requests/map/"):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_handler():
    root = Path(courtyard.__file__).parent
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        if "_pdf" in template.name or "pdf_base" in template.name:
            continue  # rendered by WeasyPrint, never by a browser
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


def test_api_docs_load_their_init_script_from_a_url():
    page = Client().get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")
    assert Client().get("/api/docs/?script=").status_code == 200


def test_htmx_runs_without_eval():
    page = Client().get("/accounts/login/").content.decode()
    assert '"allowEval": false' in page


def test_reveal_page_response_is_no_store(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    response = c.post(f"/console/people/{tree.person1.pk}/reveal/", {"field": "phone"})
    assert response.status_code == 200
    assert tree.person1.phone in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # An ordinary page is not marked.
    assert "no-store" not in c.get(f"/console/people/{tree.person1.pk}/").get("Cache-Control", "")


def test_reveal_api_is_no_store(tree, make_user, login):
    c = login(make_user("grid_worker", tree.grid1))
    r = c.post(f"/api/v1/people/{tree.person1.pk}/reveal/", {"field": "phone"}, content_type="application/json")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
