"""Every write of the service desk. Keyword-only arguments, one transaction, an audit event,
a RequestEvent on the request's timeline (留痕) and the people concerned notified on commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import text as text_limits
from courtyard.core.access import holders, in_scope
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.core.models import User
from courtyard.core.notify import Text, notify
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, Person, Place, RoleGrant

from . import dispatch as scoring
from . import machine, sla
from . import rules as sd_rules
from .choices import FINAL_STATES, OPEN_STATES, ClockUnit, Kind, Level, OrderStage, State, Urgency
from .models import (
    Agreement,
    ApiKey,
    CalendarDay,
    Category,
    Demand,
    Escalation,
    FollowUp,
    Offer,
    OrderSignOff,
    Rating,
    Request,
    RequestEvent,
    ServiceItem,
    ServiceOrder,
    SlaPolicy,
)
from .permissions import HANDLE, VENDOR

MAX_PHOTOS = 6
LOW_STARS = 2  # a rating at or below this schedules a follow-up call
FOLLOWUP_WITHIN = dt.timedelta(hours=24)
DEFAULT_TERMS = {  # used when no policy is configured: the seeds' promises
    Urgency.NORMAL: sla.Terms("hours", 24, 48, 120),
    Urgency.URGENT: sla.Terms("hours", 4, 24, 72),
    Urgency.EMERGENCY: sla.Terms("hours", 1, 2, 24),
}


# ---------------------------------------------------------------- clocks
def calendar_overrides() -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.values_list("date", "is_workday"))


def policy_for(category: Category, urgency: str) -> SlaPolicy | None:
    chain, node = [], category
    while node is not None and len(chain) < 6:
        chain.append(node.pk)
        node = node.parent
    policies = {p.category_id: p for p in SlaPolicy.objects.filter(Q(category_id__in=chain) | Q(category=None),
                                                                  urgency=urgency)}
    for pk in [*chain, None]:
        if pk in policies:
            return policies[pk]
    return None


def terms_for(request: Request, overrides=None) -> tuple[sla.Terms, bool]:
    policy = policy_for(request.category, request.urgency)
    if policy is None:
        terms, pause = DEFAULT_TERMS[Urgency(request.urgency)], True
    else:
        terms = sla.Terms(policy.unit, policy.accept_within, policy.onsite_within, policy.resolve_within)
        pause = policy.pause_when_waiting
    if request.vendor_id:
        agreement = active_agreement(request.vendor_id, request.category)
        if agreement is not None:
            hours = agreement.emergency_hours if request.urgency == Urgency.EMERGENCY else agreement.onsite_hours
            terms = sla.tighten(terms, onsite_hours=hours)
    return terms, pause


def active_agreement(vendor_id: int, category: Category) -> Agreement | None:
    today = timezone.localdate()
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return (Agreement.objects.filter(vendor_id=vendor_id, categories__in=ids, starts__lte=today)
            .filter(Q(ends__isnull=True) | Q(ends__gte=today)).order_by("onsite_hours").first())


def refresh_clocks(request: Request, *, now: dt.datetime | None = None, overrides=None) -> None:
    """Recompute the three deadlines and the pending one (does not save)."""
    now = now or timezone.now()
    overrides = calendar_overrides() if overrides is None else overrides
    terms, _pause = terms_for(request, overrides)
    d = sla.deadlines(request.created_at, terms, overrides, dt.timedelta(seconds=request.paused_seconds))
    request.accept_due, request.onsite_due, request.resolve_due = d.accept, d.onsite, d.resolve
    request.next_due = sla.pending_deadline(request.state, d, accepted=request.accepted_at is not None,
                                            onsite=request.onsite_at is not None)
    request.overdue = request.next_due is not None and request.next_due < now


# ---------------------------------------------------------------- helpers
def _event(request: Request, by: Actor, action: str, *, from_state: str = "", note: str = "",
           public: bool = True) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, from_state=from_state, to_state=request.state, actor=by.user,
        actor_label=(by.user.display_name if by.user else _("System"))[:120], on_behalf_of=by.on_behalf_of,
        channel=by.channel, note=note, public=public,
    )


def _photos(by: Actor, event: RequestEvent, photos: Sequence) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    for upload in photos:
        store_upload(by=by, upload=upload, allowed={"image"}, owner=event)


def _tell_reporter(request: Request, title: Text) -> None:
    if request.reporter_user_id:
        notify(recipients=[request.reporter_user], kind="servicedesk.request", title=title,
               body=request.title, url=reverse("servicedesk:mine_detail", args=[request.pk]))


def place_chain(place: Place) -> dict[str, Place]:
    """The building, micro-grid, grid, community and subdistrict above (or at) a place."""
    ids = [int(p) for p in place.path.split(".") if p]
    return {p.kind: p for p in Place.objects.filter(pk__in=ids)}


class _ScopeAt:
    """A point of the tree (a place, optionally inside a unit) for the kernel's `holders`."""

    scope_lookups = {"path": "path", "unit": "unit"}

    def __init__(self, path: str, unit_id: int | None):
        self.scope_path, self.scope_unit_id = path, unit_id


def users_with_role(roles: Iterable[str], place: Place, *, unit_id: int | None = None) -> list[User]:
    """Users holding one of `roles` on `place` or one of its ancestors (or on the unit): the kernel's
    "who holds role R over X"."""
    return list(holders(list(roles), _ScopeAt(place.path, unit_id)).order_by("pk"))


def vendor_users(vendor_id: int) -> list[User]:
    grants = RoleGrant.objects.in_force().filter(role="vendor", partner_id=vendor_id)
    return list(User.objects.filter(pk__in=grants.values("user_id")).order_by("pk"))


# ---------------------------------------------------------------- rules
def can_handle(user, request: Request) -> bool:
    return in_scope(user, HANDLE, request)


