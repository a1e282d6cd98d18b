"""Safety's panels on other apps' pages (courtyard/core/panels.py): on a service request's staff
page, its escalations to departments (吹哨) with the department, deadline and response, and a button
to escalate it from there."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from . import permissions as P


def request_whistles(request, req) -> str:
    user = request.user
    if not user.has_perm(P.VIEW):
        return ""
    from .selectors import whistles_about

    rows = whistles_about(user, request_id=req.pk)
    may_call = user.has_perm(P.HANDLE)
    if not rows and not may_call:
        return ""
    url = f"{reverse('safety:whistle_new')}?request={req.pk}" if may_call else ""
    return render_to_string("safety/_whistles.html", {"whistles": rows, "whistle_url": url}, request=request)


PANELS = {"servicedesk.request": [request_whistles]}
