"""Staff configuration: calendar, API keys, categories, SLA policies, agreements."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, Place

from .. import rules as sd_rules
from ..choices import ClockUnit, Kind, Urgency
from ..models import Agreement, ApiKey, CalendarDay, Category, SlaPolicy
from ._common import _audit_save, _positive, _require_shared, _shared_place


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
