import json
import logging

import pytest
from django.core import mail

from courtyard.core import notify as notify_module
from courtyard.core.logging import JsonFormatter
from courtyard.core.models import Delivery, Notification
from courtyard.core.notify import mark_read, notify
from courtyard.core.selectors import inbox, unread_count

from .factories import make_user

pytestmark = pytest.mark.django_db


class FailingSMS:
    def send(self, *, phone, title, body, url):
        raise ConnectionError(f"gateway refused {phone}")


class RecordingSMS:
    sent: list = []

    def send(self, *, phone, title, body, url):
        RecordingSMS.sent.append({"phone": phone, "title": title, "body": body, "url": url})


def test_inbox_rows_are_created_for_each_active_recipient():
    a, b = make_user(), make_user()
    gone = make_user()
    gone.is_active = False
    gone.save()

    rows = notify(recipients=[a, b, a, gone], kind="topic.opened", title="Vote opens", body="Go vote", url="/t/1/")

    assert len(rows) == 2
    assert all(n.pk for n in rows)
    assert Notification.objects.filter(recipient=a).count() == 1
    assert not Notification.objects.filter(recipient=gone).exists()
    assert not Delivery.objects.exists()  # inbox only by default
    assert unread_count(a) == 1
    assert [n.title for n in inbox(a)] == ["Vote opens"]


def test_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError):
        notify(recipients=[make_user()], kind="x", title="t", channels=("inbox", "fax"))


def test_email_is_sent_on_commit(django_capture_on_commit_callbacks, settings):
    settings.COURTYARD_SITE_URL = "https://courtyard.example.org"
    user = make_user(email="resident@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[user], kind="k", title="Meeting tonight", body="7 pm, courtyard", url="/m/3/",
               channels=("inbox", "email"))
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 2  # the e-mail delivery and dropping the cached unread count
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["resident@example.org"]
    assert message.subject == "Meeting tonight"
    assert "7 pm, courtyard" in message.body
    assert "https://courtyard.example.org/m/3/" in message.body
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None


def test_email_without_address_is_skipped(django_capture_on_commit_callbacks):
    user = make_user(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="k", title="t", channels=("email",))
    assert mail.outbox == []
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED
    assert Notification.objects.filter(recipient=user).exists()  # the inbox row is always there


def test_sms_through_console_backend_logs_masked_phone(django_capture_on_commit_callbacks, caplog, settings):
    settings.COURTYARD_SMS_BACKEND = "courtyard.core.notify.ConsoleSMSBackend"
    user = make_user(phone="13912345678")
    with caplog.at_level(logging.INFO, logger="courtyard.core.notify"), \
            django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="k", title="Water off tomorrow", channels=("inbox", "sms"))

    assert Delivery.objects.get().status == Delivery.Status.SENT
    records = [r for r in caplog.records if getattr(r, "event", "") == "notify.send"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    assert json.loads(line)["phone"] == "139****5678"
    assert json.loads(line)["channel"] == "sms"
    assert "13912345678" not in line
    assert "13912345678" not in caplog.text


def test_wechat_uses_its_own_adapter(django_capture_on_commit_callbacks, settings):
    settings.COURTYARD_WECHAT_BACKEND = "courtyard.core.tests.test_notify.RecordingSMS"
    RecordingSMS.sent = []
    user = make_user(phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="k", title="Hi", body="b", url="/x/", channels=("wechat",))
    assert RecordingSMS.sent == [
        {"phone": "13912345678", "title": "Hi", "body": "b", "url": settings.COURTYARD_SITE_URL.rstrip("/") + "/x/"}
    ]


def test_failing_adapter_marks_delivery_failed_and_keeps_notification(django_capture_on_commit_callbacks, settings):
    settings.COURTYARD_SMS_BACKEND = "courtyard.core.tests.test_notify.FailingSMS"
    user = make_user(phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(recipients=[user], kind="k", title="t", channels=("inbox", "sms"))

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 1
    assert "ConnectionError: gateway refused" in delivery.error
    assert "13912345678" not in delivery.error  # the number in the message is masked
    assert "139****5678" in delivery.error
    assert Notification.objects.filter(pk=rows[0].pk).exists()


def test_deliver_does_not_send_twice(django_capture_on_commit_callbacks):
    user = make_user(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="k", title="t", channels=("email",))
    delivery = Delivery.objects.get()
    assert notify_module.deliver(delivery.pk) == Delivery.Status.SENT
    assert len(mail.outbox) == 1


def test_rolled_back_notify_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    user = make_user(email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(recipients=[user], kind="k", title="t", channels=("email",))
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_mark_read_only_touches_own_notifications():
    me, other = make_user(), make_user()
    mine = notify(recipients=[me], kind="k", title="one") + notify(recipients=[me], kind="k", title="two")
    theirs = notify(recipients=[other], kind="k", title="three")

    assert mark_read(user=me, notification_ids=[mine[0].pk, theirs[0].pk]) == 1
    assert unread_count(me) == 1
    assert unread_count(other) == 1
    assert [n.title for n in inbox(me, unread_only=True)] == ["two"]
    assert mark_read(user=me) == 1
    assert unread_count(me) == 0


def test_unread_count_is_cached_and_refreshed_by_notify_and_mark_read(django_assert_num_queries):
    user = make_user()
    assert unread_count(user) == 0
    with django_assert_num_queries(0):
        assert unread_count(user) == 0  # served from the cache
    notify(recipients=[user], kind="k", title="One")
    assert unread_count(user) == 1
    notify(recipients=[user], kind="k", title="Two")
    assert unread_count(user) == 2
    mark_read(user=user)
    assert unread_count(user) == 0
