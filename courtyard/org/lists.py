"""The registry's console lists, declared on the console toolkit (courtyard/core/console)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models.functions import Length
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core import audit_labels
from courtyard.core.access import ROLES
from courtyard.core.console import Column, ListPage
from courtyard.core.console.lists import PAGING_PARAMS
from courtyard.core.console.widgets import fast_widgets
from courtyard.core.models import AuditEvent

from . import access, selectors
from .filters import AuditFilter, DwellingFilter, GrantFilter, PersonFilter
from .reveal import TooManyReveals

NUMBER_SEARCHES = ("phone", "id_number")


def too_many_reveals(wait: int) -> str:
    return _("You have looked up many full numbers in a short time. Please wait %(n)d seconds.") % {"n": wait}


def _dwelling_label(d) -> str:
    return f"{d.building.name}{d.entrance.name}{d.number}"


class DwellingList(ListPage):
    title = _("Dwellings")
    permission = access.VIEW_DWELLING
    export_permission = access.EXPORT_LISTS
    export_name = "dwellings"
    filterset_class = DwellingFilter
    # The unique (entrance, number) index; rooms in natural order within an entrance (101 … 1101).
    ordering = ("entrance_id", Length("number"), "number")
    # Read-only and side-effect free: kept per user and query until one of these changes (ADR 0035).
    cache_models = ("org.Dwelling", "org.DwellingLink", "org.Place", "org.Courtyard", "org.SelfGovernanceUnit")
    columns = [
        Column("label", _("Dwelling"), value=_dwelling_label, link=lambda d: f"/console/dwellings/{d.pk}/"),
        Column("courtyard", _("Courtyard"), value="courtyard.name"),
        Column("unit", _("Unit"), value="unit.name"),
        Column("area_m2", _("Area (m²)"), numeric=True),
        Column("area_source", _("Area source")),
        Column("property_type", _("Property type")),
        Column("occupancy", _("Occupancy")),
        Column("owner_count", _("Owners"), numeric=True),
    ]

    def get_queryset(self, user):
        # Only what the columns show: fewer columns to convert on 50 rows x 5 joined models.
        return selectors.dwellings_for(user).only(
            "number", "area_m2", "area_source", "property_type", "occupancy", "entrance_id", "building_id",
            "courtyard_id", "unit_id", "entrance__name", "building__name", "courtyard__name", "unit__name")


class PersonList(ListPage):
    title = _("People")
    permission = access.VIEW_PERSON
    export_permission = access.EXPORT_LISTS
    export_name = "people"
    filterset_class = PersonFilter
    distinct = True
    ordering = ("path", "name", "pk")
    columns = [
        Column("name", _("Name"), link=lambda p: f"/console/people/{p.pk}/", sort=("name",)),
        Column("gender", _("Gender")),
        Column("birth_year", _("Born"), numeric=True),
        Column("masked_phone", _("Mobile")),
        Column("residence_status", _("Residence status")),
        Column("home", _("Home"), value=lambda p: p.home.label if p.home_id else None),
        Column("tags", _("Tags"), value=lambda p: ", ".join(str(t) for t in p.tags.all()) or None),
    ]

    def get_queryset(self, user):
        return selectors.people_for(user).prefetch_related("tags")

    refused: TooManyReveals | None = None

    def filtered(self, user, params):
        """A search by full phone or ID number is a reveal (org/reveal.py) and spends from the reveal
        budget; past it, the list answers with no rows and says why."""
        try:
            return super().filtered(user, params)
        except TooManyReveals as exc:
            self.refused = exc
            qs = self.get_queryset(user).none()
            filterset = self.filterset_class(self.filter_data(params), queryset=qs, user=user)
            fast_widgets(filterset.form)
            return qs, filterset

    def extra_context(self, request):
        if self.refused is not None:
            messages.error(request, too_many_reveals(self.refused.wait))
        return {}

    def get(self, request):
        response = super().get(request)
        if any(request.GET.get(name) for name in NUMBER_SEARCHES):
            response["Cache-Control"] = "no-store"  # a number search's answer must stay out of every cache
        return response


def _role_label(grant) -> str:
    role = ROLES.get(grant.role)
    return str(role.label) if role else grant.role


class GrantList(ListPage):
    title = _("Roles")
    permission = access.VIEW_GRANTS
    export_permission = access.EXPORT_LISTS
    export_name = "roles"
    filterset_class = GrantFilter
    template = "org/grants.html"
    ordering = ("role", "user__display_name", "pk")
    columns = [
        Column("user", _("Person"), value="user.display_name"),
        Column("role", _("Role"), value=_role_label),
        Column("scope", _("Scope"), value=lambda g: str(g.scope)),
        Column("title", pgettext_lazy("position", "Title")),
        Column("start_date", _("From"), sort=("start_date",)),
        Column("end_date", _("Until")),
    ]

    def get_queryset(self, user):
        return selectors.grants_for(user)

    def filter_data(self, params):
        """Current grants only until the filter is used (paging and sorting keep that default)."""
        if any(k not in PAGING_PARAMS for k in params):
            return params
        data = params.copy()
        data["current"] = "on"
        return data

    def get_columns(self, request):
        if not request.user.has_perm(access.MANAGE_ROLES):
            return self.columns
        token = get_token(request)

        def end_button(g):
            if g.end_date:
                return ""
            return format_html(
                '<form method="post" action="{}" class="m-0"><input type="hidden" name="csrfmiddlewaretoken" '
                'value="{}"><button class="btn btn-sm btn-outline-danger" type="submit" aria-label="{}">{}</button>'
                "</form>", reverse("org:grant_revoke", args=[g.pk]), token,
                _("End role of %(who)s") % {"who": g.user.display_name}, _("End"))

        return [*self.columns, Column("actions", _("Actions"), html=end_button, export=False)]

    def extra_context(self, request):
        return {"can_manage": request.user.has_perm(access.MANAGE_ROLES)}


# Stored identifiers shown as words (courtyard/core/audit_labels.py), on screen and in the export.
def _changes_html(event: AuditEvent):
    parts = audit_labels.change_lines(event)[:6]
    return format_html_join(mark_safe("<br>"), '<span class="text-muted">{}</span>: {}', parts) if parts else "—"


class AuditList(ListPage):
    title = _("Audit trail")
    permission = access.VIEW_AUDIT
    export_permission = access.EXPORT_LISTS
    export_name = "audit"
    filterset_class = AuditFilter
    ordering = ("-created_at", "-id")
    columns = [
        Column("created_at", _("Time"), value=lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
               export_value=lambda e: e.created_at),
        Column("actor_label", _("Actor"), value=audit_labels.actor_label),
        Column("on_behalf_of", _("On behalf of")),
        Column("channel", _("Channel")),
        Column("action", _("Action"), value=lambda e: audit_labels.action_label(e.action)),
        Column("object_repr", _("Object"), value=audit_labels.object_label),
        Column("changes", _("Changes"), html=_changes_html,
               export_value=lambda e: "; ".join(f"{k}: {t}" for k, t in audit_labels.change_lines(e))),
    ]

    def get_queryset(self, user):
        return AuditEvent.objects.visible_to(user).select_related("on_behalf_of")
