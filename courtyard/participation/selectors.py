"""Reads of the participation app, always given the acting user."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from courtyard.org.models import Person, SelfGovernanceUnit

from .choices import RedemptionState, SwapState
from .models import PointsAccount, PointsEntry, PointsRule, Redemption, Rota, Shift, ShopItem, SwapRequest
from .permissions import MANAGE_POINTS, VIEW


def person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def units_for(user, perm: str = MANAGE_POINTS):
    return list(SelfGovernanceUnit.objects.visible_to(user, perm).select_related("community"))


def people_of(units):
    return Person.objects.filter(unit__in=units, active=True).order_by("name", "pk")


# ------------------------------------------------------------------ residents (their own rows only)
def my_points(user) -> dict | None:
    """The resident's account in their unit, its newest entries and the unit's published rules."""
    me = person_of(user)
    if me is None or me.unit_id is None:
        return None
    account = PointsAccount.objects.filter(person=me, unit_id=me.unit_id).first()
    entries = (list(PointsEntry.objects.filter(account=account).select_related("redemption__item")
                    .order_by("-seq")[:50]) if account else [])
    rules = list(PointsRule.objects.filter(unit_id=me.unit_id, active=True).order_by("act"))
    return {"person": me, "account": account, "balance": account.balance if account else 0,
            "earned": account.earned if account else 0, "entries": entries, "rules": rules}


def my_shop(user) -> dict | None:
    me = person_of(user)
    if me is None or me.unit_id is None:
        return None
    items = list(ShopItem.objects.filter(unit_id=me.unit_id, active=True).order_by("cost", "pk"))
    account = PointsAccount.objects.filter(person=me, unit_id=me.unit_id).first()
    mine = list(Redemption.objects.filter(account__person=me).select_related("item").order_by("-created_at")[:20])
    return {"items": items, "balance": account.balance if account else 0, "mine": mine,
            "placed": RedemptionState.PLACED}


def my_shifts(user) -> dict | None:
    me = person_of(user)
    if me is None:
        return None
    today = timezone.localdate()
    shifts = list(Shift.objects.filter(person=me, day__gte=today - dt.timedelta(days=7))
                  .select_related("rota").order_by("day", "pk")[:60])
    asked = list(SwapRequest.objects.filter(to_person=me, state=SwapState.PROPOSED)
                 .select_related("shift__rota", "their_shift__rota", "from_person"))
    offered = list(SwapRequest.objects.filter(from_person=me, state=SwapState.PROPOSED)
                   .select_related("shift__rota", "to_person"))
    return {"person": me, "today": today, "shifts": shifts, "asked": asked, "offered": offered}


def home_points(user, home) -> dict | None:
    """The resident home's "my points" section, in one query (None: left out for people without a unit)."""
    me = person_of(user)
    if me is None or me.unit_id is None:
        return None
    today = timezone.localdate()
    upcoming = Shift.objects.filter(person=OuterRef("pk"), day__gte=today, checked_in_at__isnull=True).order_by("day")
    row = Person.objects.filter(pk=me.pk).annotate(
        balance=Subquery(PointsAccount.objects.filter(person=OuterRef("pk"), unit_id=me.unit_id).values("balance")[:1]),
        next_day=Subquery(upcoming.values("day")[:1]),
        next_rota=Subquery(upcoming.values("rota__name")[:1]),
    ).values("balance", "next_day", "next_rota").first() or {}
    return {"balance": row.get("balance") or 0, "next_day": row.get("next_day"), "next_rota": row.get("next_rota"),
            "today": today}


# ------------------------------------------------------------------ console
def rota_days(user, rota: Rota, *, start: dt.date, days: int = 14) -> list[dict]:
    """The next `days` days of a rota with who is on duty (one query for the shifts)."""
    shifts: dict[dt.date, list] = {}
    for s in (Shift.objects.visible_to(user, VIEW).filter(rota=rota, day__gte=start,
                                                          day__lt=start + dt.timedelta(days=days))
              .select_related("person").order_by("day", "pk")):
        shifts.setdefault(s.day, []).append(s)
    return [{"day": start + dt.timedelta(days=i), "shifts": shifts.get(start + dt.timedelta(days=i), [])}
            for i in range(days)]


def account_entries(user, account: PointsAccount):
    return (PointsEntry.objects.visible_to(user, VIEW).filter(account=account)
            .select_related("redemption__item", "created_by", "reversed_by").order_by("-seq"))


def rotas_with_today(user):
    today = timezone.localdate()
    return (Rota.objects.visible_to(user, VIEW).select_related("unit")
            .prefetch_related(Prefetch("shifts", queryset=Shift.objects.filter(day=today).select_related("person"),
                                       to_attr="today_shifts")))