def vendor_ids_of(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(RoleGrant.objects.in_force().filter(user=user, role="vendor", partner__isnull=False)
               .values_list("partner_id", flat=True))


def is_worker(user, request: Request) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if request.assignee_id == user.pk:
        return True
    return bool(request.vendor_id) and user.has_perm(VENDOR) and request.vendor_id in vendor_ids_of(user)


def is_reporter(user, request: Request) -> bool:
    return getattr(user, "is_authenticated", False) and request.reporter_user_id == user.pk


def may(user, request: Request, action: str) -> bool:
    if action in machine.REPORTER_ACTIONS and is_reporter(user, request):
        return True
    if action in machine.WORKER_ACTIONS and is_worker(user, request):
        return True
    return action in machine.HANDLER_ACTIONS and can_handle(user, request)


# ---------------------------------------------------------------- filing (SVC-1)
@transaction.atomic
def file_request(*, by: Actor, place: Place, category: Category, title: str, description: str = "",
                 kind: str = Kind.REPAIR, urgency: str = Urgency.NORMAL, reporter: Person | None = None,
                 reporter_user: User | None = None, public_anonymous: bool = False, facility: str = "",
                 source: str = "resident", photos: Sequence = (), group_matter: bool = False,
                 lat: float | None = None, long: float | None = None, now: dt.datetime | None = None) -> Request:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say in a few words what is wrong."))
    text_limits.within(description or "", limit=text_limits.DESCRIPTION_MAX, what=_("The description"))
    if place.kind not in (PlaceKind.BUILDING, PlaceKind.ENTRANCE, PlaceKind.MICROGRID, PlaceKind.GRID,
                          PlaceKind.COMMUNITY):
        raise ValidationError(_("Choose a building, an entrance or the community as the location."))
    if place.community_id is None:
        raise ValidationError(_("The location must lie inside a community."))
    if kind == Kind.EMERGENCY:
        urgency = Urgency.EMERGENCY
    if reporter is None and reporter_user is not None and reporter_user.person_id:
        reporter = reporter_user.person
    building = place if place.kind == PlaceKind.BUILDING else (place.parent if place.kind == PlaceKind.ENTRANCE else None)
    unit_id = None
    if building is not None and building.courtyard_id:
        unit_id = building.courtyard.unit_id
    now = now or timezone.now()
    request = Request(
        community_id=place.community_id, unit_id=unit_id, place=place, path=place.path, facility=facility[:100],
        kind=kind, category=category, urgency=urgency, title=title[:120], description=description,
        reporter=reporter, reporter_user=reporter_user,
        reporter_name=(reporter.name if reporter else (reporter_user.display_name if reporter_user else ""))[:60],
        filed_by=by.user, channel=by.channel, source=source, public_anonymous=public_anonymous,
        group_matter=group_matter, created_at=now, token=secrets.token_hex(8),
        map_x=building.map_x if building else None, map_y=building.map_y if building else None, lat=lat, long=long,
    )
    if group_matter:
        request.meeting_by = now + sla.MEETING_WITHIN
    refresh_clocks(request, now=now)
    request.save()
    event = _event(request, by, "file", note=description[:500])
    _photos(by, event, photos)
    record(by, "servicedesk.request.file", request, changes=diff(None, snapshot(request, [
        "kind", "category", "urgency", "title", "place", "reporter", "source", "public_anonymous"])),
        community_id=request.community_id)
    handlers = users_with_role(["microgrid_worker", "grid_worker"], place)
    notify(recipients=handlers, kind="servicedesk.new", title=Text(N_("New request: %(t)s"), t=request.title),
           url=reverse("servicedesk:console_detail", args=[request.pk]))
    if group_matter:
        propose_meeting(request, by=by)
    _tell_reporter(request, Text(N_("We have received your request #%(n)d."), n=request.pk))
    return request


def propose_meeting(request: Request, *, by: Actor) -> None:
    """Complex or group matters get a coordination meeting proposed within 48 hours (SVC-2)."""
    request.meeting_by = request.meeting_by or (timezone.now() + sla.MEETING_WITHIN)
    request.save(update_fields=["meeting_by"])
    _event(request, by, "meeting", note=_("Coordination meeting to be held by %(t)s.") % {
        "t": timezone.localtime(request.meeting_by).strftime("%Y-%m-%d %H:%M")})
    people = users_with_role(["community_staff", "committee_member", "grid_worker"], request.place,
                             unit_id=request.unit_id)
    notify(recipients=people, kind="servicedesk.meeting",
           title=Text(N_("Coordination meeting needed for request #%(n)d"), n=request.pk),
           url=reverse("servicedesk:console_detail", args=[request.pk]))


# ---------------------------------------------------------------- the closed loop (SVC-2)
STATE_MESSAGES = {
    State.ACCEPTED: N_("Your request #%(n)d has been accepted."),
    State.DISPATCHED: N_("Your request #%(n)d has been passed to someone who will handle it."),
    State.IN_PROGRESS: N_("Work on your request #%(n)d has started."),
    State.WAITING: N_("We need something from you for request #%(n)d."),
    State.RESOLVED: N_("Your request #%(n)d is resolved. Please check and rate it."),
    State.CLOSED: N_("Your request #%(n)d is closed."),
    State.REOPENED: N_("Your request #%(n)d has been reopened."),
    State.MERGED: N_("Your request #%(n)d is handled together with an earlier one."),
    State.REFERRED: N_("Your request #%(n)d has been referred elsewhere."),
}


@transaction.atomic
def transition(*, by: Actor, request: Request, action: str, note: str = "", photos: Sequence = (),
               referred_to: str = "", duplicate_of: Request | None = None, now: dt.datetime | None = None,
               check: bool = True) -> Request:
    text_limits.within(note or "", limit=text_limits.COMMENT_MAX, what=_("The note"))
    request = Request.objects.select_for_update().get(pk=request.pk)
    if check and not may(by.user, request, action):
        raise PermissionDenied
    before = request.state
    if not machine.allowed(action, before):
        raise ValidationError(_("This step is not possible now (the request is “%(s)s”).") % {
            "s": State(before).label})
    now = now or timezone.now()
    before_wait = ""
    if action == "resume":
        last = request.events.filter(action="wait").order_by("-at", "-id").first()
        before_wait = last.from_state if last else ""
    new = machine.target(action, before, before_wait=before_wait or None)
    if action == "refer":
        if not referred_to.strip():
            raise ValidationError(_("Say where the request was referred to."))
        request.referred_to = referred_to.strip()[:200]
    if action == "merge":
        if duplicate_of is None or duplicate_of.pk == request.pk or duplicate_of.community_id != request.community_id:
            raise ValidationError(_("Choose the earlier request this one duplicates."))
        request.duplicate_of = duplicate_of
    if action == "resolve" and not note.strip() and not photos:
        raise ValidationError(_("Describe what was done or add a photo."))
    request.state = new
    if action == "accept" or (request.accepted_at is None and new in (State.DISPATCHED, State.IN_PROGRESS)):
        request.accepted_at = request.accepted_at or now
    if action == "start":
        request.onsite_at = request.onsite_at or now
    if action == "resolve":
        request.resolved_at = now
        request.onsite_at = request.onsite_at or now
    if new in FINAL_STATES:
        request.closed_at = now
    if action == "reopen":
        request.resolved_at = request.closed_at = None
        request.stars = None
    if action == "wait":
        terms, pause = terms_for(request)
        if pause:
            request.paused_since = now
    if action == "resume" and request.paused_since:
        request.paused_seconds += int((now - request.paused_since).total_seconds())
        request.paused_since = None
    refresh_clocks(request, now=now)
    if new not in OPEN_STATES:
        request.overdue = False
    request.save()
    event = _event(request, by, action, from_state=before, note=note)
    _photos(by, event, photos)
    record(by, f"servicedesk.request.{action}", request, changes={"state": [before, new]}, note=note[:500],
           community_id=request.community_id)
    if new != before and new in STATE_MESSAGES:
        _tell_reporter(request, Text(STATE_MESSAGES[new], n=request.pk))
    return request


# ---------------------------------------------------------------- smart dispatch (SVC-3)
def candidates(request: Request) -> list[scoring.Candidate]:
    """Everyone who could take the request, with the facts the scoring function weighs."""
    chain = place_chain(request.place)
    microgrid, grid = chain.get(PlaceKind.MICROGRID), chain.get(PlaceKind.GRID)
    out: list[scoring.Candidate] = []
    workers = users_with_role(["microgrid_worker", "grid_worker"], request.place)
    loads = dict(Request.objects.filter(assignee__in=workers, state__in=OPEN_STATES)
                 .values_list("assignee").annotate(n=Count("id")))
    worker_roles = {}
    today = timezone.localdate()
    in_force = RoleGrant.objects.filter(start_date__lte=today).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    for g in in_force.filter(user__in=workers, role__in=["microgrid_worker", "grid_worker"]):
        worker_roles.setdefault(g.user_id, set()).add(g.place_id)
    for u in workers:
        places = worker_roles.get(u.pk, set())
        location = 2 if microgrid and microgrid.pk in places else (1 if grid and grid.pk in places else 0)
        out.append(scoring.Candidate(key=f"user:{u.pk}", label=u.display_name, kind="worker", location=location,
                                     category=not request.category.team and not request.category.department_id,
                                     open_load=loads.get(u.pk, 0)))
    cat_ids = [request.category.pk] + ([request.category.parent_id] if request.category.parent_id else [])
    agreements = (Agreement.objects.filter(community_id=request.community_id, starts__lte=today)
                  .filter(Q(ends__isnull=True) | Q(ends__gte=today)).select_related("vendor")
                  .annotate(covers=Count("categories", filter=Q(categories__in=cat_ids))))
    vendor_loads = dict(Request.objects.filter(vendor__isnull=False, state__in=OPEN_STATES,
                                               community_id=request.community_id)
                        .values_list("vendor").annotate(n=Count("id")))
    for a in agreements:
        out.append(scoring.Candidate(
            key=f"partner:{a.vendor_id}", label=a.vendor.name, kind="vendor", category=a.covers > 0,
            contract=a.covers > 0, contract_onsite_hours=a.emergency_hours if request.urgency == Urgency.EMERGENCY
            else a.onsite_hours, open_load=vendor_loads.get(a.vendor_id, 0), capacity=a.max_open))
    dept = request.category.department
    if dept is not None and not any(c.key == f"partner:{dept.pk}" for c in out):
        out.append(scoring.Candidate(key=f"partner:{dept.pk}", label=dept.name, kind="department", category=True,
                                     open_load=vendor_loads.get(dept.pk, 0)))
    return out


def ranked_candidates(request: Request) -> list[scoring.Scored]:
    terms, _pause = terms_for(request)
    needed = terms.onsite if terms.unit == ClockUnit.HOURS else None
    return scoring.rank(candidates(request), needed_onsite_hours=needed)


REASONS = {
    "location_building": N_("micro-grid worker of this building / owner of the facility"),
    "location_grid": N_("works in this grid"),
    "category": N_("responsible for this category"),
    "contract": N_("framework agreement in force for this category"),
    "contract_fast": N_("agreement promises to be on site in time"),
    "load": N_("open work orders"),
    "capacity": N_("at the agreement's limit of open work orders"),
}


def reason_label(code: str) -> str:
    return _(REASONS[code]) if code in REASONS else code


def dispatch(*, by: Actor, request: Request, to: str, reason: str = "", now: dt.datetime | None = None,
             check: bool = True) -> Request:
    """Assign to a candidate key ("user:ID" or "partner:ID"). The assignment is one conditional UPDATE:
    it only succeeds if nobody assigned the request since the dispatcher loaded it, so two
    dispatchers acting at once cannot both assign. Choosing anyone but the top-ranked candidate
    needs a reason (override)."""
    with transaction.atomic():
        if check and not can_handle(by.user, request):
            raise PermissionDenied
        action = "dispatch" if request.state in machine.TRANSITIONS["dispatch"][0] else "reassign"
        if not machine.allowed(action, request.state):
            raise ValidationError(_("This request cannot be dispatched now."))
        kind, _sep, ident = to.partition(":")
        if kind not in ("user", "partner") or not ident.isdigit():
            raise ValidationError(_("Choose someone to send the request to."))
        ranked = ranked_candidates(request)
        top = ranked[0].candidate.key if ranked else None
        keys = {s.candidate.key for s in ranked}
        reason = reason.strip()
        if to != top and not reason:
            raise ValidationError(_("Give a reason for choosing someone other than the first suggestion."))
        if action == "reassign" and not reason:
            raise ValidationError(_("Give a reason for reassigning."))
        assignee = vendor = None
        if kind == "user":
            assignee = User.objects.filter(pk=int(ident), is_active=True).first()
            if assignee is None:
                raise ValidationError(_("Choose someone to send the request to."))
        else:
            vendor = PartnerUnit.objects.filter(pk=int(ident), community_id=request.community_id).first()
            if vendor is None:
                raise ValidationError(_("Choose someone to send the request to."))
        if to not in keys and not reason:
            raise ValidationError(_("Give a reason for choosing someone outside the suggestions."))
        now = now or timezone.now()
        # Conditional UPDATE: state and assignment must be what this dispatcher saw.
        changed = Request.objects.filter(
            pk=request.pk, state=request.state, assignee_id=request.assignee_id, vendor_id=request.vendor_id,
        ).update(state=State.DISPATCHED, assignee=assignee, vendor=vendor, dispatch_reason=reason[:300],
                 accepted_at=request.accepted_at or now, updated_at=now)
        if changed != 1:
            raise ValidationError(_("Someone else has just dispatched this request. Reload the page."),
                                  code="conflict")
        before = request.state
        request.refresh_from_db()
        refresh_clocks(request, now=now)
        request.save(update_fields=["accept_due", "onsite_due", "resolve_due", "next_due", "overdue"])
        who = assignee.display_name if assignee else vendor.name
        note = _("Sent to %(who)s.") % {"who": who} + (f" {reason}" if reason else "")
        _event(request, by, action, from_state=before, note=note)
        record(by, f"servicedesk.request.{action}", request,
               changes={"state": [before, State.DISPATCHED], "assignee": [None, who], "suggested": [None, top]},
               note=reason[:500], community_id=request.community_id)
        targets = [assignee] if assignee else vendor_users(vendor.pk)
        notify(recipients=targets, kind="servicedesk.workorder",
               title=Text(N_("Work order #%(n)d: %(t)s"), n=request.pk, t=request.title),
               url=reverse("servicedesk:console_detail", args=[request.pk]))
        _tell_reporter(request, Text(STATE_MESSAGES[State.DISPATCHED], n=request.pk))
        return request


# ---------------------------------------------------------------- rating and follow-up (SVC-6)
@transaction.atomic
def rate(*, by: Actor, request: Request, stars: int, reasons: Sequence[str] = (), fixed: bool = True,
         comment: str = "", now: dt.datetime | None = None) -> Request:
    if not is_reporter(by.user, request):
        raise PermissionDenied
    if not 1 <= int(stars) <= 5:
        raise ValidationError(_("Choose one to five stars."))
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.state != State.RESOLVED:
        raise ValidationError(_("You can rate a request once it is resolved."))
    now = now or timezone.now()
    Rating.objects.update_or_create(request=request, defaults={
        "stars": int(stars), "reasons": list(reasons), "fixed": fixed, "comment": comment, "by": by.user, "at": now})
    if not fixed:
        return transition(by=by, request=request, action="reopen", note=_("Not fixed: %(c)s") % {"c": comment}
                          if comment else _("Not fixed."), now=now)
    request = transition(by=by, request=request, action="confirm", note=_("%(n)d stars.") % {"n": int(stars)}
                         + (f" {comment}" if comment else ""), now=now)
    Request.objects.filter(pk=request.pk).update(stars=int(stars))
    request.stars = int(stars)
    if int(stars) <= LOW_STARS:
        schedule_followup(request=request, by=by, reason=_("Low rating (%(n)d stars)") % {"n": int(stars)}, now=now)
    else:
        transition(by=Actor.system(), request=request, action="close", note=_("Closed after a good rating."),
                   now=now, check=False)
        request.refresh_from_db()
    return request


def schedule_followup(*, request: Request, by: Actor, reason: str, now: dt.datetime | None = None) -> FollowUp:
    now = now or timezone.now()
    followup = FollowUp.objects.create(request=request, due=now + FOLLOWUP_WITHIN, reason=reason[:200])
    _event(request, by, "followup_scheduled", note=reason, public=True)
    record(by, "servicedesk.followup.schedule", request, note=reason, community_id=request.community_id)
    people = users_with_role(["community_staff", "grid_worker"], request.place)
    notify(recipients=people, kind="servicedesk.followup",
           title=Text(N_("Follow-up call for request #%(n)d"), n=request.pk),
           url=reverse("servicedesk:console_detail", args=[request.pk]))
    return followup


@transaction.atomic
def log_followup(*, by: Actor, followup: FollowUp, outcome: str, reopen: bool = False) -> FollowUp:
    request = followup.request
    if not can_handle(by.user, request):
        raise PermissionDenied
    if followup.done_at:
        raise ValidationError(_("This call is already logged."))
    if not outcome.strip():
        raise ValidationError(_("Write down what the resident said."))
    followup.done_at, followup.done_by, followup.outcome = timezone.now(), by.user, outcome.strip()
    followup.save()
    _event(request, by, "followup", note=outcome.strip())
    record(by, "servicedesk.followup.log", request, note=outcome[:500], community_id=request.community_id)
    if reopen and machine.allowed("reopen", request.state):
        transition(by=by, request=request, action="reopen", note=outcome, check=False)
    elif machine.allowed("close", request.state):
        transition(by=by, request=request, action="close", note=_("Closed after the follow-up call."), check=False)
    return followup


# ---------------------------------------------------------------- overdue sweep and escalation (SVC-2, SVC-4)
LADDER = {
    Level.MICROGRID: ["microgrid_worker"],
    Level.COMMITTEE: ["committee_member"],
    Level.COMMUNITY: ["community_staff", "party_secretary"],
    Level.SUBDISTRICT: ["subdistrict_officer", "department_officer"],
}


def sweep_overdue(*, now: dt.datetime | None = None, limit: int = 5000) -> dict[str, int]:
    """Flag requests whose pending deadline has passed and walk each one up the ladder.

    One indexed range scan (`next_due < now`) finds the candidates; only they are touched."""
    now = now or timezone.now()
    stats = {"checked": 0, "flagged": 0, "escalated": 0}
    due = (Request.objects.filter(next_due__lt=now).exclude(state__in=[State.WAITING, *FINAL_STATES])
           .filter(Q(overdue=False) | Q(escalation__lt=Level.SUBDISTRICT))
           .order_by("next_due").values_list("pk", "next_due", "escalation", "overdue")[:limit])
    for pk, next_due, level, overdue in due:
        stats["checked"] += 1
        wanted = sla.escalation_level(now, next_due)
        if wanted <= level and overdue:
            continue
        with transaction.atomic():
            request = Request.objects.select_for_update().select_related("place").get(pk=pk)
            if not request.overdue:
                request.overdue = True
                stats["flagged"] += 1
            for rung in range(request.escalation + 1, wanted + 1):
                people = users_with_role(LADDER[Level(rung)], request.place, unit_id=request.unit_id)
                if rung == Level.SUBDISTRICT and request.category.department_id:
                    people += vendor_users(request.category.department_id)
                Escalation.objects.get_or_create(request=request, level=rung, defaults={"at": now,
                                                                                        "notified": len(people)})
                notify(recipients=people, kind="servicedesk.overdue",
                       title=Text(N_("Overdue request #%(n)d: %(t)s"), n=request.pk, t=request.title),
                       body=Text(N_("Escalated to: %(l)s"), l=Level(rung).label),
                       url=reverse("servicedesk:console_detail", args=[request.pk]))
                _event(request, Actor.system(), "escalate", note=str(Level(rung).label), public=False)
                stats["escalated"] += 1
            request.escalation = max(request.escalation, wanted)
            request.save(update_fields=["overdue", "escalation"])
            record(Actor.system(), "servicedesk.request.escalate", request,
                   changes={"escalation": [level, request.escalation]}, community_id=request.community_id)
    return stats


# ---------------------------------------------------------------- bulk actions (console)
def bulk(*, by: Actor, requests: Iterable[Request], action: str, to: str = "", reason: str = "") -> tuple[int, list]:
    done, errors = 0, []
    for req in requests:
        try:
            if action == "dispatch":
                dispatch(by=by, request=req, to=to, reason=reason)
            else:
                transition(by=by, request=req, action=action, note=reason)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            errors.append((req.pk, "; ".join(getattr(exc, "messages", [str(exc)]))))
    return done, errors


# ---------------------------------------------------------------- shared rows
def _require_shared(by: Actor) -> None:
    """Rows shared by every community change only by a platform administrator (or the system)."""
    if by.user is not None and not sd_rules.may_configure_shared(by.user):
        raise PermissionDenied(_("Only a platform administrator of the district changes what every community shares."))


def _shared_place(by: Actor) -> int | None:
    return sd_rules.audit_place_id(by.user) if by.user is not None else None


# ---------------------------------------------------------------- calendar upkeep
@transaction.atomic
def set_calendar_day(*, by: Actor, date: dt.date, is_workday: bool, name: str) -> CalendarDay:
    """Add or change a holiday / make-up day (shared by every community: a platform administrator
    only). Deadlines of open requests follow at their next step."""
    _require_shared(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the holiday or make-up day."))
    if is_workday and date.weekday() < 5:
        raise ValidationError(_("A make-up working day falls on a weekend."))
    day, _created = CalendarDay.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name[:40]})
    record(by, "servicedesk.calendar.set", day, changes={"date": [None, str(date)], "is_workday": [None, is_workday],
                                                         "name": [None, day.name]}, community_id=_shared_place(by))
    return day


