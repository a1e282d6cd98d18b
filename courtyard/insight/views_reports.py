"""The evaluator's reports page: request a quarterly or yearly report (PDF + xlsx, generated in the
background) for a node of the tree, and fetch the finished files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.indicators import QUARTER, YEAR, BadPeriod, Period

from . import permissions as P
from .models import Report
from .services.reports import request_report
from .views import _scope


def _choices() -> list[Period]:
    today = timezone.localdate()
    q = Period.containing(today, QUARTER)
    y = Period.containing(today, YEAR)
    return [q, q.previous(), q.previous().previous(), y, y.previous()]


def reports(request):
    from courtyard.core.permissions import require_perm

    return require_perm(P.REPORTS)(_reports)(request)


def _reports(request):
    scope = _scope(request, P.REPORTS)
    if request.method == "POST":
        try:
            period = Period.parse(request.POST.get("period", ""))
            if period.kind not in (QUARTER, YEAR):
                raise BadPeriod(period.key)
            request_report(by=Actor.from_request(request), scope=scope, period=period)
            messages.success(request, _("The report is being generated; it appears below when ready."))
        except BadPeriod:
            messages.error(request, _("Choose a quarter or a year."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [])) or _("You may not do this."))
        return redirect(f"{request.path}?scope={scope.key}")
    rows = Report.objects.visible_to(request.user, P.REPORTS).filter(scope_key=scope.key)[:20]
    return render(request, "insight/reports.html", {"scope": scope, "reports": rows, "choices": _choices()})
