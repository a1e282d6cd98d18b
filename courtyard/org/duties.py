"""The rights-and-duties list (权责清单, ORG-10): services (each audited, checked on the unit with
`org.change_orgs`) and the coverage of listed duties against the target (≥ 90 %)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, record

from .access import CHANGE_ORGS
from .models import DutyItem, DutyKind, DutyList, DutyListStatus, DutyParty, SelfGovernanceUnit


def _require(by: Actor, unit: SelfGovernanceUnit) -> None:
    if by.user is not None and not by.user.has_perm(CHANGE_ORGS, unit):
        raise PermissionDenied


@transaction.atomic
def new_version(*, by: Actor, unit: SelfGovernanceUnit, title: str = "") -> DutyList:
    """A new draft: a copy of the latest version's items (or empty), to be changed and adopted."""
    _require(by, unit)
    latest = DutyList.objects.filter(unit=unit).order_by("-version").first()
    if latest is not None and latest.status == DutyListStatus.DRAFT:
        raise ValidationError(_("Version %(n)s is still a draft; change that one.") % {"n": latest.version})
    draft = DutyList.objects.create(unit=unit, version=(latest.version + 1) if latest else 1,
                                    title=(title.strip() or (latest.title if latest else _("Rights and duties list")))[:120])
    if latest is not None:
        DutyItem.objects.bulk_create(
            [DutyItem(duty_list=draft, party=i.party, kind=i.kind, text=i.text, position=i.position, covered=i.covered,
                      covered_by=i.covered_by, checked_at=i.checked_at) for i in latest.items.all()])
    record(by, "org.duties.version", draft, changes={"version": [None, draft.version]},
           community_id=unit.community_id)
    return draft


@transaction.atomic
def add_item(*, by: Actor, duty_list: DutyList, party: str, kind: str, text: str) -> DutyItem:
    _require(by, duty_list.unit)
    duty_list = DutyList.objects.select_for_update().select_related("unit").get(pk=duty_list.pk)
    if duty_list.status != DutyListStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed; start a new version."))
    if party not in DutyParty.values:
        raise ValidationError({"party": _("Choose one of the four parties.")})
    if kind not in DutyKind.values:
        raise ValidationError({"kind": _("Choose right or duty.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the right or duty.")})
    item = DutyItem.objects.create(duty_list=duty_list, party=party, kind=kind, text=text.strip()[:300],
                                   position=duty_list.items.count() + 1)
    record(by, "org.duties.item", item, changes={"text": [None, item.text], "party": [None, party],
                                                "kind": [None, kind]}, community_id=duty_list.unit.community_id)
    return item


@transaction.atomic
def adopt(*, by: Actor, duty_list: DutyList, adopted_ref: str, now=None) -> DutyList:
    """Adopts a draft (the previous adopted version is superseded) and so publishes it. Every party must
    have at least one right or duty, and the adoption must name its resolution or vote."""
    _require(by, duty_list.unit)
    duty_list = DutyList.objects.select_for_update().get(pk=duty_list.pk)
    if duty_list.status != DutyListStatus.DRAFT:
        raise ValidationError(_("This version is not a draft."))
    if not adopted_ref.strip():
        raise ValidationError({"adopted_ref": _("Name the resolution or vote that adopted the list.")})
    parties = set(duty_list.items.values_list("party", flat=True))
    missing = [str(DutyParty(x).label) for x in DutyParty.values if x not in parties]
    if missing:
        raise ValidationError(_("The list names nothing for: %(p)s.") % {"p": "、".join(missing)})
    DutyList.objects.filter(unit=duty_list.unit, status=DutyListStatus.ADOPTED).update(
        status=DutyListStatus.SUPERSEDED)
    duty_list.status, duty_list.adopted_at = DutyListStatus.ADOPTED, now or timezone.now()
    duty_list.adopted_ref, duty_list.adopted_by = adopted_ref.strip()[:200], by.user
    duty_list.save(update_fields=["status", "adopted_at", "adopted_ref", "adopted_by"])
    record(by, "org.duties.adopt", duty_list, changes={"status": ["draft", "adopted"]}, note=adopted_ref.strip(),
           community_id=duty_list.unit.community_id)
    return duty_list


@transaction.atomic
def set_coverage(*, by: Actor, item: DutyItem, covered: bool, covered_by: str = "", on=None) -> DutyItem:
    """Records whether a listed duty is carried out (and by whom), checked on a date."""
    _require(by, item.duty_list.unit)
    if item.kind != DutyKind.DUTY:
        raise ValidationError(_("Coverage is tracked for duties."))
    if covered and not covered_by.strip():
        raise ValidationError({"covered_by": _("Say who carries out this duty.")})
    before = item.covered
    item.covered, item.covered_by = covered, covered_by.strip()[:120]
    item.checked_at = on or timezone.localdate()
    item.save(update_fields=["covered", "covered_by", "checked_at"])
    record(by, "org.duties.coverage", item, changes={"covered": [before, covered], "covered_by": [None, item.covered_by]},
           community_id=item.duty_list.unit.community_id)
    return item


def coverage(items, target_percent: int = 90) -> dict:
    """Share of listed duties covered, exact (a Fraction; the percentage is rounded for display only),
    against the target."""
    duties = [i for i in items if i.kind == DutyKind.DUTY]
    covered = sum(1 for i in duties if i.covered)
    share = Fraction(covered, len(duties)) if duties else None
    shown = "—"
    if share is not None:
        shown = f"{(Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal('0.1'), ROUND_HALF_UP)} %"
    return {"duties": len(duties), "covered": covered, "share": share, "percent": shown, "target": target_percent,
            "met": share is not None and share >= Fraction(target_percent, 100)}


def by_party(items) -> list[dict]:
    out = []
    for party in DutyParty:
        rows = [i for i in items if i.party == party.value]
        out.append({"party": party.label, "rights": [i for i in rows if i.kind == DutyKind.RIGHT],
                    "duties": [i for i in rows if i.kind == DutyKind.DUTY]})
    return out


def public_duties(unit) -> dict:
    """The unit's public page: the adopted list by party, with the coverage of its duties. Two queries."""
    adopted = DutyList.objects.filter(unit=unit, status=DutyListStatus.ADOPTED).first()
    items = list(adopted.items.all()) if adopted else []
    return {"list": adopted, "parties": by_party(items),
            "coverage": coverage(items, adopted.target_percent if adopted else 90)}