@transaction.atomic
def remove_calendar_day(*, by: Actor, day: CalendarDay) -> None:
    _require_shared(by)
    record(by, "servicedesk.calendar.remove", day, changes={"date": [str(day.date), None]},
           community_id=_shared_place(by))
    day.delete()


# ---------------------------------------------------------------- Open311 keys
def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_key(*, by: Actor, community: Place, name: str) -> tuple[str, ApiKey]:
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError(_("An API key belongs to a community."))
    key = "o311_" + secrets.token_urlsafe(24)
    obj = ApiKey.objects.create(community=community, name=name[:80], prefix=key[:8], key_hash=hash_key(key))
    record(by, "servicedesk.apikey.create", obj, changes={"name": [None, obj.name]}, community_id=community.pk)
    return key, obj


def key_community(key: str) -> Place | None:
    if not key:
        return None
    obj = ApiKey.objects.filter(key_hash=hash_key(key), active=True).select_related("community").first()
    if obj is None:
        return None
    ApiKey.objects.filter(pk=obj.pk).update(last_used_at=timezone.now())
    return obj.community


# ---------------------------------------------------------------- service orders (SVC-5)
ORDER_FLOW = {  # stage -> (next stage, who signs it off)
    OrderStage.ORDERED: (OrderStage.ASSESSED, ("committee",)),
    OrderStage.ASSESSED: (OrderStage.DISPATCHED, ("community",)),
    OrderStage.DISPATCHED: (OrderStage.IN_SERVICE, ("provider",)),
    OrderStage.IN_SERVICE: (OrderStage.ACCEPTED, ("resident", "committee", "community")),
}
JOINT_PARTIES = ("resident", "committee", "community")


