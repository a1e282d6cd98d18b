"""Reads of the participation app, always given the acting user."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from courtyard.org.models import Person, SelfGovernanceUnit

from .choices import RedemptionState, SwapState
from .models import (
    Event,
    PointsAccount,
    PointsEntry,
    PointsRule,
    Redemption,
    Rota,
    Shift,
    ShopItem,
    Signup,
    SwapRequest,
)
from .permissions import MANAGE_POINTS, VIEW


def person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def units_for(user, perm: str = MANAGE_POINTS):
    """The units where `user` holds `perm` (a queryset, for form choices)."""
    return SelfGovernanceUnit.objects.visible_to(user, perm).select_related("community")


def open_calls(user, units):
    """Open micro-grant calls (微创投, funds) of these units, for the micro-project shop item."""
    from courtyard.funds.models import GrantCall

    return GrantCall.objects.visible_to(user).filter(account__unit__in=units, state="open").order_by("-pk")


def people_of(units):
    return Person.objects.filter(unit__in=units, active=True).order_by("name", "pk")


def people_for_event(event):
    """Who may be signed up for `event`: its unit's residents, or the community's if it is open to all."""
    if event.cross_courtyard:
        return Person.objects.filter(community_id=event.community_id, active=True).order_by("name", "pk")
    return people_of([event.unit_id])


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
    mine = list(Redemption.objects.filter(account__person=me).select_related("item__grant_call")
                .order_by("-created_at")[:20])
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


# ------------------------------------------------------------------ events
def _event_counts(qs):
    from django.db.models import Count, Q

    from .choices import SignupState

    return qs.annotate(
        taken=Count("signups", filter=Q(signups__state__in=(SignupState.REGISTERED, SignupState.ATTENDED))),
        waiting=Count("signups", filter=Q(signups__state=SignupState.WAITLISTED)),
        attended=Count("signups", filter=Q(signups__state=SignupState.ATTENDED)),
    )


def events_for(user):
    return _event_counts(Event.objects.visible_to(user).select_related("unit"))


def participation_by_year(user) -> list[dict]:
    """Per calendar year of the events in scope that have ended: events, places taken, attended and
    the exact rate (attended / places taken)."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    from courtyard.core.indicators import percent_str

    from .choices import SignupState
    from .domain import rate

    rows = (Event.objects.visible_to(user).filter(ends_at__lt=timezone.now())
            .annotate(year=ExtractYear("starts_at", tzinfo=timezone.get_current_timezone())).values("year")
            .annotate(events=Count("pk", distinct=True),
                      taken=Count("signups", filter=Q(signups__state__in=(SignupState.REGISTERED,
                                                                          SignupState.ATTENDED))),
                      attended=Count("signups", filter=Q(signups__state=SignupState.ATTENDED)))
            .order_by("-year"))
    return [{**r, "rate": percent_str(rate(r["attended"], r["taken"]), 0)} for r in rows]


def my_events(user) -> dict | None:
    """Upcoming events open to the resident (their unit's, and cross-courtyard ones of their community)
    with their own sign-up, and the events they took part in."""
    from django.db.models import Q

    me = person_of(user)
    if me is None:
        return None
    now = timezone.now()
    open_to_me = Q(unit_id=me.unit_id) | Q(cross_courtyard=True, community_id=me.community_id)
    upcoming = list(_event_counts(Event.objects.filter(open_to_me, ends_at__gte=now)).order_by("starts_at")[:30])
    mine = {s.event_id: s for s in Signup.objects.filter(person=me, event__in=[e.pk for e in upcoming])}
    for e in upcoming:
        e.mine = mine.get(e.pk)
        e.full = e.taken >= e.capacity
    past = list(Signup.objects.filter(person=me, event__ends_at__lt=now).select_related("event")
                .order_by("-event__starts_at")[:10])
    return {"upcoming": upcoming, "past": past, "now": now}


# ------------------------------------------------------------------ partner resources
def resources_report(user) -> dict:
    """Value of partner contributions in scope per partner and year, per year, and in total (fen)."""
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractYear

    from .domain import wan, yuan
    from .models import PartnerContribution

    rows = list(PartnerContribution.objects.visible_to(user).annotate(year=ExtractYear("day"))
                .values("year", "partner_id", "partner__name")
                .annotate(sessions=Count("pk"), value=Sum("value_fen")).order_by("-year", "-value", "partner__name"))
    years: dict[int, dict] = {}
    for r in rows:
        y = years.setdefault(r["year"], {"year": r["year"], "partners": 0, "sessions": 0, "value": 0})
        y["partners"] += 1
        y["sessions"] += r["sessions"]
        y["value"] += r["value"]
        r["yuan"], r["wan"] = yuan(r["value"]), wan(r["value"])
    for y in years.values():
        y["yuan"], y["wan"] = yuan(y["value"]), wan(y["value"])
    total = sum(y["value"] for y in years.values())
    partners = len({r["partner_id"] for r in rows})
    return {"rows": rows, "years": sorted(years.values(), key=lambda y: -y["year"]), "total_yuan": yuan(total),
            "total_wan": wan(total), "partners": partners, "sessions": sum(y["sessions"] for y in years.values())}


# ------------------------------------------------------------------ claims
def my_wishes(user) -> dict | None:
    """Open wishes of the resident's community to claim (not their own), what they posted, what they claimed."""
    from .choices import WishState
    from .models import Wish

    me = person_of(user)
    if me is None:
        return None
    base = Wish.objects.select_related("posted_by", "claimed_by", "claimed_partner")
    return {
        "open": list(base.filter(community_id=me.community_id, state=WishState.POSTED).exclude(posted_by=me)
                     .order_by("-created_at")[:30]),
        "posted": list(base.filter(posted_by=me).order_by("-created_at")[:20]),
        "claimed": list(base.filter(claimed_by=me).order_by("-claimed_at")[:20]),
    }


