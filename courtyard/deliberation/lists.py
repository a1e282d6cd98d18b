"""Deliberation console lists on the console toolkit (courtyard/core/console)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.console import Column, ListPage

from . import permissions as p
from . import selectors
from .models import Notice


def _when(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _late(notice: Notice):
    if notice.is_late:
        return format_html('<span class="badge text-bg-danger">{}</span>', _("late"))
    return _("yes")


def _pdf(notice: Notice):
    return format_html('<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                       reverse("deliberation:public_notice_pdf", args=[notice.unit.slug, notice.pk]),
                       _("Print"), notice.title)


class NoticeList(ListPage):
    title = _("Notices")
    permission = p.VIEW_NOTICE
    template = "deliberation/console_notices.html"
    ordering = ("-published_at", "-id")
    columns = [
        Column("title", pgettext_lazy("notice", "Title"), link=lambda n: n.get_public_url()),
        Column("unit", _("Unit"), value="unit.name"),
        Column("kind", _("Kind")),
        Column("decided_at", _("Decided"), value=lambda n: _when(n.decided_at)),
        Column("published_at", _("Published"), value=lambda n: _when(n.published_at)),
        Column("late", _("Within 24 h"), html=_late),
        Column("period_ends", _("Period ends"), value=lambda n: _when(n.period_ends, "%Y-%m-%d")),
        Column("pdf", "PDF", html=_pdf),
    ]

    def get_queryset(self, user):
        return Notice.objects.visible_to(user).select_related("unit")

    def extra_context(self, request):
        return {"can_publish": request.user.has_perm(p.PUBLISH), "flags": selectors.console_flags(request.user)}
