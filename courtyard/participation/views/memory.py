"""The courtyard's memory on the console: items with their state, record one, publish or withdraw."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, service_form
from courtyard.core.permissions import require_perm

from .. import forms, selectors, services
from ..models import MemoryItem
from ..permissions import MANAGE_TEAMS, VIEW


class MemoryList(ListPage):
    title = gettext_lazy("Courtyard memory")
    permission = VIEW
    ordering = ("unit_id", "kind", "-pk")
    template = "participation/console/memory.html"
    columns = [
        Column("title", gettext_lazy("Heading")),
        Column("kind", gettext_lazy("Kind")),
        Column("credit", gettext_lazy("Shown as")),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("published", gettext_lazy("On the public page"),
               value=lambda m: _("yes") if m.published_at else _("no")),
    ]

    def get_queryset(self, user):
        return MemoryItem.objects.visible_to(user).select_related("unit")

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_TEAMS)}

    def get_columns(self, request):
        if not request.user.has_perm(MANAGE_TEAMS):
            return self.columns

        def action(m):
            label = _("Withdraw from the public page") if m.published_at else _("Publish")
            return format_html('<form method="post" action="{}" class="d-inline"><input type="hidden" '
                               'name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="publish" value="{}">'
                               '<button class="btn btn-sm btn-outline-primary" type="submit">{}<span '
                               'class="visually-hidden"> {}</span></button></form>',
                               reverse("participation:memory_publish", args=[m.pk]), get_token(request),
                               "0" if m.published_at else "1", label, m.title)

        return [*self.columns, Column("actions", gettext_lazy("Actions"), html=action, export=False)]


@require_perm(MANAGE_TEAMS)
def memory_new(request):
    units = selectors.units_for(request.user, MANAGE_TEAMS)
    form = forms.MemoryForm(request.POST or None, request.FILES or None, units=units,
                            people=selectors.people_of(units))
    return service_form(request, form, title=_("Record a memory"), back_url=reverse("participation:memory"),
                        write=lambda d: services.record_memory(by=Actor.from_request(request), **d),
                        success=_("Recorded. Publish it when it is ready."), next=reverse("participation:memory"))


@require_POST
@require_perm(MANAGE_TEAMS)
def memory_publish(request, pk: int):
    item = get_object_or_404(MemoryItem.objects.visible_to(request.user, MANAGE_TEAMS), pk=pk)
    try:
        services.publish_memory(by=Actor.from_request(request), item=item, publish=request.POST.get("publish") == "1")
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    return redirect("participation:memory")
