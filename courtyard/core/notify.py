"""Notifications: an in-app inbox row always, plus optional email / SMS / WeChat deliveries.

`notify` writes the Notification rows (and a Delivery row per extra channel) in the
caller's transaction; the deliveries are queued as background tasks only when that
transaction commits, so a rolled-back action never sends a message.

SMS and WeChat go through adapters named in settings (COURTYARD_SMS_BACKEND,
COURTYARD_WECHAT_BACKEND) with one method, `send(*, phone, title, body, url)`. The console
adapters only write a log line, with the number masked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from . import pii
from .models import Delivery, Notification, User

logger = logging.getLogger(__name__)

INBOX = "inbox"
EXTERNAL_CHANNELS = ("email", "sms", "wechat")
CHANNELS = (INBOX, *EXTERNAL_CHANNELS)
_ADAPTER_SETTINGS = {"sms": "COURTYARD_SMS_BACKEND", "wechat": "COURTYARD_WECHAT_BACKEND"}


# ---------------------------------------------------------------- adapters
class MessageBackend:
    """Interface of an SMS / WeChat adapter. Raise any exception to mark the delivery failed."""

    channel = ""

    def send(self, *, phone: str, title: str, body: str, url: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(MessageBackend):
    """Development adapter: logs one structured line; never the plain number."""

    channel = "sms"

    def send(self, *, phone: str, title: str, body: str, url: str) -> None:
        logger.info(
            "%s message to %s: %s",
            self.channel,
            pii.mask_phone(phone),
            title,
            extra={
                "event": "notify.send",
                "channel": self.channel,
                "phone": pii.mask_phone(phone),
                "title": title,
                "url": url,
                "body_chars": len(body),
            },
        )


class ConsoleWeChatBackend(ConsoleSMSBackend):
    channel = "wechat"


def get_adapter(channel: str) -> MessageBackend:
    return import_string(getattr(settings, _ADAPTER_SETTINGS[channel]))()


# ---------------------------------------------------------------- texts in the recipient's language
class Text:
    """A message rendered later, in each recipient's language.

        Text(gettext_lazy("Your request #%(n)d has been accepted."), n=38)
        Text(STATE_MESSAGES[state], n=38)     # a gettext_noop'ed msgid works too

    The message is translated when `render()` runs (inside `translation.override`), and so
    are parameters that are lazy strings (choice labels) or Texts themselves. Plain str
    parameters (a title a person typed) are left as they are.
    """

    __slots__ = ("message", "params")

    def __init__(self, message, /, **params):
        self.message, self.params = message, params

    def render(self) -> str:
        message = gettext(self.message) if isinstance(self.message, str) else str(self.message)
        if not self.params:
            return message
        return message % {k: render(v) for k, v in self.params.items()}

    def __str__(self) -> str:  # in the active language
        return self.render()

    def __repr__(self) -> str:
        return f"Text({str(self.message)!r}, **{self.params!r})"


def render(value) -> object:
    """A Text, lazy string or callable rendered in the active language; anything else unchanged."""
    if isinstance(value, Text):
        return value.render()
    if isinstance(value, Promise):
        return str(value)
    if callable(value):
        return render(value())
    return value


def language_of(user: User) -> str:
    """The language a user reads messages in: their setting, else the site default (zh-Hans)."""
    return user.language or settings.LANGUAGE_CODE


# ---------------------------------------------------------------- writes
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str | Text,
    body: str | Text = "",
    url: str = "",
    channels: Sequence[str] = (INBOX,),
) -> list[Notification]:
    """Create inbox notifications for `recipients`; queue extra channels on commit.

    Inactive users and duplicates are skipped. Title and body may be `Text`s, lazy strings or
    callables: they are rendered once per recipient language (`language_of`), not in the
    sender's, and stored as text, so e-mail, SMS and WeChat send what the inbox shows.
    A plain str is stored as it is.
    """
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []

    now = timezone.now()
    url = str(url)[:500]
    texts: dict[str, tuple[str, str]] = {}
    for language in {language_of(user) for user in users}:
        with translation.override(language):
            texts[language] = (str(render(title))[:200], str(render(body)))
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(recipient=user, kind=kind, title=texts[language_of(user)][0],
                             body=texts[language_of(user)][1], url=url, created_at=now)
                for user in users
            ]
        )
        extra = [c for c in dict.fromkeys(channels) if c in EXTERNAL_CHANNELS]
        deliveries = Delivery.objects.bulk_create(
            [Delivery(notification=n, channel=channel) for n in notifications for channel in extra]
        )
        for delivery in deliveries:
            transaction.on_commit(partial(_enqueue, delivery.pk))
        _forget_unread_now_and_on_commit([user.pk for user in users])
    return notifications


def _forget_unread(user_ids: list[int]) -> None:
    from .selectors import unread_key

    cache.delete_many([unread_key(pk) for pk in user_ids])


def _forget_unread_now_and_on_commit(user_ids: list[int]) -> None:
    """Drop the cached badge counts now (reads later in this transaction see the change) and again
    when the transaction commits (a read by another request in between cached the old count)."""
    _forget_unread(user_ids)
    transaction.on_commit(partial(_forget_unread, user_ids))


def _enqueue(delivery_id: int) -> None:
    from .tasks import send_delivery

    send_delivery.enqueue(delivery_id)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when `notification_ids` is None).

    Only the user's own notifications change; returns how many did.
    """
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    changed = qs.update(read_at=timezone.now())
    _forget_unread_now_and_on_commit([user.pk])
    return changed


# ---------------------------------------------------------------- sending (runs in the task worker)
def absolute_url(url: str) -> str:
    if url.startswith("/"):
        return settings.COURTYARD_SITE_URL.rstrip("/") + url
    return url


def _send(delivery: Delivery) -> bool:
    """Send through the channel; returns False when the user has no address for it."""
    notification = delivery.notification
    user = notification.recipient
    url = absolute_url(notification.url)
    if delivery.channel == "email":
        if not user.email:
            return False
        message = notification.body
        if url:
            message = f"{message}\n\n{url}" if message else url
        send_mail(notification.title, message, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        return True
    if delivery.channel in _ADAPTER_SETTINGS:
        if not user.phone:
            return False
        get_adapter(delivery.channel).send(phone=user.phone, title=notification.title, body=notification.body, url=url)
        return True
    raise ValueError(f"unknown channel {delivery.channel!r}")


_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    """Mask mobile numbers in text that is logged or stored (e.g. an adapter's error message)."""
    return _MOBILE_RE.sub(lambda m: pii.mask_phone(m.group()), text)


def deliver(delivery_id: int) -> str:
    """Send one pending delivery and record the outcome on it; returns the new status."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification__recipient")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status != Delivery.Status.PENDING:
            return delivery.status
        delivery.attempts += 1
        try:
            sent = _send(delivery)
        except Exception as exc:  # noqa: BLE001 - any adapter failure is recorded, not raised
            delivery.status = Delivery.Status.FAILED
            delivery.error = scrub(f"{type(exc).__name__}: {exc}")[:2000]
            logger.warning(
                "notification delivery failed",
                extra={"event": "notify.failed", "delivery": delivery.pk, "channel": delivery.channel,
                       "error": delivery.error},
            )
        else:
            if sent:
                delivery.status = Delivery.Status.SENT
                delivery.sent_at = timezone.now()
            else:
                delivery.status = Delivery.Status.SKIPPED
            delivery.error = ""
        delivery.save(update_fields=["status", "attempts", "error", "sent_at"])
        return delivery.status