@transaction.atomic
def place_order(*, by: Actor, item: ServiceItem | None, place: Place, title: str = "", detail: str = "",
                person: Person | None = None) -> ServiceOrder:
    title = (title or (item.name if item else "")).strip()
    if not title:
        raise ValidationError(_("Say what service you need."))
    building = place if place.kind == PlaceKind.BUILDING else place.parent
    unit_id = building.courtyard.unit_id if building is not None and building.courtyard_id else None
    order = ServiceOrder.objects.create(
        community_id=place.community_id, unit_id=unit_id, path=place.path, item=item, title=title[:120],
        detail=detail, person=person or (by.user.person if by.user and by.user.person_id else None),
        ordered_by=by.user, price_fen=item.price_fen if item else 0, provider=item.provider if item else None)
    OrderSignOff.objects.create(order=order, stage=OrderStage.ORDERED, party="resident", by=by.user, note=detail[:500])
    record(by, "servicedesk.order.place", order, changes=diff(None, snapshot(order, ["title", "price_fen"])),
           community_id=order.community_id)
    return order


@transaction.atomic
def sign_off(*, by: Actor, order: ServiceOrder, party: str, note: str = "", approve: bool = True,
             provider: PartnerUnit | None = None) -> ServiceOrder:
    """Record one party's sign-off on the current stage; the order moves on when all have signed."""
    order = ServiceOrder.objects.select_for_update().get(pk=order.pk)
    if order.stage not in ORDER_FLOW:
        raise ValidationError(_("This order is finished."))
    nxt, parties = ORDER_FLOW[OrderStage(order.stage)]
    if party not in parties:
        raise ValidationError(_("This step needs a sign-off by: %(p)s.") % {"p": ", ".join(parties)})
    if party == "resident":
        if not (by.user and (order.ordered_by_id == by.user.pk or (order.person_id and by.user.person_id == order.person_id))):
            raise PermissionDenied
    elif party == "provider":
        if not (by.user and (in_scope(by.user, HANDLE, order) or (order.provider_id in vendor_ids_of(by.user)))):
            raise PermissionDenied
    elif not in_scope(by.user, HANDLE, order):
        raise PermissionDenied
    if not approve:
        order.stage = OrderStage.REJECTED
        order.save(update_fields=["stage"])
        OrderSignOff.objects.create(order=order, stage=OrderStage.REJECTED, party=party, by=by.user, note=note)
        record(by, "servicedesk.order.reject", order, note=note, community_id=order.community_id)
        return order
    if order.stage == OrderStage.ASSESSED:
        if provider is None and order.provider_id is None:
            raise ValidationError(_("Choose who provides the service."))
        if provider is not None:
            order.provider = provider
    stage_for_signoff = nxt
    OrderSignOff.objects.get_or_create(order=order, stage=stage_for_signoff, party=party,
                                       defaults={"by": by.user, "note": note})
    signed = set(order.signoffs.filter(stage=stage_for_signoff).values_list("party", flat=True))
    before = order.stage
    if set(parties) <= signed:
        order.stage = nxt
    order.save()
    record(by, "servicedesk.order.signoff", order, changes={"stage": [before, order.stage], "party": [None, party]},
           note=note[:500], community_id=order.community_id)
    return order


