"""Household consent campaigns (DLB-10): one standing answer per dwelling, collected door to door,
at a courtyard meeting or online by the resident; every change audited with the previous answer."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit, hooks
from courtyard.core.audit import Actor
from courtyard.core.models import Channel

from .. import permissions as p
from .. import rules, selectors
from ..choices import ConsentAnswer, ConsentChannel, VoteMatter
from ..models import Consent, ConsentCampaign
from ._common import record, require, require_staff


@transaction.atomic
def create_campaign(*, by: Actor, unit, title: str, target_percent: int = 90, project=None) -> ConsentCampaign:
    require_staff(by, p.MANAGE, unit)
    if not (title or "").strip():
        raise ValidationError(_("Give the campaign a title."), code="title")
    if target_percent is None or not 1 <= target_percent <= 100:
        raise ValidationError(_("The target is a percentage between 1 and 100."), code="target_percent")
    if project is not None and project.unit_id != unit.pk:
        raise ValidationError(_("Choose a project of this unit."), code="project")
    c = ConsentCampaign.objects.create(unit=unit, community_id=unit.community_id, title=title.strip(),
                                       target_percent=target_percent, project=project)
    record(by, "projects.campaign.create", c, unit_id=unit.pk, community_id=unit.community_id,
           changes=audit.diff(None, audit.snapshot(c, ["title", "target_percent", "project"])))
    return c


@transaction.atomic
def close_campaign(*, by: Actor, campaign: ConsentCampaign) -> ConsentCampaign:
    require_staff(by, p.MANAGE, campaign)
    locked = ConsentCampaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.is_open:
        raise ValidationError(_("This campaign is closed."))
    locked.is_open = False
    locked.save(update_fields=["is_open"])
    record(by, "projects.campaign.close", locked, unit_id=locked.unit_id, community_id=locked.community_id,
           changes={"is_open": [True, False]})
    return locked


@transaction.atomic
def record_consent(*, by: Actor, campaign: ConsentCampaign, dwelling, answer: str, channel: str,
                   helper: str = "", person=None) -> Consent:
    """Set a household's answer. Online: the resident for their own household. Door to door or at a
    meeting: a collector holding `projects.collect`, recorded on the household's behalf."""
    if answer not in ConsentAnswer.values:
        raise ValidationError(_("Choose agree, disagree or undecided."), code="answer")
    if channel == ConsentChannel.ONLINE:
        require(rules.consent_refusal(by.user, campaign, dwelling))
        person, helper = by.user.person, ""
    elif channel in (ConsentChannel.DOOR, ConsentChannel.MEETING):
        require_staff(by, p.COLLECT, campaign)
        if not campaign.is_open:
            raise ValidationError(_("This campaign is closed."))
        if dwelling.unit_id != campaign.unit_id:
            raise ValidationError(_("Choose a household of this unit."), code="dwelling")
        helper = (helper or "").strip() or (by.user.display_name if by.user else "")
        by = dataclasses.replace(by, on_behalf_of=person, channel=Channel.OFFLINE)
    else:
        raise ValidationError(_("Choose how the answer was collected."), code="channel")
    CampaignLock = ConsentCampaign.objects.select_for_update()  # noqa: N806 - serialise answers per campaign
    CampaignLock.get(pk=campaign.pk)
    existing = Consent.objects.filter(campaign=campaign, dwelling=dwelling).first()
    before = audit.snapshot(existing, ["answer", "channel", "helper"]) if existing else None
    values = {"answer": answer, "channel": channel, "helper": helper[:60], "recorded_by": by.user,
              "person": person, "recorded_at": timezone.now()}
    if existing:
        for k, v in values.items():
            setattr(existing, k, v)
        existing.save()
        consent = existing
    else:
        consent = Consent.objects.create(campaign=campaign, dwelling=dwelling, **values)
    record(by, "projects.consent.record", consent, unit_id=campaign.unit_id, community_id=campaign.community_id,
           changes=audit.diff(before, audit.snapshot(consent, ["answer", "channel", "helper"])))
    return consent


@transaction.atomic
def hand_over_to_vote(*, by: Actor, campaign: ConsentCampaign, matter: str) -> ConsentCampaign:
    """Where the Civil Code needs an owners' vote (adding a lift, the use of common parts), staff hand the
    campaign over: deliberation drafts the vote with the right rule (hook `deliberation.draft_owners_vote`)
    and the campaign keeps the link. Once only."""
    locked = ConsentCampaign.objects.select_for_update().get(pk=campaign.pk)
    require_staff(by, p.MANAGE, locked)
    if matter not in (VoteMatter.LIFT, VoteMatter.COMMON_PARTS):
        raise ValidationError({"matter": _("Choose the matter the owners vote on.")})
    if locked.vote_id:
        raise ValidationError(_("This campaign is already handed over to an owners' vote."))
    rates = selectors.consent_summary(locked)
    description = _("Handed over from the household consent campaign “%(t)s”: %(r)s %% of households agreed "
                    "(%(y)s of %(n)s).") % {"t": locked.title, "r": rates["by_households_exact"],
                                            "y": rates["rates"].yes, "n": rates["rates"].households}
    vote = hooks.call("deliberation.draft_owners_vote", by=by, unit_id=locked.unit_id, title=locked.title,
                      description=description, matter=matter)
    locked.matter, locked.vote_id, locked.vote_url, locked.vote_rule = matter, vote["id"], vote["url"], str(vote["rule"])
    locked.save(update_fields=["matter", "vote_id", "vote_url", "vote_rule"])
    record(by, "projects.campaign.vote", locked, unit_id=locked.unit_id, community_id=locked.community_id,
           changes={"matter": ["", matter], "vote": [None, vote["id"]]})
    return locked
