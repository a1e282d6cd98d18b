"""Funds entries of the console home's work list: sign-offs waiting for this person."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyard.core.worklist import WorkItem

from . import permissions as p
from .choices import Policy, RequestState
from .models import ApprovalStep, ExpenditureRequest
from .rules import open_steps, signing_role

# A community has a handful of pending requests; the cap keeps the page bounded if one does not.
MAX_PENDING = 200


def waiting_for(user) -> list[ExpenditureRequest]:
    """Pending requests with a step open now that this user may sign (the same refusals as `services.sign`)."""
    pending = (ExpenditureRequest.objects.visible_to(user).filter(state=RequestState.PENDING)
               .select_related("account__community")
               .prefetch_related(Prefetch("steps", queryset=ApprovalStep.objects.only("request_id", "step",
                                                                                      "decided_by_id")))
               .order_by("created_at")[:MAX_PENDING])
    out = []
    for req in pending:
        steps = list(req.steps.all())
        if req.requested_by_id == user.pk:
            continue  # nobody approves their own request
        if req.policy == Policy.THREE_PARTY and any(s.decided_by_id == user.pk for s in steps):
            continue  # three signatures from three different people
        if any(signing_role(user, req.account, step) for step in open_steps(req, {s.step for s in steps})):
            out.append(req)
    return out


def items(user) -> list[WorkItem]:
    if not user.has_perm(p.SIGN):
        return []
    return [WorkItem("funds.sign", _("Sign-offs waiting for me"), len(waiting_for(user)),
                     f"{reverse('funds:requests')}?state={RequestState.PENDING}",
                     _("Payment requests that need your signature"), urgent=False)]
