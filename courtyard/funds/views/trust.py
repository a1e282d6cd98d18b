"""The trust institution's pages (ORG-8): the accounts it holds in trust, and each one's ledger. Reached only
with `funds.view_trust` (the trust institution role, granted with the partner unit it works for) and only for
accounts whose `trustee` is that partner unit, inside the grant's scope."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from courtyard.core.permissions import require_perm
from courtyard.org.models import RoleGrant

from .. import permissions as p
from ..models import Account

PER_PAGE = 50


def _held_by(user):
    partners = RoleGrant.objects.in_force().filter(user=user, role="trust_institution", partner__isnull=False
                                                   ).values("partner_id")
    return (Account.objects.visible_to(user, p.VIEW_TRUST).filter(trustee_id__in=partners)
            .select_related("unit", "trustee"))


@require_perm(p.VIEW_TRUST)
def trust_accounts(request):
    return render(request, "funds/trust_accounts.html", {"accounts": list(_held_by(request.user).order_by("unit", "name"))})


@require_perm(p.VIEW_TRUST)
def trust_account(request, pk: int):
    acc = get_object_or_404(_held_by(request.user), pk=pk)
    page = Paginator(range(acc.head_seq), PER_PAGE).get_page(request.GET.get("page"))
    hi = acc.head_seq - page.start_index() + 1 if acc.head_seq else 0
    lo = acc.head_seq - page.end_index() + 1 if acc.head_seq else 1
    entries = acc.entries.filter(seq__gte=lo, seq__lte=hi).order_by("-seq")
    return render(request, "funds/trust_account.html", {"account": acc, "entries": entries, "page": page})
