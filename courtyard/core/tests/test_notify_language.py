"""Notifications are written in each recipient's language, not the sender's (ADR 0011)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from courtyard.core.models import Delivery, Notification
from courtyard.core.notify import Text, notify
from courtyard.servicedesk.choices import State

from .factories import make_user

pytestmark = pytest.mark.django_db


class RecordingSMS:
    sent: list = []

    def send(self, *, phone, title, body, url):
        RecordingSMS.sent.append({"phone": phone, "title": title, "body": body})


def _user(language: str):
    user = make_user()
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_each_recipient_reads_the_message_in_their_own_language(settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the site default, as in production
    chinese, default, english = _user("zh-hans"), _user(""), _user("en")
    with translation.override("en"):  # the sender works in English
        notify(recipients=[chinese, default, english], kind="k",
               title=Text(gettext_noop("Your request #%(n)d has been accepted."), n=38),
               body=Text(gettext_lazy("Escalated to: %(l)s"), l=State.ACCEPTED.label))
    rows = {n.recipient_id: n for n in Notification.objects.all()}
    assert rows[chinese.pk].title == "您反映的问题（编号 38）已受理。"
    assert rows[default.pk].title == rows[chinese.pk].title  # no setting: the site default
    assert rows[english.pk].title == "Your request #38 has been accepted."
    # Lazy parameters (choice labels) follow the recipient too.
    with translation.override("zh-hans"):
        zh_body = translation.gettext("Escalated to: %(l)s") % {"l": State.ACCEPTED.label}
    assert rows[english.pk].body == "Escalated to: Accepted"
    assert rows[chinese.pk].body == zh_body
    assert not any(ch.isascii() and ch.isalpha() for ch in zh_body)


def test_plain_text_is_stored_as_written():
    user = _user("zh-hans")
    notify(recipients=[user], kind="k", title="李秀英 wrote", body="Hello")
    n = Notification.objects.get()
    assert (n.title, n.body) == ("李秀英 wrote", "Hello")


def test_sms_sends_the_recipients_language(django_capture_on_commit_callbacks, settings):
    settings.COURTYARD_SMS_BACKEND = f"{__name__}.RecordingSMS"
    RecordingSMS.sent = []
    user = _user("zh-hans")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="k", title=Text(gettext_noop("Your request #%(n)d is closed."), n=7),
               channels=("inbox", "sms"))
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert RecordingSMS.sent[0]["title"] == "您反映的问题（编号 7）已结案。"


def test_text_renders_in_the_active_language():
    message = Text(gettext_noop("Your request #%(n)d is closed."), n=7)
    with translation.override("zh-hans"):
        assert str(message) == "您反映的问题（编号 7）已结案。"
    with translation.override("en"):
        assert str(message) == "Your request #7 is closed."
