"""Resident shell, login, elderly mode and the public unit page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from courtyard.core.models import AuditEvent
from courtyard.org.tests.factories import PASSWORD


@pytest.fixture
def client(client):
    """Messages are asserted in English; Chinese is checked separately below."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _resident(tree, make_user, **extra):
    return make_user(person=tree.person1, display_name="李秀英", **extra)


@pytest.mark.django_db
def test_login_by_phone_and_password(client, tree, make_user):
    user = _resident(tree, make_user)
    response = client.post("/accounts/login/", {"phone": user.phone, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert AuditEvent.objects.filter(action="core.user.login", actor=user).count() == 1
    # The phone may be typed with spaces or +86.
    client.logout()
    spaced = f"+86 {user.phone[:3]} {user.phone[3:7]} {user.phone[7:]}"
    assert client.post("/accounts/login/", {"phone": spaced, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_wrong_password_is_refused_then_rate_limited(client, tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 3
    user = _resident(tree, make_user)
    for _ in range(3):
        response = client.post("/accounts/login/", {"phone": user.phone, "password": "wrong-password"})
        assert response.status_code == 400
        assert "password is wrong" in response.content.decode()
    # Now even the right password waits: the phone is locked for the window.
    response = client.post("/accounts/login/", {"phone": user.phone, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_form_errors_are_clear(client):
    response = client.post("/accounts/login/", {"phone": "", "password": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    # An unknown number gets the same message as a wrong password (no account probing).
    response = client.post("/accounts/login/", {"phone": "13999999999", "password": "whatever-123"})
    assert response.status_code == 400 and "password is wrong" in response.content.decode()


@pytest.mark.django_db
def test_login_redirect_stays_on_site(client, tree, make_user):
    user = _resident(tree, make_user)
    response = client.post("/accounts/login/", {"phone": user.phone, "password": PASSWORD,
                                                "next": "https://evil.example/"})
    assert response.url == "/"
    client.logout()
    response = client.post("/accounts/login/", {"phone": user.phone, "password": PASSWORD, "next": "/me/"})
    assert response.url == "/me/"


@pytest.mark.django_db
def test_resident_pages_show_home_household_and_roles(tree, make_user, login):
    user = _resident(tree, make_user)
    c = login(user)
    home = c.get("/").content.decode()
    assert tree.unit.name in home and "李秀英" in home
    household = c.get("/household/").content.decode()
    assert tree.person2.name in household  # the tenant of the same dwelling
    assert str(tree.dwelling1.area_m2) in household
    me = c.get("/me/").content.decode()
    assert user.masked_phone in me and user.phone not in me


@pytest.mark.django_db
def test_resident_pages_need_login(client):
    for path in ("/", "/household/", "/me/", "/inbox/", "/settings/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_settings_switch_elderly_mode_and_language(tree, make_user, login):
    user = _resident(tree, make_user)
    c = login(user)
    assert 'class="resident elderly"' not in c.get("/").content.decode()
    response = c.post("/settings/", {"elderly_mode": "on", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.elderly_mode and user.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = c.get("/").content.decode()
    assert "resident elderly" in page and "elderly.css" in page
    assert AuditEvent.objects.filter(action="core.user.preferences", object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_settings_bad_language_changes_nothing(tree, make_user, login):
    user = _resident(tree, make_user)
    c = login(user)
    response = c.post("/settings/", {"elderly_mode": "on", "language": "klingon"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.elderly_mode and user.language == ""


@pytest.mark.django_db
def test_quick_elderly_switch_works_without_login(client):
    response = client.post("/elderly/", {"on": "1", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.cookies["elderly"].value == "1"
    assert "elderly.css" in client.get("/accounts/login/").content.decode()
    # An outside "next" is ignored.
    assert client.post("/elderly/", {"on": "0", "next": "https://evil.example/"}).url == "/"


@pytest.mark.django_db
def test_public_unit_page_needs_no_login_and_shows_no_personal_data(client, tree):
    response = client.get(f"/u/{tree.unit.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert tree.unit.name in body
    for person in (tree.person1, tree.person2):
        assert person.phone not in body
        assert person.masked_phone not in body
    assert tree.person2.name not in body  # a tenant is nobody's business on the notice board
    assert client.get("/u/no-such-unit/").status_code == 404


@pytest.mark.django_db
def test_chinese_is_the_default_language(settings):
    from django.test import Client

    from config.settings import base

    assert base.LANGUAGE_CODE == "zh-hans"
    settings.LANGUAGE_CODE = base.LANGUAGE_CODE
    body = Client().get("/accounts/login/").content.decode()
    assert 'lang="zh-CN"' in body
    assert "登录" in body


@pytest.mark.django_db
def test_english_is_available(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="en"' in body and "Log in" in body


@pytest.mark.django_db
def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