# ---------------------------------------------------------------- demand and resource lists (SVC-7)
URGENCY_WEIGHT = {Urgency.EMERGENCY: 100, Urgency.URGENT: 30, Urgency.NORMAL: 10}


def demand_rank_key(urgency: str, supporters: int) -> int:
    """Pure: emergencies first, then the needs more households share."""
    return URGENCY_WEIGHT.get(urgency, 10) + 5 * supporters


def ranked_demands(community_id: int) -> list[Demand]:
    demands = list(Demand.objects.filter(community_id=community_id, order__isnull=True)
                   .annotate(n=Count("supporters")).select_related("category"))
    return sorted(demands, key=lambda d: (-demand_rank_key(d.urgency, d.n), d.pk))


def suggest_offers(demand: Demand, offers: Iterable[Offer], today: dt.date | None = None) -> list[Offer]:
    """Offers of the kind needed that are available now; same category first."""
    today = today or timezone.localdate()
    fit = [o for o in offers if o.active and o.kind == demand.kind
           and (o.available_from is None or o.available_from <= today)
           and (o.available_until is None or o.available_until >= today)]
    return sorted(fit, key=lambda o: (o.category_id != demand.category_id, o.pk))


@transaction.atomic
def support_demand(*, by: Actor, demand: Demand, person: Person) -> None:
    demand.supporters.add(person)
    record(by, "servicedesk.demand.support", demand, community_id=demand.community_id)


