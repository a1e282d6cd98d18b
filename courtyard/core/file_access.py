"""Who may fetch an uploaded file, and how it is sent.

Every stored file (`core.Attachment`) belongs to an owner object (a topic, a request step, a
ledger entry, a vote's proxy authorisation, a consent form, a roster import …). The app that
owns the model registers, in its `file_access.py` (autodiscovered by `core`), a predicate
`can_view(user, owner) -> bool` built from the same selectors/rules its pages use. The file
view serves a file only when that predicate says yes. A file with no owner, or whose owner's
model registered nothing, is served to nobody: a new upload path cannot leak by default.

Files a publisher deliberately published (`publish`, audited) are served to anyone when the
owner's registration says its files may be public (`publishable=True`, e.g. ledger entries whose
redacted copies appear on the public ledger page). Nothing else is ever public; MEDIA_URL is
never routed.

In production the web server sends the bytes: with `COURTYARD_FILES_X_ACCEL_PREFIX` set the
view answers with `X-Accel-Redirect` to an nginx `internal` location (docs/operations.md). In
the demo and in tests Django streams the file itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .audit import Actor, record
from .models import Attachment

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf", "video/mp4",
                          "video/quicktime", "video/webm"})


@dataclass(frozen=True)
class OwnerRule:
    can_view: Callable[[object, object], bool]
    publishable: bool = False
    can_publish: Callable[[object, object], bool] | None = None


_RULES: dict[str, OwnerRule] = {}


def register(model_label: str, *, can_view: Callable[[object, object], bool], publishable: bool = False,
             can_publish: Callable[[object, object], bool] | None = None) -> None:
    """Declare who may see files owned by rows of `model_label` ("app_label.modelname")."""
    _RULES[model_label.lower()] = OwnerRule(can_view=can_view, publishable=publishable, can_publish=can_publish)


def registered() -> dict[str, OwnerRule]:
    return dict(_RULES)


def _rule_for(attachment: Attachment) -> OwnerRule | None:
    if attachment.owner_type_id is None or not attachment.owner_id:
        return None
    ct = attachment.owner_type
    return _RULES.get(f"{ct.app_label}.{ct.model}")


def is_public(attachment: Attachment) -> bool:
    rule = _rule_for(attachment)
    return bool(rule and rule.publishable and attachment.published_at is not None)


def may_view(user, attachment: Attachment) -> bool:
    """True when `user` (possibly anonymous) may fetch this file."""
    rule = _rule_for(attachment)
    if rule is None:
        return False
    if rule.publishable and attachment.published_at is not None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    owner = attachment.owner
    if owner is None:
        return False
    return bool(rule.can_view(user, owner))


def file_response(attachment: Attachment, *, public: bool = False) -> HttpResponse:
    """The file's bytes (or the web server's internal redirect to them) with safe headers."""
    if not attachment.file:
        raise Http404
    prefix = getattr(settings, "COURTYARD_FILES_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=attachment.mime_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(attachment.file.name)
    else:
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, OSError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=attachment.mime_type)
        response["Content-Length"] = str(attachment.size)
    inline = attachment.mime_type in INLINE_TYPES
    response["Content-Disposition"] = content_disposition_header(not inline, attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    if not public:
        response["Vary"] = "Cookie"
    # A stored file is never a page: nothing in it may run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; " \
                                          "style-src 'unsafe-inline'; object-src 'self'"
    return response


@transaction.atomic
def publish(*, by: Actor, attachment: Attachment) -> Attachment:
    """Make a file public (a redacted copy for a public page). Only for owners registered as publishable."""
    rule = _rule_for(attachment)
    if rule is None or not rule.publishable:
        raise ValueError("files of this owner cannot be published")
    if rule.can_publish is not None and attachment.owner is not None and not rule.can_publish(by.user, attachment.owner):
        raise PermissionError("not allowed to publish this file")
    if attachment.published_at is not None:
        return attachment
    attachment.published_at = timezone.now()
    attachment.published_by = by.user
    attachment.save(update_fields=["published_at", "published_by"])
    record(by, "core.attachment.publish", attachment, changes={"published": [False, True]},
           community_id=getattr(attachment.owner, "community_id", None))
    return attachment


@transaction.atomic
def unpublish(*, by: Actor, attachment: Attachment) -> Attachment:
    if attachment.published_at is None:
        return attachment
    attachment.published_at = None
    attachment.published_by = None
    attachment.save(update_fields=["published_at", "published_by"])
    record(by, "core.attachment.unpublish", attachment, changes={"published": [True, False]},
           community_id=getattr(attachment.owner, "community_id", None))
    return attachment


@transaction.atomic
def discard_content(*, by: Actor, attachment: Attachment, reason: str) -> None:
    """Delete a file's bytes from storage, keeping its row (name, size, digest) as the record."""
    if not attachment.file:
        return
    name, storage = attachment.file.name, attachment.file.storage
    transaction.on_commit(lambda: storage.delete(name))
    attachment.file = ""
    attachment.save(update_fields=["file"])
    record(by, "core.attachment.discard", attachment, changes={"stored": [True, False]}, note=reason)
