"""Resident shell, login and settings. Views parse, check and call a service or selector."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core import auth as login_limits
from courtyard.core import notify
from courtyard.core import selectors as core_selectors
from courtyard.core.audit import Actor
from courtyard.org import selectors
from courtyard.org.models import SelfGovernanceUnit

from . import registry, services
from .forms import LoginForm, SettingsForm


def login_view(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST" and form.is_valid():
        key = login_limits.phone_key(form.cleaned_data["phone"])
        ip = request.META.get("REMOTE_ADDR")
        if login_limits.is_locked(key, ip):
            form.add_error(None, _("Too many failed attempts. Please wait 15 minutes and try again."))
            status = 429
        else:
            user = authenticate(request, phone=form.cleaned_data["phone"], password=form.cleaned_data["password"])
            if user is None:
                login_limits.note_failure(key, ip)
                form.add_error(None, _("The mobile number or the password is wrong."))
                status = 400
            else:
                login_limits.clear_failures(key)
                login(request, user)
                services.record_login(by=Actor.from_request(request))
                target = next_url if url_has_allowed_host_and_scheme(next_url, {request.get_host()}) else ""
                response = HttpResponseRedirect(target or _landing(user))
                if user.language:
                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
                return response
    elif request.method == "POST":
        status = 400
    return render(request, "registration/login.html", {"form": form, "next": next_url}, status=status)


@login_required
def home(request):
    user = request.user
    data = selectors.resident_home(user)
    can_console = selectors.shows_console_link(user)
    if can_console and data.dwelling is None:
        # Staff with no home of their own start their day in the console, not on an empty resident page.
        return redirect("org:dashboard")
    tiles = [{"url": reverse(name), "label": label, "hint": hint} for name, label, hint in registry.resident_tiles()]
    return render(request, "web/home.html", {"home": data, "tiles": tiles, "can_console": can_console})


def _has_home(user) -> bool:
    person = user.person
    return person is not None and person.home_id is not None


def _landing(user) -> str:
    """Where a login without `next` lands: the console for staff without a home, else the resident home."""
    if not _has_home(user) and selectors.can_use_console(user):
        return reverse("org:dashboard")
    return reverse("web:home")


@login_required
def household(request):
    return render(request, "web/household.html", {"households": selectors.households_of(request.user)})


@login_required
def me(request):
    return render(request, "web/me.html", {"mine": selectors.roles_of(request.user),
                                           "can_console": selectors.can_use_console(request.user)})


@login_required
def inbox(request):
    if request.method == "POST":
        notify.mark_read(user=request.user)
        return redirect("web:inbox")
    return render(request, "web/inbox.html", {"notifications": core_selectors.inbox(request.user)[:100]})


@login_required
def settings_view(request):
    user = request.user
    initial = {"elderly_mode": user.elderly_mode, "language": user.language or request.LANGUAGE_CODE}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.update_preferences(by=Actor.from_request(request), user=user, **form.cleaned_data)
            messages.success(request, _("Your settings are saved."))
            response = redirect("web:settings")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
            return response
        return render(request, "web/settings.html", {"form": form}, status=400)
    return render(request, "web/settings.html", {"form": form})


@require_POST
def quick_elderly(request):
    """Turns elderly mode on or off from any page; kept in a cookie for people not logged in."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        services.update_preferences(by=Actor.from_request(request), user=request.user, elderly_mode=on)
    target = request.POST.get("next") or reverse("web:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("web:home")
    response = HttpResponseRedirect(target)
    response.set_cookie("elderly", "1" if on else "0", samesite="Lax", max_age=365 * 24 * 3600)
    return response


def public_unit(request, slug: str):
    """The unit's public page: no login, no personal data beyond what publication requires."""
    unit = SelfGovernanceUnit.objects.select_related("community").filter(slug=slug).first()
    if unit is None:
        raise Http404(_("No such self-governance unit."))
    sections = {}
    for key, template, context_fn in registry.public_sections():
        sections[key] = {"template": template, "context": context_fn(unit)}
    placeholders = [k for k in ("notices", "ledger", "results") if k not in sections]
    return render(request, "web/public_unit.html", {"page": selectors.public_unit_page(unit),
                                                    "sections": list(sections.values()),
                                                    "placeholders": placeholders})
