"""Passwords (ADR 0010): change your own; staff send a one-time code by SMS; the resident sets a
new password with it. Codes expire, work once, die after wrong tries, are throttled and audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from courtyard.core.models import AuditEvent, PasswordResetCode
from courtyard.org.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Lotus-pond-1988"


class Outbox:
    """An SMS adapter that keeps what it was given."""

    sent: list[dict] = []

    def send(self, *, phone, title, body, url):
        Outbox.sent.append({"phone": phone, "title": title, "body": body})


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.COURTYARD_SMS_BACKEND = f"{__name__}.Outbox"
    Outbox.sent = []
    cache.clear()
    yield
    cache.clear()


def _en(c: Client) -> Client:
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def _code() -> str:
    return re.search(r"\b(\d{6})\b", Outbox.sent[-1]["body"]).group(1)


def _start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0, 5)))


@pytest.fixture
def resident(tree, make_user):
    return make_user(person=tree.person1, display_name=tree.person1.name)


@pytest.fixture
def staff(tree, make_user, login):
    return _en(login(make_user("community_staff", tree.community_a)))


@pytest.fixture
def send_code(django_capture_on_commit_callbacks):
    """POST the console button; the SMS leaves when the transaction commits."""

    def _send(staff: Client, person):
        with django_capture_on_commit_callbacks(execute=True):
            return staff.post(f"/console/people/{person.pk}/password-code/", follow=True)

    return _send


def _reset(c: Client, phone: str, code: str, new: str = NEW, again: str | None = None):
    return c.post("/accounts/reset/", {"phone": phone, "code": code, "new": new, "again": again or new})


# ---------------------------------------------------------------- change your own
def test_change_own_password(resident, login):
    c = _en(login(resident))
    assert c.get("/settings/password/").status_code == 200
    response = c.post("/settings/password/", {"old": PASSWORD, "new": NEW, "again": NEW})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(NEW)
    assert c.get("/").status_code == 200  # still logged in on this phone
    event = AuditEvent.objects.get(action="core.user.password_change")
    assert event.actor == resident and NEW not in str(event.changes) + event.note


@pytest.mark.parametrize(
    ("old", "new", "again", "message"),
    [
        ("wrong-old-pw", NEW, NEW, "current password is wrong"),
        (PASSWORD, NEW, NEW + "x", "not the same"),
        (PASSWORD, "short1", "short1", "too short"),
        (PASSWORD, "12345678901", "12345678901", "entirely numeric"),
        (PASSWORD, "password123", "password123", "too common"),
    ],
)
def test_change_refuses_with_a_clear_message_and_changes_nothing(resident, login, old, new, again, message):
    c = _en(login(resident))
    response = c.post("/settings/password/", {"old": old, "new": new, "again": again})
    assert response.status_code == 400 and message in response.content.decode()
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="core.user.password_change").exists()


def test_a_password_may_not_contain_the_phone_number(resident, login):
    c = _en(login(resident))
    pw = f"x{resident.phone}x"
    response = c.post("/settings/password/", {"old": PASSWORD, "new": pw, "again": pw})
    assert response.status_code == 400 and "must not contain your mobile number" in response.content.decode()


def test_change_messages_are_chinese_by_default(resident, login):
    c = login(resident)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = c.post("/settings/password/", {"old": "wrong-old-pw", "new": NEW, "again": NEW})
    assert "当前密码不正确" in response.content.decode()


def test_other_sessions_end_after_a_change(resident, login):
    other = login(resident)
    c = login(resident)
    c.post("/settings/password/", {"old": PASSWORD, "new": NEW, "again": NEW})
    assert other.get("/").status_code == 302  # sent to the login page


# ---------------------------------------------------------------- reset with a code
def test_staff_send_a_code_and_the_resident_sets_a_new_password(tree, resident, staff, send_code):
    response = send_code(staff, tree.person1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A one-time code was sent by SMS" in html and resident.masked_phone in html
    assert len(Outbox.sent) == 1 and Outbox.sent[0]["phone"] == resident.phone
    code = _code()
    # Staff never see the code: not on the page, not in the trail, not in the database.
    assert code not in html
    sent = AuditEvent.objects.get(action="core.user.password_code_sent")
    assert code not in sent.note + str(sent.changes) and sent.community_id == tree.community_a.pk
    assert PasswordResetCode.objects.get().code_hash != code

    c = _en(Client())
    response = _reset(c, resident.phone, code)
    assert response.status_code == 302 and response.url == "/accounts/login/"
    resident.refresh_from_db()
    assert resident.check_password(NEW)
    assert AuditEvent.objects.get(action="core.user.password_reset").actor == resident
    assert c.post("/accounts/login/", {"phone": resident.phone, "password": NEW}).status_code == 302
    # Single use.
    assert _reset(_en(Client()), resident.phone, code, new="Another-pw-2024").status_code == 400


def test_a_code_expires(tree, resident, staff, send_code):
    with time_machine.travel(_start(), tick=False) as clock:
        send_code(staff, tree.person1)
        clock.shift(dt.timedelta(minutes=settings.COURTYARD_RESET_CODE_MINUTES, seconds=1))
        response = _reset(_en(Client()), resident.phone, _code())
        assert response.status_code == 400 and "code has expired" in response.content.decode()
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)


def test_a_code_dies_after_five_wrong_tries(tree, resident, staff, send_code):
    send_code(staff, tree.person1)
    code = _code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert _reset(_en(Client()), resident.phone, wrong).status_code == 400
    assert PasswordResetCode.objects.get().failed_tries == 5
    assert _reset(_en(Client()), resident.phone, code).status_code == 400
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)


def test_a_new_code_replaces_the_old_one(tree, resident, staff, send_code):
    send_code(staff, tree.person1)
    first = _code()
    send_code(staff, tree.person1)
    second = _code()
    if first != second:
        assert _reset(_en(Client()), resident.phone, first).status_code == 400
    assert _reset(_en(Client()), resident.phone, second).status_code == 302


def test_an_unknown_number_gets_the_same_answer_as_a_wrong_code(tree, resident, staff, send_code):
    send_code(staff, tree.person1)
    unknown = _reset(_en(Client()), "13900000000", "123456").content.decode()
    wrong = _reset(_en(Client()), resident.phone, "999999" if _code() != "999999" else "888888").content.decode()
    message = "The number or the code is wrong"
    assert message in unknown and message in wrong
    # A weak new password is refused before the number is looked up, alike for both.
    weak_unknown = _reset(_en(Client()), "13900000000", "123456", new="short1").content.decode()
    weak_known = _reset(_en(Client()), resident.phone, _code(), new="short1").content.decode()
    assert "too short" in weak_unknown and "too short" in weak_known


def test_sending_codes_is_throttled_per_account(tree, resident, staff, send_code, settings):
    settings.COURTYARD_RESET_CODES_PER_HOUR = 2
    with time_machine.travel(_start(), tick=False) as clock:
        for _ in range(2):
            send_code(staff, tree.person1)
        response = send_code(staff, tree.person1)
        assert "several times this hour" in response.content.decode()
        assert len(Outbox.sent) == 2
        clock.shift(3600)
        send_code(staff, tree.person1)
        assert len(Outbox.sent) == 3


def test_only_staff_who_may_edit_the_person_can_send_a_code(tree, resident, make_user, login):
    head = login(make_user("building_head", tree.building1))  # sees people, may not edit
    assert head.post(f"/console/people/{tree.person1.pk}/password-code/").status_code == 403
    far = login(make_user("grid_worker", tree.grid2))  # person1 lives in grid 1
    assert far.post(f"/console/people/{tree.person1.pk}/password-code/").status_code == 404
    assert Outbox.sent == [] and not PasswordResetCode.objects.exists()


def test_person_page_offers_the_button_only_for_people_with_a_login(tree, resident, staff, send_code):
    assert "Send a password code by SMS" in staff.get(f"/console/people/{tree.person1.pk}/").content.decode()
    assert "Send a password code by SMS" not in staff.get(f"/console/people/{tree.person3.pk}/").content.decode()


def test_login_page_links_to_the_reset_page(client):
    assert "/accounts/reset/" in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/reset/")["Cache-Control"] == "no-store"
