"""Documents (DLB-6): versions, comment periods, consolidation, adoption (the vote on a version lives in votes)."""

from __future__ import annotations

import difflib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot

from .. import choices as c
from .. import permissions as p
from ..models import Document, DocumentComment, DocumentVersion
from ._common import _require
from .notices import publish_notice


# ================================================================ documents (DLB-6)
@transaction.atomic
def new_version(*, by: Actor, unit=None, document: Document | None = None, kind: str = "", title: str = "",
                text: str, note: str = "", status: str = c.VersionStatus.DRAFT, comments_until=None) -> DocumentVersion:
    if not text.strip():
        raise ValidationError(_("A version needs its text."))
    if status not in c.VersionStatus.values or status == c.VersionStatus.ADOPTED:
        raise ValidationError(_("A new version starts as a draft, open for comments or consolidated; it is "
                                "adopted by a vote."))
    if document is None:
        _require(by, p.MANAGE_TOPIC, unit)
        if not title.strip() or kind not in c.DocumentKind.values:
            raise ValidationError(_("A document needs a kind and a title."))
        document = Document.objects.create(unit=unit, kind=kind, title=title.strip()[:150])
    else:
        _require(by, p.MANAGE_TOPIC, document)
        document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion.objects.create(document=document, number=number, text=text.strip(), note=note,
                                             status=status, comments_until=comments_until, created_by=by.user)
    record(by, "deliberation.document.version", document, changes={"version": [None, number], "status": [None, status]})
    return version


@transaction.atomic
def open_comments(*, by: Actor, version: DocumentVersion, until) -> DocumentVersion:
    """Opens the comment period of a draft until `until` (residents comment on its sections)."""
    _require(by, p.MANAGE_TOPIC, version.document)
    version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status not in (c.VersionStatus.DRAFT, c.VersionStatus.CONSOLIDATED):
        raise ValidationError(_("Only a draft or a consolidated draft can be opened for comments."))
    if until is None or until <= timezone.now():
        raise ValidationError(_("The comment period must end in the future."))
    before = snapshot(version, fields=["status", "comments_until"])
    version.status, version.comments_until = c.VersionStatus.COMMENTS, until
    version.save(update_fields=["status", "comments_until"])
    record(by, "deliberation.document.comments_open", version.document,
           changes={**diff(before, snapshot(version, fields=["status", "comments_until"])),
                    "version": [None, version.number]})
    return version


@transaction.atomic
def consolidate(*, by: Actor, version: DocumentVersion, text: str, note: str = "") -> DocumentVersion:
    """The consolidated draft: a new version built from `version` and its comments; the commented one
    is closed for comments and superseded."""
    _require(by, p.MANAGE_TOPIC, version.document)
    version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status not in (c.VersionStatus.DRAFT, c.VersionStatus.COMMENTS):
        raise ValidationError(_("Only a draft or a version open for comments can be consolidated."))
    if not note.strip():
        note = _("Consolidated from version %(n)s (%(k)s comments)") % {"n": version.number,
                                                                        "k": version.comments.count()}
    new = new_version(by=by, document=version.document, text=text, note=note.strip()[:200],
                      status=c.VersionStatus.CONSOLIDATED)
    version.status = c.VersionStatus.SUPERSEDED
    version.save(update_fields=["status"])
    record(by, "deliberation.document.consolidate", version.document,
           changes={"from": [None, version.number], "to": [None, new.number]})
    return new


@transaction.atomic
def comment_section(*, by: Actor, version: DocumentVersion, section: str, body: str) -> DocumentComment:
    if version.status != c.VersionStatus.COMMENTS or (version.comments_until and timezone.now() > version.comments_until):
        raise ValidationError(_("This draft is not open for comments."))
    person = by.user.person if by.user else None
    if person is None or person.unit_id != version.document.unit_id:
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Write a comment first."))
    if section not in {head for head, _body in version.sections()}:
        raise ValidationError(_("Choose a section of the text."))
    comment = DocumentComment.objects.create(version=version, section=section[:150], author=by.user, body=body.strip())
    record(by, "deliberation.document.comment", version.document, changes={"comment": [None, comment.pk]})
    return comment


@transaction.atomic
def adopt_version(*, by: Actor, version: DocumentVersion) -> DocumentVersion:
    document = version.document
    document.versions.filter(status=c.VersionStatus.ADOPTED).update(status=c.VersionStatus.SUPERSEDED)
    version.status = c.VersionStatus.ADOPTED
    version.save(update_fields=["status"])
    document.adopted_version = version
    document.save(update_fields=["adopted_version"])
    record(by, "deliberation.document.adopt", document, changes={"adopted_version": [None, version.number]})
    publish_notice(by=Actor.system() if by.user is None else by, unit=document.unit, kind=c.NoticeKind.DOCUMENT,
                   title=_("Adopted: %(t)s (version %(n)s)") % {"t": document.title, "n": version.number},
                   body=version.text, decided_at=timezone.now())
    return version


def diff_versions(a: DocumentVersion, b: DocumentVersion) -> list[tuple[str, str]]:
    """Line diff as (op, text) with op in "same", "removed", "added" — rendered as <del>/<ins> with labels."""
    out = []
    for line in difflib.ndiff(a.text.splitlines(), b.text.splitlines()):
        op, text = line[:2], line[2:]
        if op == "  ":
            out.append(("same", text))
        elif op == "- ":
            out.append(("removed", text))
        elif op == "+ ":
            out.append(("added", text))
    return out
