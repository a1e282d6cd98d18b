"""Chinese error pages (403, 404, 429, 500) in the shell the visitor is using, with a way back.

`config.urls` points Django's handler403/404/500 here, so they apply with DEBUG off. A
view or middleware that refuses because of a limit raises `TooManyRequests` (core); the
middleware below turns it into the 429 page. API paths get a JSON body instead of a page.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from courtyard.core.errors import TooManyRequests

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _texts(status: int) -> tuple[str, str]:
    return {
        400: (_("This request could not be understood"),
              _("The address or the form was incomplete. Please go back and try again.")),
        403: (_("You cannot open this page"),
              _("Your account does not have the right to see this page. If you think it should, "
                "ask the community office to check your role.")),
        404: (_("Page not found"),
              _("The page may have been moved or removed, or the link is incomplete.")),
        429: (_("Too many attempts"),
              _("Please wait a few minutes, then try again.")),
        500: (_("Something went wrong on our side"),
              _("The problem has been recorded. Please try again later; if it keeps happening, "
                "tell the community office.")),
    }[status]


def _uses_console(request) -> bool:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and request.path.startswith("/console/")):
        return False
    try:
        return user.has_perm("web.use_console")
    except Exception:  # the permission check needs the database, which may be what failed
        return False


def _back(request) -> str:
    """The page the visitor came from, when it is on this site and is not the failing page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}) \
            and not referer.endswith(request.get_full_path()):
        return referer
    return ""


def error_page(request, status: int, *, detail: str = "", title: str = "") -> object:
    default_title, text = _texts(status)
    title = title or default_title
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": title, "status": status}, status=status)
    console = _uses_console(request)
    authed = bool(getattr(request, "user", None) and request.user.is_authenticated)
    if console:
        home, home_label = reverse("org:dashboard"), _("Back to the console home")
    elif authed:
        home, home_label = reverse("web:home"), _("Back to my courtyard")
    else:
        home, home_label = reverse("login"), _("Go to the login page")
    context = {"status": status, "title": title, "text": detail or text, "home": home, "home_label": home_label,
               "back": _back(request), "console": console}
    template = "web/errors/console.html" if console else "web/errors/resident.html"
    return _render(request, template, context, status)


def _render(request, template: str, context: dict, status: int):
    try:
        body = loader.render_to_string(template, context, request=request)
    except Exception:  # context processors need the database; fall back to a page that does not
        logger.exception("error page could not render in its shell")
        body = loader.render_to_string("web/errors/plain.html", context)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    """500: rendered without context processors (no database), in the plain shell."""
    title, text = _texts(500)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": title, "status": 500}, status=500)
    context = {"status": 500, "title": title, "text": text, "home": "/", "home_label": _("Back to the home page"),
               "back": ""}
    return HttpResponseServerError(loader.render_to_string("web/errors/plain.html", context))


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: usually a form left open past the session (or a page kept in WeChat)."""
    return error_page(request, 403, title=_("This page has expired"),
                      detail=_("The form was open too long or you logged in again elsewhere. Go back, reload the "
                               "page and send it again."))


def too_many_requests(request, exception: TooManyRequests | None = None):
    response = error_page(request, 429, detail=str(exception) if exception and str(exception) else "")
    if exception is not None and exception.retry_after:
        response["Retry-After"] = str(int(exception.retry_after))
    return response


class TooManyRequestsMiddleware:
    """Turns `TooManyRequests` raised by any view into the Chinese 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TooManyRequests):
            return too_many_requests(request, exception)
        return None
