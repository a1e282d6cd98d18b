"""Console pages for rotas: the list with who is on duty today, a rota's next two weeks (assign,
fill in turn, remove), and the printable QR poster of its post."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, save, service_form
from courtyard.core.notify import absolute_url
from courtyard.core.permissions import require_perm

from .. import forms, rules, selectors, services
from ..models import Rota, Shift
from ..permissions import MANAGE_ROTAS, VIEW


def _today_names(rota) -> str | None:
    names = [s.person.name for s in getattr(rota, "today_shifts", [])]
    return "、".join(names) if names else None


class RotaList(ListPage):
    title = gettext_lazy("Rotas")
    permission = VIEW
    ordering = ("unit_id", "kind", "name", "pk")
    columns = [
        Column("name", gettext_lazy("Name"), link=lambda r: reverse("participation:rota", args=[r.pk])),
        Column("kind", gettext_lazy("Kind")),
        Column("post", gettext_lazy("Post")),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("today", gettext_lazy("On duty today"), value=_today_names, default=gettext_lazy("Nobody")),
    ]
    template = "participation/console/rotas.html"

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_ROTAS)}

    def get_queryset(self, user):
        return selectors.rotas_with_today(user)


@require_perm(MANAGE_ROTAS)
def rota_new(request):
    units = selectors.units_for(request.user, MANAGE_ROTAS)
    form = forms.RotaForm(request.POST or None, units=units)
    return service_form(request, form, title=_("New rota"), back_url=reverse("participation:rotas"),
                        write=lambda d: services.create_rota(by=Actor.from_request(request), **d),
                        success=_("The rota is created; put people on it."),
                        next=lambda rota: reverse("participation:rota", args=[rota.pk]))


@require_perm(VIEW)
def rota_detail(request, pk: int):
    rota = get_object_or_404(Rota.objects.visible_to(request.user).select_related("unit"), pk=pk)
    today = timezone.localdate()
    can_manage = rules.may_manage_rotas(request.user, rota)
    people = selectors.people_of([rota.unit])
    assign = forms.AssignForm(request.POST if request.POST.get("form") == "assign" else None, people=people,
                              initial={"day": today}, prefix="a")
    fill = forms.FillForm(request.POST if request.POST.get("form") == "fill" else None, people=people,
                          initial={"start": today}, prefix="f")
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        by = Actor.from_request(request)
        form = assign if request.POST.get("form") == "assign" else fill
        if form.is_valid():
            d = form.cleaned_data
            if form is assign:
                ok = save(form, lambda: services.assign_shift(by=by, rota=rota, day=d["day"], person=d["person"]))
            else:
                ok = save(form, lambda: services.fill_rota(by=by, rota=rota, start=d["start"], days=d["days"],
                                                           people=list(d["people"])), fields={"people": "people"})
            if ok:
                return redirect("participation:rota", pk=rota.pk)
        status = 400
    days = selectors.rota_days(request.user, rota, start=today)
    return render(request, "participation/console/rota.html", {
        "rota": rota, "days": days, "can_manage": can_manage, "assign": assign, "fill": fill,
        "gaps": sum(1 for d in days if not d["shifts"])}, status=status)


@require_POST
@require_perm(MANAGE_ROTAS)
def shift_remove(request, pk: int):
    shift = get_object_or_404(Shift.objects.visible_to(request.user, MANAGE_ROTAS).select_related("rota"), pk=pk)
    try:
        services.remove_shift(by=Actor.from_request(request), shift=shift)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    return redirect("participation:rota", pk=shift.rota_id)


@require_POST
@require_perm(MANAGE_ROTAS)
def rota_new_code(request, pk: int):
    rota = get_object_or_404(Rota.objects.visible_to(request.user, MANAGE_ROTAS), pk=pk)
    try:
        services.rotate_token(by=Actor.from_request(request), rota=rota)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
        return redirect("participation:rota", pk=rota.pk)
    messages.success(request, _("The post has a new QR code; the old poster no longer works. Print this one."))
    return redirect("participation:rota_qr", pk=rota.pk)


def checkin_url(rota: Rota) -> str:
    return absolute_url(reverse("participation:checkin", args=[rota.token]))


@require_perm(MANAGE_ROTAS)
def rota_qr(request, pk: int):
    """The poster for the post: print it and hang it where the duty is done."""
    rota = get_object_or_404(Rota.objects.visible_to(request.user, MANAGE_ROTAS).select_related("unit"), pk=pk)
    url = checkin_url(rota)
    svg = segno.make(url, error="m").svg_inline(scale=8, title=_("Check-in code"))
    return render(request, "participation/console/rota_qr.html",
                  {"rota": rota, "svg": mark_safe(svg), "url": url,  # noqa: S308 - segno's own markup
                   "week": [timezone.localdate() + dt.timedelta(days=i) for i in range(7)]})
