"""Representatives (DLB-3): group quotas and panels."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, record
from courtyard.org.models import Person

from .. import choices as c
from .. import permissions as p
from ..models import RepresentativePanel, RepresentativeQuota
from ._common import _require


# ================================================================ representatives (DLB-3)
def person_groups(person: Person, today=None) -> set[str]:
    today = today or timezone.localdate()
    groups = set()
    age = person.age(today)
    if age is not None:
        groups.add(c.QuotaGroup.YOUNG if age < 40 else c.QuotaGroup.MIDDLE if age < 60 else c.QuotaGroup.OLD)
    # .all() so a prefetched `links` serves the whole candidate list without a query per person
    if person.residence_status == "floating" or any(x.relation == "tenant" for x in person.links.all()):
        groups.add(c.QuotaGroup.TENANT)
    tags = {tg.code for tg in person.tags.all()}
    if "merchant" in tags:
        groups.add(c.QuotaGroup.MERCHANT)
    if tags & {"veteran", "party_member", "professional"}:
        groups.add(c.QuotaGroup.SPECIAL)
    return groups


def quota_status(unit, people) -> list[dict]:
    counts: dict[str, int] = {}
    for person in people:
        for g in person_groups(person):
            counts[g] = counts.get(g, 0) + 1
    return [{"group": q.group, "label": c.QuotaGroup(q.group).label, "minimum": q.minimum,
             "count": counts.get(q.group, 0), "met": counts.get(q.group, 0) >= q.minimum}
            for q in RepresentativeQuota.objects.filter(unit=unit).order_by("group")]


@transaction.atomic
def set_quota(*, by: Actor, unit, group: str, minimum: int) -> RepresentativeQuota:
    _require(by, p.MANAGE_TOPIC, unit)
    if group not in c.QuotaGroup.values:
        raise ValidationError(_("Unknown group."))
    if not 0 <= minimum <= 99:
        raise ValidationError(_("A quota lies between 0 and 99."))
    old = RepresentativeQuota.objects.filter(unit=unit, group=group).values_list("minimum", flat=True).first()
    q, _created = RepresentativeQuota.objects.update_or_create(unit=unit, group=group, defaults={"minimum": minimum,
                                                                                               "community_id":
                                                                                               unit.community_id})
    record(by, "deliberation.quota.set", unit, changes={group: [old, minimum]}, community_id=unit.community_id)
    return q


@transaction.atomic
def set_quotas(*, by: Actor, unit, minimums: dict[str, int]) -> list[RepresentativeQuota]:
    """Edits all the quotas of a unit at once (all or none); 0 means no minimum for the group."""
    _require(by, p.MANAGE_TOPIC, unit)
    current = dict(RepresentativeQuota.objects.filter(unit=unit).values_list("group", "minimum"))
    return [set_quota(by=by, unit=unit, group=g, minimum=m) for g, m in minimums.items()
            if current.get(g, 0) != m]


@transaction.atomic
def confirm_panel(*, by: Actor, unit, people, reason: str = "") -> RepresentativePanel:
    """Refuses a panel that breaks a quota unless a reason is recorded (DLB-3)."""
    _require(by, p.MANAGE_TOPIC, unit)
    people = list(people)
    if any(x.unit_id != unit.pk for x in people):
        raise ValidationError(_("Every representative must live in this unit."))
    unmet = [s["group"] for s in quota_status(unit, people) if not s["met"]]
    if unmet and not reason.strip():
        raise ValidationError(_("The panel leaves quotas unmet (%(groups)s); record a reason to confirm it anyway.")
                              % {"groups": ", ".join(str(c.QuotaGroup(g).label) for g in unmet)})
    panel = RepresentativePanel.objects.create(unit=unit, confirmed_at=timezone.now(), confirmed_by=by.user,
                                               unmet_quotas=unmet, override_reason=reason.strip()[:300])
    panel.members.set(people)
    record(by, "deliberation.panel.confirm", panel, changes={"members": [None, [x.pk for x in people]],
                                                            "unmet": [None, unmet]}, note=reason)
    return panel