@transaction.atomic
def match(*, by: Actor, demand: Demand, offer: Offer) -> ServiceOrder:
    if not in_scope(by.user, HANDLE, _CommunityObj(demand.community)):
        raise PermissionDenied
    if offer.community_id != demand.community_id or demand.order_id:
        raise ValidationError(_("This offer cannot be matched to this need."))
    community = demand.community
    order = ServiceOrder.objects.create(
        community=community, path=community.path, title=demand.title, detail=_("Matched with: %(o)s") % {"o": offer.title},
        ordered_by=by.user, stage=OrderStage.ASSESSED, provider=offer.partner)
    OrderSignOff.objects.create(order=order, stage=OrderStage.ASSESSED, party="community", by=by.user,
                                note=_("Matched from the demand list."))
    demand.matched_offer, demand.order = offer, order
    demand.save(update_fields=["matched_offer", "order"])
    record(by, "servicedesk.demand.match", demand, changes={"offer": [None, offer.pk], "order": [None, order.pk]},
           community_id=community.pk)
    return order


class _CommunityObj:
    def __init__(self, community: Place):
        self.scope_path = community.path
        self.scope_unit_id = None


# ---------------------------------------------------------------- configuration (console forms)
def yuan_to_fen(text) -> int:
    """Pure: "12.5" yuan → 1250 fen, exactly (Decimal); at most two decimals, not negative."""
    import re
    from decimal import Decimal

    text = str(text if text is not None else "").strip()
    if not re.fullmatch(r"\d{1,12}(\.\d+)?", text):  # plain digits only: no sign, exponent, NaN or Infinity
        raise ValidationError(_("Enter a price in yuan, for example 12.50."))
    if "." in text and len(text.split(".")[1].rstrip("0")) > 2:
        raise ValidationError(_("A price has at most two decimals (fen)."))
    fen = int(Decimal(text) * 100)
    if fen > 2_000_000_000:
        raise ValidationError(_("This price is too high."))
    return fen


