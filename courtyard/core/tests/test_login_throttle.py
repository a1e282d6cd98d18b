"""Login throttling (ADR 0010): the client's address behind proxies, progressive delays per
account, per address and per device, and a correct password that is never walled off."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone

from courtyard.core.auth import DEVICE_COOKIE
from courtyard.core.throttle import Backoff, address_bucket, client_ip
from courtyard.org.tests.factories import PASSWORD


def _start() -> dt.datetime:
    """10:00 today, local time (relative to today, so `make test-future` moves it too)."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0)))


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _client(addr: str = "203.0.113.5", xff: str | None = None) -> Client:
    extra = {"REMOTE_ADDR": addr}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    c = Client(**extra)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def _post(c: Client, phone: str, password: str):
    return c.post("/accounts/login/", {"phone": phone, "password": password})


# ---------------------------------------------------------------- the client's address
@pytest.mark.parametrize(
    ("hops", "remote", "xff", "expected"),
    [
        (0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),  # no proxy: the header is the client's own words
        (1, "127.0.0.1", "1.2.3.4", "1.2.3.4"),  # nginx appended the real client
        (1, "127.0.0.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a forged entry on the left is ignored
        (2, "10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.1", "1.2.3.4"),  # load balancer, then nginx
        (2, "10.0.0.2", "1.2.3.4", "1.2.3.4"),  # a short header: its leftmost entry
        (1, "127.0.0.1", "", "127.0.0.1"),  # no header at all
        (1, "127.0.0.1", "not-an-ip", "127.0.0.1"),  # garbage falls back to the peer
        (1, "127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(settings, hops, remote, xff, expected):
    settings.COURTYARD_TRUSTED_PROXIES = hops
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


def test_ipv6_clients_are_counted_by_their_64_network():
    assert address_bucket("2001:db8:1:2:aaaa::1") == address_bucket("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert address_bucket("2001:db8:1:3::1") != address_bucket("2001:db8:1:2::1")
    assert address_bucket("::ffff:1.2.3.4") == "1.2.3.4"
    assert address_bucket("1.2.3.4") == "1.2.3.4"
    assert address_bucket(None) is None


def test_backoff_doubles_then_stops_at_its_cap():
    b = Backoff("t", free=3, base=2, cap=60)
    assert [b.delay(n) for n in range(9)] == [0, 0, 0, 2, 4, 8, 16, 32, 60]
    assert b.delay(10_000) == 60


# ---------------------------------------------------------------- progressive delay
@pytest.mark.django_db
def test_failures_bring_a_growing_wait_and_the_right_password_works_after_it(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 3
    user = make_user(person=tree.person1)
    c = _client()
    with time_machine.travel(_start(), tick=False) as clock:
        for _ in range(3):
            assert _post(c, user.phone, "wrong-password").status_code == 400
        # The third failure starts a 2-second wait; even the right password waits, unchecked.
        response = _post(c, user.phone, PASSWORD)
        assert response.status_code == 429 and response["Retry-After"] == "2"
        assert "Please wait 2 seconds" in response.content.decode()
        assert "_auth_user_id" not in c.session
        clock.shift(2)
        assert _post(c, user.phone, "wrong-password").status_code == 400  # 4th failure: 4 s
        assert _post(c, user.phone, PASSWORD)["Retry-After"] == "4"
        clock.shift(4)
        assert _post(c, user.phone, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_wait_is_capped_so_the_owner_is_never_walled_off(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 2
    settings.LOGIN_MAX_DELAY = 300
    user = make_user(person=tree.person1)
    c = _client()
    with time_machine.travel(_start(), tick=False) as clock:
        for _ in range(30):  # an attacker who waits out every delay
            assert _post(c, user.phone, "wrong-password").status_code == 400
            clock.shift(301)
        assert _post(c, user.phone, "wrong-password").status_code == 400
        response = _post(c, user.phone, PASSWORD)
        assert response.status_code == 429 and int(response["Retry-After"]) <= 300
        assert "Please wait 5 minutes" in response.content.decode()
        clock.shift(300)
        assert _post(c, user.phone, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_failures_are_forgotten_after_the_window(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 2
    settings.LOGIN_RATE_WINDOW = 900
    user = make_user(person=tree.person1)
    c = _client()
    with time_machine.travel(_start(), tick=False) as clock:
        for _ in range(2):
            _post(c, user.phone, "wrong-password")
        clock.shift(901)
        # Counting starts again: two free failures before any wait.
        assert _post(c, user.phone, "wrong-password").status_code == 400
        assert _post(c, user.phone, "wrong-password").status_code == 400
        assert _post(c, user.phone, PASSWORD).status_code == 429


# ---------------------------------------------------------------- one attacker, many victims
@pytest.mark.django_db
def test_behind_nginx_one_attacker_does_not_slow_the_neighbours(tree, make_user, settings):
    """All requests arrive from nginx (127.0.0.1); the real clients are in X-Forwarded-For."""
    settings.COURTYARD_TRUSTED_PROXIES = 1
    settings.LOGIN_RATE_LIMIT = 2
    victim = make_user(person=tree.person1)
    neighbour = make_user(person=tree.person2)
    attacker = _client("127.0.0.1", xff="203.0.113.66")
    with time_machine.travel(_start(), tick=False):
        for _ in range(60):  # 60 failures on 60 different accounts, and on the victim
            _post(attacker, f"139{_:08d}", "guess-123456")
        for _ in range(5):
            _post(attacker, victim.phone, "guess-123456")
        assert _post(attacker, victim.phone, PASSWORD).status_code == 429
        # The neighbour and the victim, on their own addresses behind the same nginx, log in at once.
        assert _post(_client("127.0.0.1", xff="198.51.100.20"), neighbour.phone, PASSWORD).status_code == 302
        assert _post(_client("127.0.0.1", xff="198.51.100.21"), victim.phone, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_without_the_proxy_setting_nginx_would_make_everyone_one_address(tree, make_user, settings):
    """The failure the setting exists for: with 0 hops, every client is 127.0.0.1."""
    settings.COURTYARD_TRUSTED_PROXIES = 0
    settings.LOGIN_RATE_LIMIT = 1  # ×20 = 20 free failures per address
    neighbour = make_user(person=tree.person2)
    attacker = _client("127.0.0.1", xff="203.0.113.66")
    with time_machine.travel(_start(), tick=False):
        for i in range(25):
            _post(attacker, f"139{i:08d}", "guess-123456")
        assert _post(_client("127.0.0.1", xff="198.51.100.20"), neighbour.phone, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_distributed_guess_slows_the_account_but_only_by_a_minute(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 2  # ×4 = 8 free failures per account from anywhere
    settings.LOGIN_ACCOUNT_MAX_DELAY = 60
    user = make_user(person=tree.person1)
    with time_machine.travel(_start(), tick=False) as clock:
        for i in range(40):
            _post(_client(f"203.0.113.{i + 1}"), user.phone, "wrong-password")
            clock.shift(61)
        _post(_client("203.0.113.99"), user.phone, "wrong-password")
        # The owner from a new address waits at most the account cap, then logs in.
        response = _post(_client("198.51.100.1"), user.phone, PASSWORD)
        assert response.status_code == 429 and int(response["Retry-After"]) <= 60
        clock.shift(60)
        assert _post(_client("198.51.100.1"), user.phone, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_known_device_is_not_slowed_by_anyone_elses_failures(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 2
    user = make_user(person=tree.person1)
    phone = _client("198.51.100.1")
    with time_machine.travel(_start(), tick=False):
        response = _post(phone, user.phone, PASSWORD)
        assert response.status_code == 302 and DEVICE_COOKIE in response.cookies
        phone.logout()
        attacker = _client("203.0.113.66")
        for _ in range(30):
            _post(attacker, user.phone, "wrong-password")
        assert _post(attacker, user.phone, PASSWORD).status_code == 429
        # The owner's phone carries the device cookie: not slowed.
        assert _post(phone, user.phone, PASSWORD).status_code == 302
        phone.logout()
        # The cookie belongs to that account: another number typed on that phone is not "known".
        other = make_user(person=tree.person2)
        assert other.phone != user.phone
        # A forged cookie is ignored (counted like an unknown device).
        attacker.cookies[DEVICE_COOKIE] = "forged"
        assert _post(attacker, user.phone, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_device_failures_are_still_counted(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 2
    user = make_user(person=tree.person1)
    phone = _client("198.51.100.1")
    with time_machine.travel(_start(), tick=False):
        _post(phone, user.phone, PASSWORD)
        phone.logout()
        for _ in range(2):
            assert _post(phone, user.phone, "wrong-password").status_code == 400
        assert _post(phone, user.phone, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_audit_records_the_real_client_address(tree, make_user, settings):
    from courtyard.core.models import AuditEvent

    settings.COURTYARD_TRUSTED_PROXIES = 1
    user = make_user(person=tree.person1)
    _post(_client("127.0.0.1", xff="6.6.6.6, 198.51.100.44"), user.phone, PASSWORD)
    assert AuditEvent.objects.get(action="core.user.login").ip == "198.51.100.44"


@pytest.mark.django_db
def test_the_wait_is_explained_in_chinese(tree, make_user, settings):
    settings.LOGIN_RATE_LIMIT = 1
    user = make_user(person=tree.person1)
    c = _client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with time_machine.travel(_start(), tick=False):
        _post(c, user.phone, "wrong-password")
        response = _post(c, user.phone, PASSWORD)
    assert response.status_code == 429 and "请等待 2 秒后再试" in response.content.decode()
