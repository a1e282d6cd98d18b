"""Events on the console (list with participation rates per event and per year, a new event, one
event's sign-ups with attendance, its QR poster) and for residents (sign up, cancel, check in)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from courtyard.core.indicators import percent_str
from courtyard.core.notify import absolute_url
from courtyard.core.permissions import require_perm

from .. import forms, rules, selectors, services
from ..choices import SignupState
from ..domain import rate
from ..models import Event, Signup
from ..permissions import MANAGE_EVENTS, VIEW


class EventList(ListPage):
    title = gettext_lazy("Events")
    permission = VIEW
    export_name = "events"
    ordering = ("-starts_at", "-pk")
    columns = [
        Column("starts_at", gettext_lazy("Starts"), value=lambda e: timezone.localtime(e.starts_at).strftime(
            "%Y-%m-%d %H:%M"), sort=("starts_at",)),
        Column("title", gettext_lazy("Event title"), link=lambda e: reverse("participation:event", args=[e.pk])),
        Column("target_group", gettext_lazy("For")),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("capacity", gettext_lazy("Places"), numeric=True),
        Column("taken", gettext_lazy("Signed up"), numeric=True),
        Column("waiting", gettext_lazy("Waiting list"), numeric=True),
        Column("attended", gettext_lazy("Attended"), numeric=True),
        Column("rate", gettext_lazy("Participation rate (%)"), numeric=True,
               value=lambda e: percent_str(rate(e.attended, e.taken), 0) if e.ends_at < timezone.now() else None),
    ]
    template = "participation/console/events.html"

    def get_queryset(self, user):
        return selectors.events_for(user)

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_EVENTS), "years": selectors.participation_by_year(request.user)}


@require_perm(MANAGE_EVENTS)
def event_new(request):
    units = selectors.units_for(request.user, MANAGE_EVENTS)
    form = forms.EventForm(request.POST or None, units=units)
    return service_form(request, form, title=_("New event"), back_url=reverse("participation:events"),
                        write=lambda d: services.create_event(by=Actor.from_request(request), **d),
                        success=_("The event is published; residents can sign up."),
                        next=lambda e: reverse("participation:event", args=[e.pk]))


@require_perm(VIEW)
def event_detail(request, pk: int):
    event = get_object_or_404(selectors.events_for(request.user), pk=pk)
    can_manage = rules.may_manage_events(request.user, event)
    form = forms.SignupForm(request.POST or None, people=selectors.people_for_event(event))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid() and save(form, lambda: services.sign_up(by=Actor.from_request(request), event=event,
                                                                   person=form.cleaned_data["person"])):
            return redirect("participation:event", pk=event.pk)
    signups = list(Signup.objects.visible_to(request.user).filter(event=event).select_related("person")
                   .order_by("state", "created_at", "pk"))
    ended = event.ends_at < timezone.now()
    return render(request, "participation/console/event.html", {
        "event": event, "signups": signups, "can_manage": can_manage, "form": form,
        "rate": percent_str(rate(event.attended, event.taken), 0) if ended else None, "registered": SignupState.REGISTERED,
        "waitlisted": SignupState.WAITLISTED}, status=400 if form.errors else 200)


@require_POST
@require_perm(MANAGE_EVENTS)
def signup_action(request, pk: int):
    s = get_object_or_404(Signup.objects.visible_to(request.user, MANAGE_EVENTS), pk=pk)
    by = Actor.from_request(request)
    try:
        if request.POST.get("action") == "attended":
            services.mark_attended(by=by, signup=s)
        else:
            services.cancel_signup(by=by, signup=s)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    return redirect("participation:event", pk=s.event_id)


@require_perm(MANAGE_EVENTS)
def event_qr(request, pk: int):
    event = get_object_or_404(Event.objects.visible_to(request.user, MANAGE_EVENTS).select_related("unit"), pk=pk)
    url = absolute_url(reverse("participation:event_checkin", args=[event.token]))
    svg = segno.make(url, error="m").svg_inline(scale=8, title=_("Check-in code"))
    return render(request, "participation/console/event_qr.html",
                  {"event": event, "svg": mark_safe(svg), "url": url})  # noqa: S308 - segno's own markup


# ------------------------------------------------------------------ residents
@login_required
def events(request):
    data = selectors.my_events(request.user)
    if data is None:
        messages.error(request, _("Your account is not linked to a home yet; ask your community office."))
        return redirect("web:home")
    return render(request, "participation/events.html", data)


@require_POST
@login_required
def join(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("unit"), pk=pk)
    try:
        s = services.sign_up(by=Actor.from_request(request), event=event)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("You have a place. We will remind you the day before.")
                         if s.state == SignupState.REGISTERED else
                         _("The event is full: you are on the waiting list and will be told if a place comes free."))
    return redirect("participation:events")


@require_POST
@login_required
def leave(request, pk: int):
    s = get_object_or_404(Signup, pk=pk, person=selectors.person_of(request.user))
    try:
        services.cancel_signup(by=Actor.from_request(request), signup=s)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("participation:events")


@login_required
def event_checkin(request, token: str):
    event = get_object_or_404(Event.objects.select_related("unit"), token=token)
    if request.method == "POST":
        try:
            services.check_in_event(by=Actor.from_request(request), token=token)
        except (PermissionDenied, ValidationError) as exc:
            messages_from(request, exc)
        else:
            messages.success(request, _("Checked in. Enjoy the event!"))
            return redirect("participation:my_points")
    me = selectors.person_of(request.user)
    signup = Signup.objects.filter(event=event, person=me).first() if me else None
    return render(request, "participation/event_checkin.html", {"event": event, "signup": signup})
