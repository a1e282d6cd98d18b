"""Resident shell, login and settings. Views parse, check and call a service or selector."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core import auth as login_limits
from courtyard.core import notify, passwords
from courtyard.core import selectors as core_selectors
from courtyard.core.audit import Actor
from courtyard.core.redirects import safe_next
from courtyard.core.throttle import address_bucket, client_ip
from courtyard.org import home_cache, selectors
from courtyard.org.models import SelfGovernanceUnit

from . import registry, services
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, SettingsForm
from .icons import TILE_ICONS


def _wait_message(seconds: int) -> str:
    if seconds <= 90:
        return ngettext("Too many failed attempts. Please wait %(n)d second and try again.",
                        "Too many failed attempts. Please wait %(n)d seconds and try again.", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext("Too many failed attempts. Please wait %(n)d minute and try again.",
                    "Too many failed attempts. Please wait %(n)d minutes and try again.", minutes) % {"n": minutes}


def login_view(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    wait = 0
    if request.method == "POST" and form.is_valid():
        attempt = login_limits.Attempt.from_request(request, form.cleaned_data["phone"])
        wait = attempt.wait()
        if wait:
            # The password is not even checked while the client waits: a guess costs nothing to refuse.
            form.add_error(None, _wait_message(wait))
            status = 429
        else:
            user = authenticate(request, phone=form.cleaned_data["phone"], password=form.cleaned_data["password"])
            if user is None:
                attempt.failed()
                form.add_error(None, _("The mobile number or the password is wrong."))
                status = 400
            else:
                login(request, user)
                services.record_login(by=Actor.from_request(request))
                target = next_url if url_has_allowed_host_and_scheme(next_url, {request.get_host()}) else ""
                response = HttpResponseRedirect(target or _landing(user))
                attempt.succeeded(response)
                if user.language:
                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
                return response
    elif request.method == "POST":
        status = 400
    response = render(request, "registration/login.html", {"form": form, "next": next_url}, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@login_required
def home(request):
    user = request.user
    can_console = selectors.shows_console_link(user)
    if can_console and not selectors.has_home(user):
        # Staff with no home of their own start their day in the console, not on an empty resident page.
        return redirect("org:dashboard")
    # The page's heading and body are kept per login (ADR 0035) under the versions of everything they
    # show: the shared blocks' version (a saved home, unit, notice, vote or grant bumps it), this
    # login's and this person's own (their points, duty shifts, visits, name) and the hour (notices
    # enter and leave their period with time). The shell around them — unread badge, messages, CSRF
    # token — is rendered fresh.
    key = ":".join(str(part) for part in (
        user.pk, get_language(), int(user.elderly_mode), int(can_console), f"{timezone.localtime():%Y%m%d%H}",
        home_cache.subject_versions(user=user.pk, person=user.person_id)))
    page = home_cache.cached("home-page", key, lambda: _home_page(request, can_console))
    return render(request, "web/home.html", page)


def _home_page(request, can_console: bool) -> dict:
    user = request.user
    data = selectors.resident_home(user)
    tiles = [{"url": reverse(name), "label": label, "hint": hint, "icon": TILE_ICONS.get(name, "dot")}
             for name, label, hint in registry.resident_tiles()]
    sections = []
    for template, context_fn in registry.home_sections():
        context = context_fn(user, data)
        if context is not None:
            sections.append({"template": template, "context": context})
    body = render_to_string("web/partials/home_body.html", {
        "home": data, "tiles": tiles, "sections": sections, "can_console": can_console}, request=request)
    return {"heading": data.unit.name if data.unit else _("My courtyard"), "body": mark_safe(body)}  # noqa: S308


def _landing(user) -> str:
    """Where a login without `next` lands: the console for staff without a home, else the resident home."""
    if not selectors.has_home(user) and selectors.can_use_console(user):
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


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            passwords.change_password(by=Actor.from_request(request), user=request.user, old=d["old"], new=d["new"],
                                      again=d["again"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            update_session_auth_hash(request, request.user)  # stay logged in here; other sessions end
            messages.success(request, _("Your password is changed."))
            return redirect("web:settings")
    status = 400 if request.method == "POST" else 200
    response = render(request, "web/password_change.html", {"form": form}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def password_reset(request):
    """A resident sets a new password with the one-time code staff had sent to their phone."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            passwords.reset_with_code(by=Actor.from_request(request), phone=d["phone"], code=d["code"], new=d["new"],
                                      again=d["again"], address=address_bucket(client_ip(request)))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your new password is set. Please log in with it."))
            return redirect("login")
    status = 400 if request.method == "POST" else 200
    response = render(request, "web/password_reset.html", {"form": form}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def quick_elderly(request):
    """Turns elderly mode on or off from any page; kept in a cookie for people not logged in."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        services.update_preferences(by=Actor.from_request(request), user=request.user, elderly_mode=on)
    response = HttpResponseRedirect(safe_next(request, reverse("web:home")))
    response.set_cookie("elderly", "1" if on else "0", samesite="Lax", max_age=365 * 24 * 3600)
    return response


def public_units(request):
    """/u/: the public directory of units, searchable, no login (linked from the login page)."""
    query = request.GET.get("q", "").strip()[:50]
    units = selectors.public_unit_directory(query)
    return render(request, "web/public_units.html", {"units": units, "query": query})


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
