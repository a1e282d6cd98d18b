"""Deliberation console lists on the console toolkit (courtyard/core/console)."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.console import Column, ListPage
from courtyard.core.console.natural import NaturalKey
from courtyard.org.models import SelfGovernanceUnit

from . import choices as c
from . import permissions as p
from . import selectors
from .models import Ballot, Elector, Meeting, Notice, Topic, TopicComment, Vote


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


# ---------------------------------------------------------------- topics, votes, meetings
def _count(model, fk: str, **where):
    """A per-row count as a correlated subquery (a page of 50 costs 50 index lookups, not a GROUP BY
    over every row in scope)."""
    inner = (model.objects.filter(**{fk: OuterRef("pk")}, **where).order_by().values(fk)
             .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(inner, output_field=IntegerField()), 0)


class UnitTitleFilter(df.FilterSet):
    """Title search and the units the user works on; each list adds its own choices."""

    text = df.CharFilter(label=_("Title contains"), field_name="title", lookup_expr="icontains")
    unit = df.ModelChoiceFilter(label=_("Unit"), queryset=SelfGovernanceUnit.objects.none(), empty_label=_("All"))

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user
        self.filters["unit"].queryset = selectors.units_for(user, self.view_perm).order_by(NaturalKey("name"), "pk")
        for f in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)


class TopicFilter(UnitTitleFilter):
    view_perm = p.VIEW_TOPIC
    step = df.ChoiceFilter(label=_("Step"), choices=c.Step.choices, empty_label=_("All"))


def _topic_title(t: Topic):
    out = format_html('<a href="{}">{}</a>', t.get_console_url(), t.title)
    if t.hidden:
        out = format_html('{} <span class="badge text-bg-secondary">{}</span>', out, _("hidden"))
    if t.merged_into_id:
        out = format_html('{} <span class="badge text-bg-secondary">{}</span>', out, _("merged"))
    return out


def _channel(t: Topic) -> str:
    label = t.get_channel_display()
    return f"{label} · {_('offline entry')}" if t.offline_entry else label


class TopicList(ListPage):
    title = _("Topics")
    permission = p.VIEW_TOPIC
    filterset_class = TopicFilter
    export_name = "topics"
    template = "deliberation/console_topics.html"
    ordering = ("-proposed_at", "-pk")
    columns = [
        Column("title", pgettext_lazy("notice", "Title"), html=_topic_title, export_value=lambda t: t.title),
        Column("unit", _("Unit"), value="unit.name"),
        Column("channel", _("Raised through"), value=_channel),
        Column("step", _("Step"), sort=("step",)),
        Column("tier", _("Handling")),
        Column("n_comments", _("Comments"), numeric=True),
        Column("proposed_at", _("Proposed"), value=lambda t: _when(t.proposed_at, "%Y-%m-%d"),
               sort=("proposed_at",)),
    ]

    def get_queryset(self, user):
        return (Topic.objects.visible_to(user, p.VIEW_TOPIC).select_related("unit")
                .annotate(n_comments=_count(TopicComment, "topic")))

    def extra_context(self, request):
        return {"flags": selectors.console_flags(request.user)}


class VoteFilter(UnitTitleFilter):
    view_perm = p.VIEW_VOTE
    status = df.ChoiceFilter(label=_("Status"), choices=c.VoteStatus.choices, empty_label=_("All"))


class VoteList(ListPage):
    title = _("Votes")
    permission = p.VIEW_VOTE
    filterset_class = VoteFilter
    export_name = "votes"
    template = "deliberation/console_votes.html"
    ordering = ("-opens_at", "-pk")
    columns = [
        Column("title", pgettext_lazy("notice", "Title"), link=lambda v: v.get_console_url()),
        Column("unit", _("Unit"), value="unit.name"),
        Column("electorate", _("Who votes")),
        Column("rule", _("Rule")),
        Column("status", _("Status"), sort=("status",)),
        Column("turnout", _("Ballots / electors"), value=lambda v: f"{v.n_ballots} / {v.n_electors}"),
        Column("closes_at", _("Closes"), value=lambda v: _when(v.closes_at), sort=("closes_at",)),
    ]

    def get_queryset(self, user):
        return (Vote.objects.visible_to(user, p.VIEW_VOTE).select_related("unit")
                .annotate(n_ballots=_count(Ballot, "vote", is_current=True), n_electors=_count(Elector, "vote")))

    def extra_context(self, request):
        return {"can_create": request.user.has_perm(p.MANAGE_VOTE)}


class MeetingFilter(UnitTitleFilter):
    view_perm = p.VIEW_MEETING
    kind = df.ChoiceFilter(label=_("Kind"), choices=c.MeetingKind.choices, empty_label=_("All"))
    minutes = df.BooleanFilter(label=_("Minutes recorded"), field_name="minutes_at", lookup_expr="isnull",
                               exclude=True, widget=forms.Select(choices=[("", _("All")), ("true", _("yes")),
                                                                          ("false", _("no"))]))


class MeetingList(ListPage):
    title = _("Meetings")
    permission = p.VIEW_MEETING
    filterset_class = MeetingFilter
    export_name = "meetings"
    template = "deliberation/console_meetings.html"
    ordering = ("-starts_at", "-pk")
    columns = [
        Column("title", pgettext_lazy("notice", "Title"),
               link=lambda m: reverse("deliberation:console_meeting", args=[m.pk])),
        Column("unit", _("Unit"), value="unit.name"),
        Column("kind", _("Kind")),
        Column("starts_at", _("Starts"), value=lambda m: _when(m.starts_at), sort=("starts_at",)),
        Column("minutes", _("Minutes"), value=lambda m: _("recorded") if m.minutes_at else None),
    ]

    def get_queryset(self, user):
        return Meeting.objects.visible_to(user, p.VIEW_MEETING).select_related("unit")

    def extra_context(self, request):
        from . import services

        units = selectors.units_for(request.user, p.VIEW_MEETING)[:20]
        return {"can_create": request.user.has_perm(p.MANAGE_MEETING),
                "missed": [(u, services.missed_cadences(u)) for u in units]}
