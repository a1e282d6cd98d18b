"""Staging an import, committing it (all or nothing) and recording a failed one."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, record
from courtyard.core.files import store_upload
from courtyard.core.models import Channel

from .. import services
from ..choices import ResidenceStatus
from ..models import Place, RosterImport
from .matching import Plan, check_roster
from .parsing import RosterFileError, RowError
from .validation import _messages


# ---------------------------------------------------------------- staging and commit
@transaction.atomic
def stage_import(*, by: Actor, community: Place, data: bytes, filename: str, plan: Plan) -> RosterImport:
    """Keeps a checked file (as an attachment) until the user confirms the import."""
    if not plan.ok:
        raise ValueError("only a plan without errors is staged")
    attachment = store_upload(by=by, upload=ContentFile(data, name=filename), allowed={"spreadsheet"},
                              max_bytes=settings.COURTYARD_ROSTER_MAX_BYTES)
    staged = RosterImport.objects.create(community=community, attachment=attachment, rows=plan.rows,
                                         counts=plan.counts, created_by=by.user)
    attachment.owner_type_id = _content_type_id()
    attachment.owner_id = str(staged.pk)
    attachment.save(update_fields=["owner_type", "owner_id"])
    return staged


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(RosterImport).pk


class CommitRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("roster import refused")
        self.errors = errors


def commit_import(*, by: Actor, staged: RosterImport) -> RosterImport:
    """Re-checks the staged file and writes it all, or nothing. Marks the import failed on refusal."""
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=staged.pk)
            if locked.status != RosterImport.Status.STAGED:
                raise CommitRefused([RowError(None, "", _("This import has already been processed."))])
            with locked.attachment.file.open("rb") as fh:
                data = fh.read()
            try:
                plan = check_roster(user=by.user, community=locked.community, data=data)
            except RosterFileError as exc:
                raise CommitRefused([RowError(None, "", exc.message)]) from exc
            if not plan.ok:
                raise CommitRefused(plan.errors)
            apply_plan(by=by, community=locked.community, plan=plan)
            locked.status = RosterImport.Status.COMMITTED
            locked.counts = plan.counts
            locked.rows = plan.rows
            locked.errors = []
            locked.committed_at = timezone.now()
            locked.save(update_fields=["status", "counts", "rows", "errors", "committed_at"])
            record(by, "org.roster.import", locked, changes={k: [None, n] for k, n in plan.counts.items()},
                   note=locked.attachment.original_name)
            # The workbook (names, ID and phone numbers in clear) is not kept once imported.
            from ..roster_retention import discard_workbook

            discard_workbook(by=by, staged=locked, reason="imported")
            return locked
    except CommitRefused as exc:
        _fail(staged, exc.errors)
        raise
    except (ValidationError, IntegrityError) as exc:  # a service or the database refused what the checks let through
        message = _messages(exc) if isinstance(exc, ValidationError) else _(
            "The registry changed while importing. Check the file again and retry.")
        errors = [RowError(None, "", message)]
        _fail(staged, errors)
        raise CommitRefused(errors) from exc


def _fail(staged: RosterImport, errors: list[RowError]) -> None:
    from ..roster_retention import discard_workbook

    with transaction.atomic():
        RosterImport.objects.filter(pk=staged.pk, status=RosterImport.Status.STAGED).update(
            status=RosterImport.Status.FAILED, errors=[e.as_dict() for e in errors[:1000]])
        discard_workbook(by=Actor.system(), staged=staged, reason="failed")


def apply_plan(*, by: Actor, community: Place, plan: Plan) -> None:
    """Writes a checked plan through the org services (caller holds the transaction)."""
    if by.channel != Channel.IMPORT:
        by = Actor(user=by.user, on_behalf_of=by.on_behalf_of, channel=Channel.IMPORT, ip=by.ip)
    for dplan in plan.dwellings.values():
        if dplan.is_new:
            first_area = next(iter(dplan.areas.items()), None)
            dplan.dwelling = services.create_dwelling(
                by=by, entrance=dplan.entrance, number=dplan.number, floor=dplan.fields.get("floor"),
                area_m2=first_area[1] if first_area else None, area_source=first_area[0] if first_area else "",
                property_type=dplan.fields.get("property_type", ""), occupancy=dplan.fields.get("occupancy", ""),
            )
            remaining = list(dplan.areas.items())[1:]
        else:
            dplan.dwelling = dplan.existing
            if dplan.fields:
                services.update_dwelling(by=by, dwelling=dplan.dwelling, **dplan.fields)
            remaining = list(dplan.areas.items())
        for source, area in remaining:
            services.record_area(by=by, dwelling=dplan.dwelling, source=source, area_m2=area)
    for pplan in plan.people.values():
        home = plan.dwellings[pplan.dwelling_key].dwelling
        if pplan.is_new:
            fields = dict(pplan.fields)
            pplan.person = services.create_person(
                by=by, community=community, name=fields.pop("name"), phone=pplan.phone or "",
                id_number=pplan.id_number or "", home=home, tags=pplan.tags or [],
                residence_status=fields.pop("residence_status", ResidenceStatus.PERMANENT), **fields,
            )
        else:
            pplan.person = pplan.existing
            if pplan.is_changed:
                services.update_person(by=by, person=pplan.person, phone=pplan.phone, id_number=pplan.id_number,
                                       tags=pplan.tags, **pplan.fields)
    for pkey, dkey, relation, _row in plan.links:
        services.link_person(by=by, person=plan.people[pkey].person, dwelling=plan.dwellings[dkey].dwelling,
                             relation=relation)
