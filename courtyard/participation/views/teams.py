"""Teams, the talent pool and training records: console lists and forms, and the residents' team page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, service_form
from courtyard.core.permissions import require_perm

from .. import forms, selectors, services
from ..choices import TeamState
from ..models import Talent, Team, TrainingRecord
from ..permissions import MANAGE_TEAMS, VIEW


class TeamList(ListPage):
    title = gettext_lazy("Teams")
    permission = VIEW
    export_name = "teams"
    ordering = ("unit_id", "name", "pk")

    def get_queryset(self, user):
        from django.db.models import Count

        return Team.objects.visible_to(user).select_related("unit", "started_by").annotate(n=Count("members"))

    def get_columns(self, request):
        def action(t):
            if t.state == TeamState.ACTIVE or not request.user.has_perm(MANAGE_TEAMS):
                return ""
            label = _("Incubate") if t.state == TeamState.PROPOSED else _("Mark active")
            return format_html('<form method="post" action="{}" class="d-inline"><input type="hidden" '
                               'name="csrfmiddlewaretoken" value="{}"><button class="btn btn-sm btn-outline-primary" '
                               'type="submit">{}<span class="visually-hidden"> {}</span></button></form>',
                               reverse("participation:advance_team", args=[t.pk]), get_token(request), label, t.name)

        return [*self.columns, Column("actions", gettext_lazy("Actions"), html=action, export=False)]

    columns = [
        Column("name", gettext_lazy("Name")),
        Column("kind", gettext_lazy("Kind")),
        Column("purpose", gettext_lazy("What it does")),
        Column("started_by", gettext_lazy("Started by"), value="started_by.name"),
        Column("n", gettext_lazy("Members"), numeric=True),
        Column("state", gettext_lazy("Status")),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
    ]


@require_POST
@require_perm(MANAGE_TEAMS)
def advance_team(request, pk: int):
    team = get_object_or_404(Team.objects.visible_to(request.user, MANAGE_TEAMS), pk=pk)
    try:
        services.advance_team(by=Actor.from_request(request), team=team)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    return redirect("participation:teams")


class TalentList(ListPage):
    title = gettext_lazy("Active residents and local talents")
    permission = VIEW
    export_name = "talent-pool"
    ordering = ("unit_id", "kind", "pk")
    columns = [
        Column("person", gettext_lazy("Person"), value="person.name"),
        Column("kind", gettext_lazy("Kind")),
        Column("skills", gettext_lazy("Skills")),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
    ]
    template = "participation/console/talent.html"

    def get_queryset(self, user):
        return Talent.objects.visible_to(user).select_related("person", "unit")

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_TEAMS)}


class TrainingList(ListPage):
    title = gettext_lazy("Training records")
    permission = VIEW
    export_name = "training"
    ordering = ("-day", "-pk")
    columns = [
        Column("day", gettext_lazy("Day"), sort=("day",)),
        Column("person", gettext_lazy("Person"), value="person.name"),
        Column("course", gettext_lazy("Course")),
        Column("level", gettext_lazy("Level")),
        Column("hours", gettext_lazy("Hours"), numeric=True),
    ]
    template = "participation/console/training.html"

    def get_queryset(self, user):
        return TrainingRecord.objects.visible_to(user).select_related("person")

    def extra_context(self, request):
        year = timezone.localdate().year - 1  # the last complete year, unless asked
        try:
            year = int(request.GET.get("year", year))
        except ValueError:
            pass
        year = min(max(year, 2000), 2100)
        return {"can_add": request.user.has_perm(MANAGE_TEAMS), "committee": selectors.committee_training(
            request.user, year)}


@require_perm(MANAGE_TEAMS)
def talent_new(request):
    units = selectors.units_for(request.user, MANAGE_TEAMS)
    form = forms.TalentForm(request.POST or None, units=units, people=selectors.people_of(units))
    return service_form(request, form, title=_("List a resident's skills"), back_url=reverse("participation:talent"),
                        write=lambda d: services.list_talent(by=Actor.from_request(request), **d),
                        success=_("Listed."), next=reverse("participation:talent"))


@require_perm(MANAGE_TEAMS)
def training_new(request):
    units = selectors.units_for(request.user, MANAGE_TEAMS)
    form = forms.TrainingForm(request.POST or None, units=units, people=selectors.people_of(units),
                              initial={"day": timezone.localdate()})
    return service_form(request, form, title=_("Record training"), back_url=reverse("participation:training"),
                        write=lambda d: services.record_training(by=Actor.from_request(request), **d),
                        success=_("The training is recorded."), next=reverse("participation:training"))


@login_required
def teams(request):
    data = selectors.my_teams(request.user)
    if data is None:
        messages.error(request, _("Your account is not linked to a home yet; ask your community office."))
        return redirect("web:home")
    form = forms.TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.start_team(by=Actor.from_request(request), **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            for m in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, m)
        else:
            messages.success(request, _("Your team is started. When a neighbour joins, the community office helps "
                                        "you get going."))
            return redirect("participation:my_teams")
    return render(request, "participation/teams.html", {**data, "form": form}, status=400 if form.errors else 200)


@require_POST
@login_required
def join(request, pk: int):
    team = get_object_or_404(Team, pk=pk)
    try:
        services.join_team(by=Actor.from_request(request), team=team)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Welcome to %(team)s!") % {"team": team.name})
    return redirect("participation:my_teams")