def _positive(value, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(_("%(f)s must be a whole number of at least 1.") % {"f": label})
    return value


def _audit_save(by: Actor, action: str, obj, before: dict | None, fields: list[str], **kw) -> None:
    record(by, action, obj, changes=diff(before, snapshot(obj, fields)), **kw)


CATEGORY_FIELDS = ["community", "parent", "code", "name", "default_kind", "team", "department", "active", "sort"]


@transaction.atomic
def save_category(*, by: Actor, category: Category | None = None, community: Place | None, parent: Category | None,
                  code: str, name: str, default_kind: str = Kind.REPAIR, team: str = "",
                  department: PartnerUnit | None = None, active: bool = True, sort: int = 0) -> Category:
    """Create or change a node of the two-level category tree. `community` None = shared by every community."""
    if by.user is not None:
        target = category if category is not None else Category(community=community)
        if not sd_rules.may_configure_category(by.user, target) or (
                category is not None and category.community_id != getattr(community, "pk", None)
                and not sd_rules.may_configure_category(by.user, Category(community=community))):
            raise PermissionDenied(_("Only a platform administrator of the district changes what every community "
                                     "shares."))
    code, name = (code or "").strip().lower(), (name or "").strip()
    if not code or not name:
        raise ValidationError(_("A category needs a code and a name."))
    if Category.objects.filter(code=code).exclude(pk=getattr(category, "pk", None)).exists():
        raise ValidationError(_("The code %(c)s is already used by another category.") % {"c": code})
    if default_kind not in Kind.values:
        raise ValidationError(_("Choose a kind."))
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationError(_("A category sits under a top-level category (the tree has two levels)."))
        if category is not None and (parent.pk == category.pk or category.children.exists()):
            raise ValidationError(_("A category with sub-categories stays at the top level."))
        if parent.community_id is not None and parent.community_id != getattr(community, "pk", None):
            raise ValidationError(_("Choose a parent category of this community."))
    if department is not None and (community is None or department.community_id != community.pk):
        raise ValidationError(_("Choose a department of this community."))
    before = snapshot(category, CATEGORY_FIELDS) if category else None
    obj = category or Category()
    obj.community, obj.parent, obj.code, obj.name = community, parent, code[:40], name[:60]
    obj.default_kind, obj.team, obj.department = default_kind, (team or "").strip()[:60], department
    obj.active, obj.sort = active, max(0, min(int(sort or 0), 32767))
    obj.save()
    _audit_save(by, "servicedesk.category." + ("update" if category else "create"), obj, before, CATEGORY_FIELDS,
                community_id=getattr(community, "pk", None) or _shared_place(by))
    return obj


SLA_FIELDS = ["category", "urgency", "unit", "accept_within", "onsite_within", "resolve_within", "pause_when_waiting"]


@transaction.atomic
def save_sla_policy(*, by: Actor, policy: SlaPolicy | None = None, category: Category | None, urgency: str, unit: str,
                    accept_within: int, onsite_within: int, resolve_within: int,
                    pause_when_waiting: bool = True) -> SlaPolicy:
    """Create or change the promised times for a category (None: every category) and urgency."""
    if by.user is not None:
        for target in (policy, SlaPolicy(category=category)):
            if target is not None and not sd_rules.may_configure_policy(by.user, target):
                raise PermissionDenied(_("Only a platform administrator of the district changes what every "
                                         "community shares."))
    if urgency not in Urgency.values:
        raise ValidationError(_("Choose an urgency."))
    if unit not in ClockUnit.values:
        raise ValidationError(_("Choose hours or working days."))
    accept_within = _positive(accept_within, _("Accept within"))
    onsite_within = _positive(onsite_within, _("On site within"))
    resolve_within = _positive(resolve_within, _("Resolve within"))
    if not accept_within <= onsite_within <= resolve_within:
        raise ValidationError(_("The times must follow each other: accept ≤ on site ≤ resolve."))
    clash = SlaPolicy.objects.filter(category=category, urgency=urgency).exclude(pk=getattr(policy, "pk", None))
    if clash.exists():
        raise ValidationError(_("There is already a policy for this category and urgency; change that one."))
    before = snapshot(policy, SLA_FIELDS) if policy else None
    obj = policy or SlaPolicy()
    obj.category, obj.urgency, obj.unit = category, urgency, unit
    obj.accept_within, obj.onsite_within, obj.resolve_within = accept_within, onsite_within, resolve_within
    obj.pause_when_waiting = pause_when_waiting
    obj.save()
    _audit_save(by, "servicedesk.sla." + ("update" if policy else "create"), obj, before, SLA_FIELDS,
                community_id=(category.community_id if category else None) or _shared_place(by))
    return obj


AGREEMENT_FIELDS = ["vendor", "title", "onsite_hours", "emergency_hours", "starts", "ends", "max_open"]


@transaction.atomic
def save_agreement(*, by: Actor, agreement: Agreement | None = None, community: Place, vendor: PartnerUnit, title: str,
                   categories: Iterable[Category], onsite_hours: int, emergency_hours: int, starts: dt.date,
                   ends: dt.date | None = None, max_open: int = 20) -> Agreement:
    """Create or change a vendor's framework agreement with its SLA terms and the categories it covers."""
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the agreement a title."))
    if vendor.community_id != community.pk:
        raise ValidationError(_("Choose a partner unit of this community as the vendor."))
    categories = list(categories)
    if not categories:
        raise ValidationError(_("Choose at least one category the agreement covers."))
    if any(c.community_id not in (None, community.pk) for c in categories):
        raise ValidationError(_("Choose categories of this community."))
    onsite_hours = _positive(onsite_hours, _("On site within (hours)"))
    emergency_hours = _positive(emergency_hours, _("Emergency response within (hours)"))
    max_open = _positive(max_open, _("Open work orders at most"))
    if starts is None:
        raise ValidationError(_("Give the date the agreement starts."))
    if ends is not None and ends < starts:
        raise ValidationError(_("The agreement cannot end before it starts."))
    before = None
    if agreement is not None:
        before = snapshot(agreement, AGREEMENT_FIELDS)
        before["categories"] = sorted(agreement.categories.values_list("pk", flat=True))
    obj = agreement or Agreement(community=community)
    obj.vendor, obj.title, obj.onsite_hours, obj.emergency_hours = vendor, title[:120], onsite_hours, emergency_hours
    obj.starts, obj.ends, obj.max_open = starts, ends, max_open
    obj.save()
    obj.categories.set(categories)
    after = snapshot(obj, AGREEMENT_FIELDS)
    after["categories"] = sorted(c.pk for c in categories)
    record(by, "servicedesk.agreement." + ("update" if agreement else "create"), obj, changes=diff(before, after),
           community_id=community.pk)
    return obj


ITEM_FIELDS = ["menu", "name", "description", "price_fen", "provider", "active"]


@transaction.atomic
def save_service_item(*, by: Actor, item: ServiceItem | None = None, community: Place, menu: str, name: str,
                      description: str = "", price_fen: int, provider: PartnerUnit | None = None,
                      active: bool = True) -> ServiceItem:
    """Create or change an entry of the basic or value-added service list (price in fen)."""
    from .choices import Menu

    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Name the service."))
    if menu not in Menu.values:
        raise ValidationError(_("Choose the basic or the value-added list."))
    if not isinstance(price_fen, int) or isinstance(price_fen, bool) or price_fen < 0:
        raise ValidationError(_("Enter a price in yuan, for example 12.50."))
    if provider is not None and provider.community_id != community.pk:
        raise ValidationError(_("Choose a provider of this community."))
    before = snapshot(item, ITEM_FIELDS) if item else None
    obj = item or ServiceItem(community=community)
    obj.menu, obj.name, obj.description, obj.price_fen = menu, name[:100], (description or "").strip(), price_fen
    obj.provider, obj.active = provider, active
    obj.save()
    _audit_save(by, "servicedesk.item." + ("update" if item else "create"), obj, before, ITEM_FIELDS,
                community_id=community.pk)
    return obj


@transaction.atomic
def post_demand(*, by: Actor, community: Place, person: Person, title: str, kind: str,
                category: Category | None = None, urgency: str = Urgency.NORMAL) -> Demand:
    """A resident posts a need; they are its first supporter (so it ranks by how many share it)."""
    from .choices import OfferKind

    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what is needed."))
    if kind not in OfferKind.values or urgency not in Urgency.values:
        raise ValidationError(_("Choose what kind of help is needed and how urgent it is."))
    if person.community_id != community.pk:
        raise PermissionDenied
    if category is not None and category.community_id not in (None, community.pk):
        raise ValidationError(_("Choose a category of this community."))
    demand = Demand.objects.create(community=community, title=title[:120], kind=kind, category=category,
                                   urgency=urgency)
    demand.supporters.add(person)
    record(by, "servicedesk.demand.post", demand, changes=diff(None, snapshot(demand, ["title", "kind", "urgency"])),
           community_id=community.pk)
    return demand


@transaction.atomic
def offer_resource(*, by: Actor, community: Place, person: Person, title: str, kind: str,
                   category: Category | None = None, availability: str = "",
                   available_from: dt.date | None = None, available_until: dt.date | None = None) -> Offer:
    """A resident offers a space, service, skill, money or goods to the resource list."""
    from .choices import OfferKind

    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what you offer."))
    if kind not in OfferKind.values:
        raise ValidationError(_("Choose what kind of resource you offer."))
    if person.community_id != community.pk:
        raise PermissionDenied
    if available_from and available_until and available_until < available_from:
        raise ValidationError(_("The end of availability cannot be before its start."))
    offer = Offer.objects.create(community=community, kind=kind, title=title[:120], person=person, category=category,
                                 availability=(availability or "").strip()[:120], available_from=available_from,
                                 available_until=available_until)
    record(by, "servicedesk.offer.create", offer, changes=diff(None, snapshot(offer, ["title", "kind"])),
           community_id=community.pk)
    return offer


def bulk_candidates(requests: Iterable[Request], *, limit: int = 20) -> list[dict]:
    """Candidates for dispatching several requests at once: each request's ranking (at most `limit`
    distinct location/category/urgency combinations are ranked), merged; those that rank first for
    most requests come first, then by their average score."""
    seen: dict[tuple, list[scoring.Scored]] = {}
    counts: dict[tuple, int] = {}
    for req in requests:
        if not machine.allowed("dispatch", req.state):
            continue
        combo = (req.place_id, req.category_id, req.urgency, req.community_id)
        if combo not in seen:
            if len(seen) >= limit:
                continue
            seen[combo] = ranked_candidates(req)
        counts[combo] = counts.get(combo, 0) + 1
    merged: dict[str, dict] = {}
    for combo, ranked in seen.items():
        n = counts[combo]
        for i, s in enumerate(ranked):
            row = merged.setdefault(s.candidate.key, {"key": s.candidate.key, "label": s.candidate.label,
                                                      "kind": s.candidate.kind, "top": 0, "fits": 0, "total": 0.0})
            row["fits"] += n
            row["total"] += s.score * n
            if i == 0:
                row["top"] += n
    rows = list(merged.values())
    for r in rows:
        r["score"] = round(r["total"] / r["fits"], 1) if r["fits"] else 0
    return sorted(rows, key=lambda r: (-r["top"], -r["score"], r["label"]))