def wish_for(user, pk: int):
    """A wish the user may open: in their community (to claim it), theirs, or in their scope."""
    from django.db.models import Q

    from .models import Wish

    me = person_of(user)
    mine = Q(pk__in=Wish.objects.visible_to(user).values("pk"))
    if me is not None:
        mine |= Q(community_id=me.community_id)
    return Wish.objects.select_related("posted_by", "claimed_by", "claimed_partner", "unit").filter(mine, pk=pk).first()


def wish_photos(user, wish) -> list:
    from django.contrib.contenttypes.models import ContentType

    from courtyard.core.models import Attachment

    from .file_access import _wish

    if not _wish(user, wish):
        return []
    return list(Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(wish), owner_id=str(wish.pk))
                .order_by("created_at"))


# ------------------------------------------------------------------ teams and training
def committee_training(user, year: int) -> dict:
    """Each committee member of the units in scope with their training hours in `year` against 40, and
    the coverage (members who reached it / members)."""
    from django.db.models import Q, Sum

    from courtyard.core.indicators import percent_str
    from courtyard.org.choices import BodyKind
    from courtyard.org.models import BodyMembership

    from .choices import COMMITTEE_HOURS
    from .domain import rate
    from .models import TrainingRecord

    units = SelfGovernanceUnit.objects.visible_to(user, VIEW).values("pk")
    day = dt.date(year, 12, 31)
    members = list(BodyMembership.objects.filter(body__kind=BodyKind.COMMITTEE, body__unit__in=units)
                   .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1)))
                   .select_related("person", "body__unit").order_by("body__unit__name", "person__name"))
    hours = dict(TrainingRecord.objects.filter(person__in=[m.person_id for m in members], day__year=year)
                 .values_list("person").annotate(h=Sum("hours")))
    rows = [{"name": m.person.name, "unit": m.body.unit.name, "position": m.get_position_display(),
             "hours": hours.get(m.person_id, 0), "reached": hours.get(m.person_id, 0) >= COMMITTEE_HOURS}
            for m in members]
    reached = sum(1 for r in rows if r["reached"])
    return {"year": year, "rows": rows, "target": COMMITTEE_HOURS, "reached": reached,
            "coverage": percent_str(rate(reached, len(rows)), 0)}


def my_teams(user) -> dict | None:
    from .models import Team, TeamMember

    me = person_of(user)
    if me is None or me.unit_id is None:
        return None
    from django.db.models import Count

    teams = list(Team.objects.filter(unit_id=me.unit_id).annotate(n=Count("members")).order_by("state", "name"))
    mine = set(TeamMember.objects.filter(person=me, team__in=[t.pk for t in teams]).values_list("team_id", flat=True))
    for t in teams:
        t.is_member = t.pk in mine
    return {"teams": teams}


# ------------------------------------------------------------------ memory
def public_memory(unit) -> dict:
    """The unit's published memory for its public page (no login): the essay first, then the rest."""
    from django.contrib.contenttypes.models import ContentType

    from courtyard.core.models import Attachment

    from .choices import MemoryKind
    from .models import MemoryItem

    items = list(MemoryItem.objects.filter(unit=unit, published_at__isnull=False).order_by("-published_at", "pk")[:30])
    photos: dict[str, list] = {}
    for a in (Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(MemoryItem),
                                        owner_id__in=[str(i.pk) for i in items], published_at__isnull=False)
              .order_by("created_at", "pk")):
        photos.setdefault(a.owner_id, []).append(a)
    for i in items:
        i.photos = photos.get(str(i.pk), [])
    essay = next((i for i in items if i.kind == MemoryKind.ESSAY), None)
    return {"essay": essay, "items": [i for i in items if i is not essay]}


# ------------------------------------------------------------------ honours
def public_honours(unit) -> dict:
    """Decided honours of the unit's last three years for its public page: names only of honourees who
    agreed to be named; the others are counted, never named."""
    from .choices import HonourState
    from .models import HonourNomination, HonourRound

    year = timezone.localdate().year
    rounds = list(HonourRound.objects.filter(unit=unit, state=HonourState.DECIDED, year__gte=year - 3)
                  .order_by("-year", "kind"))
    named: dict[int, list[str]] = {}
    hidden: dict[int, int] = {}
    for rid, name, consent in (HonourNomination.objects.filter(round__in=[r.pk for r in rounds], awarded=True)
                               .order_by("person__name", "pk").values_list("round_id", "person__name",
                                                                          "public_consent")):
        if consent:
            named.setdefault(rid, []).append(name)
        else:
            hidden[rid] = hidden.get(rid, 0) + 1
    return {"rounds": [{"round": r, "names": named.get(r.pk, []), "hidden": hidden.get(r.pk, 0)} for r in rounds
                       if named.get(r.pk) or hidden.get(r.pk)]}


def my_honours(user) -> dict | None:
    """The resident's own honours (with the consent switch) and nominations still being decided."""
    from .models import HonourNomination

    me = person_of(user)
    if me is None:
        return None
    mine = list(HonourNomination.objects.filter(person=me).select_related("round").order_by("-round__year", "pk"))
    return {"awarded": [n for n in mine if n.awarded], "pending": [n for n in mine if n.round.state != "decided"]}
