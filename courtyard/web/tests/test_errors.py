"""Chinese error pages in both shells, with a way back; they work with DEBUG off (the test settings)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path
from django.utils import translation

from courtyard.core.errors import TooManyRequests
from courtyard.web import errors


@pytest.fixture(autouse=True)
def _reset_language():
    """A request in zh-CN leaves Chinese active in this thread; later tests read English."""
    yield
    translation.deactivate()


def _boom(request):
    raise RuntimeError("boom")


def _limited(request):
    raise TooManyRequests(retry_after=120)


urlpatterns = [
    path("console/boom/", _boom),
    path("limited/", _limited),
    path("", include("config.urls")),
]
handler403 = "courtyard.web.errors.permission_denied"
handler404 = "courtyard.web.errors.page_not_found"
handler500 = "courtyard.web.errors.server_error"


def _zh(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-CN,zh;q=0.9"
    return client


@pytest.mark.django_db
def test_anonymous_404_is_chinese_with_a_way_to_log_in(client):
    response = _zh(client).get("/no/such/page/", HTTP_REFERER="http://testserver/u/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "Not Found" not in body
    assert 'href="/accounts/login/"' in body  # a way on
    assert 'href="http://testserver/u/"' in body  # and the way back
    assert "r-header" in body  # the resident (WeUI) shell


@pytest.mark.django_db
def test_resident_403_on_a_console_page_uses_the_resident_shell(tree, make_user, login):
    resident = make_user(person=tree.person1)
    response = _zh(login(resident)).get("/console/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "您无权打开此页面" in body and "Forbidden" not in body
    assert "r-header" in body and 'href="/"' in body


@pytest.mark.django_db
def test_staff_404_in_the_console_uses_the_console_shell(tree, make_user, login):
    staff = make_user("community_staff", tree.community_a)
    response = _zh(login(staff)).get("/console/people/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "staff-nav" in body and "页面不存在" in body
    assert "返回工作台首页" in body


@pytest.mark.django_db
def test_api_errors_stay_json(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db
def test_too_many_requests_page_and_retry_after(client):
    response = _zh(client).get("/limited/")
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert "尝试次数过多" in response.content.decode()


def test_500_page_renders_without_database_or_request_context():
    request = RequestFactory(HTTP_ACCEPT_LANGUAGE="zh-CN").get("/console/boom/")
    with translation.override("zh-hans"):
        response = errors.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "出错了" in body and 'href="/"' in body


@pytest.mark.django_db
def test_an_unhandled_exception_shows_the_chinese_500_page():
    client = _zh(Client(raise_request_exception=False))
    with override_settings(ROOT_URLCONF=__name__):
        response = client.get("/console/boom/")
    assert response.status_code == 500
    assert "出错了" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_is_a_chinese_page_not_djangos():
    client = _zh(Client(enforce_csrf_checks=True))
    response = client.post("/accounts/login/", {"phone": "13800000001", "password": "x"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body and "CSRF verification failed" not in body
