"""Trust statements: generating and reviewing a month's statement."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from
from courtyard.core.permissions import require_perm

from .. import forms, services
from .. import permissions as p
from ..models import Account, MonthlyStatement


@require_POST
@require_perm(p.MANAGE_ACCOUNTS)
def statement_generate(request, pk: int):
    acc = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    form = forms.StatementForm(request.POST)
    try:
        month = dt.datetime.strptime(form.data.get("month", ""), "%Y-%m").date()  # noqa: DTZ007 - a month
        services.generate_statement(by=Actor.from_request(request), account=acc, month=month)
        messages.success(request, _("Statement generated; it waits for the committee's review."))
    except ValueError:
        messages.error(request, _("Enter the month as YYYY-MM."))
    except ValidationError as exc:
        messages_from(request, exc)
    return redirect(acc.get_console_url())


@require_POST
@require_perm(p.REVIEW_STATEMENTS)
def statement_review(request, pk: int):
    st = get_object_or_404(MonthlyStatement.objects.visible_to(request.user).select_related("account"), pk=pk)
    try:
        services.review_statement(by=Actor.from_request(request), statement=st, note=request.POST.get("note", ""))
        messages.success(request, _("Statement reviewed and published."))
    except (ValidationError, PermissionDenied) as exc:
        messages_from(request, exc)
    return redirect(st.account.get_console_url())
