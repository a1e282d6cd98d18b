import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courtyard.core import audit_labels
from courtyard.core.access import ROLES
from courtyard.core.models import AuditEvent

from .models import Dwelling, Person, RoleGrant


class DwellingTable(tables.Table):
    label = tables.Column(verbose_name=_("Dwelling"), accessor="number", order_by=("entrance_id", "number"),
                          linkify=("org:dwelling", {"pk": tables.A("pk")}))
    courtyard = tables.Column(verbose_name=_("Courtyard"), accessor="courtyard__name")
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", default="—")
    area_m2 = tables.Column(verbose_name=_("Area (m²)"))
    area_source = tables.Column(verbose_name=_("Area source"))
    property_type = tables.Column(verbose_name=_("Property type"))
    occupancy = tables.Column(verbose_name=_("Occupancy"))
    owner_count = tables.Column(verbose_name=_("Owners"), orderable=False)

    class Meta:
        model = Dwelling
        fields = ()
        sequence = ("label", "courtyard", "unit", "area_m2", "area_source", "property_type", "occupancy", "owner_count")
        attrs = {"class": "table table-sm table-striped table-hover"}

    def render_label(self, record):
        return f"{record.building.name}{record.entrance.name}{record.number}"

    def value_label(self, record):
        return self.render_label(record)


class PersonTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=("org:person", {"pk": tables.A("pk")}))
    gender = tables.Column(verbose_name=_("Gender"))
    birth_year = tables.Column(verbose_name=_("Born"))
    masked_phone = tables.Column(verbose_name=_("Mobile"), accessor="masked_phone", orderable=False)
    residence_status = tables.Column(verbose_name=_("Residence status"))
    home = tables.Column(verbose_name=_("Home"), accessor="home", orderable=False, default="—")
    tags = tables.Column(verbose_name=_("Tags"), accessor="pk", orderable=False)

    class Meta:
        model = Person
        fields = ()
        sequence = ("name", "gender", "birth_year", "masked_phone", "residence_status", "home", "tags")
        attrs = {"class": "table table-sm table-striped table-hover"}

    def render_home(self, record):
        return record.home.label if record.home_id else "—"

    def render_tags(self, record):
        return ", ".join(str(t) for t in record.tags.all()) or "—"

    value_tags = render_tags


class GrantTable(tables.Table):
    user = tables.Column(verbose_name=_("Person"), accessor="user__display_name")
    role = tables.Column(verbose_name=_("Role"))
    scope = tables.Column(verbose_name=_("Scope"), accessor="pk", orderable=False)
    title = tables.Column(verbose_name=_("Title"), default="—")
    start_date = tables.Column(verbose_name=_("From"))
    end_date = tables.Column(verbose_name=_("Until"), default="—")
    actions = tables.TemplateColumn(template_name="org/partials/grant_actions.html", verbose_name=_("Actions"),
                                    orderable=False, exclude_from_export=True)

    class Meta:
        model = RoleGrant
        fields = ()
        sequence = ("user", "role", "scope", "title", "start_date", "end_date", "actions")
        attrs = {"class": "table table-sm table-striped"}

    def render_role(self, record):
        role = ROLES.get(record.role)
        return role.label if role else record.role

    def render_scope(self, record):
        return str(record.scope)

    value_role = render_role
    value_scope = render_scope


class AuditTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name=_("Time"), format="Y-m-d H:i:s")
    actor_label = tables.Column(verbose_name=_("Actor"))
    on_behalf_of = tables.Column(verbose_name=_("On behalf of"), default="—")
    channel = tables.Column(verbose_name=_("Channel"))
    action = tables.Column(verbose_name=_("Action"))
    object_repr = tables.Column(verbose_name=_("Object"))
    changes = tables.Column(verbose_name=_("Changes"), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ()
        sequence = ("created_at", "actor_label", "on_behalf_of", "channel", "action", "object_repr", "changes")
        attrs = {"class": "table table-sm table-striped"}

    # Stored identifiers shown as words (courtyard/core/audit_labels.py), on screen and in the export.
    def render_action(self, value):
        return audit_labels.action_label(value)

    def value_action(self, value):
        return audit_labels.action_label(value)

    def render_actor_label(self, record):
        return audit_labels.actor_label(record)

    def value_actor_label(self, record):
        return audit_labels.actor_label(record)

    def render_object_repr(self, record):
        return audit_labels.object_label(record)

    def value_object_repr(self, record):
        return audit_labels.object_label(record)

    def render_changes(self, record):
        parts = [format_html("<span class=\"text-muted\">{}</span>: {}", k, text)
                 for k, text in audit_labels.change_lines(record)[:6]]
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "—"

    def value_changes(self, record):
        return "; ".join(f"{k}: {text}" for k, text in audit_labels.change_lines(record))
