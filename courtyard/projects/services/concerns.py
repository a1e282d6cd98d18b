"""Residents' concerns during construction (issue 10 item 6): a resident of the unit raises one on their
phone; it becomes a service-desk request (hook `servicedesk.file_work_order`) sent to the works
contractor's partner unit with the urgent clock — on site or answered within 24 hours — and escalates
through the service desk's ladder like any request when it is late. Third-party test reports are
published documents (a PDF) on the unit's public page."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import file_access, hooks
from courtyard.core.audit import Actor
from courtyard.core.files import store_upload

from .. import permissions as p
from .. import rules
from ..choices import ContractRole, ProjectStatus
from ..models import Concern, Project, TestReport
from ._common import record, require_staff

CONCERN_URGENCY = "urgent"  # the service desk's urgent terms: on site (or answered) within 24 hours
CONCERN_CATEGORY = "building"  # 房屋与公共设施
REPORT_KINDS = frozenset({"pdf", "image"})


@transaction.atomic
def raise_concern(*, by: Actor, project: Project, text: str) -> Concern:
    if project.status != ProjectStatus.WORKS:
        raise ValidationError(_("Concerns are raised while the project is under construction."))
    if by.user is None or project.unit_id not in rules.resident_unit_ids(by.user):
        raise PermissionDenied(_("Only residents of this unit can raise a concern about its works."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what concerns you.")})
    contract = project.contracts.filter(role=ContractRole.WORKS, partner__isnull=False).order_by("-pk").first()
    filed = hooks.call(
        "servicedesk.file_work_order", by=by, place_id=project.place_id or project.community_id,
        title=_("Construction concern: %(p)s") % {"p": project.title}, description=text[:2000],
        category_code=CONCERN_CATEGORY, kind="complaint", urgency=CONCERN_URGENCY, source="construction",
        dispatch_to_partner_id=contract.partner_id if contract else None,
        reason=_("The project's contractor answers residents' concerns within 24 hours."),
        reporter_user_id=by.user.pk)
    concern = Concern.objects.create(project=project, request_id=filed["id"], raised_by=by.user)
    record(by, "projects.concern.raise", concern, unit_id=project.unit_id, community_id=project.community_id,
           changes={"request": [None, filed["id"]], "contractor": [None, contract.party if contract else None]})
    return concern


@transaction.atomic
def publish_test_report(*, by: Actor, project: Project, title: str, lab: str, tested_on: dt.date, passed: bool,
                        report) -> TestReport:
    require_staff(by, p.INSPECT, project)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Name the report.")
    if not (lab or "").strip():
        errors["lab"] = _("Name the testing body.")
    if tested_on is None or tested_on > timezone.localdate():
        errors["tested_on"] = _("Give the test date, not in the future.")
    if report is None:
        errors["report"] = _("Attach the report (PDF or photo).")
    if errors:
        raise ValidationError(errors)
    tr = TestReport.objects.create(project=project, title=title.strip(), lab=lab.strip(), tested_on=tested_on,
                                   passed=bool(passed), recorded_by=by.user)
    file_access.publish(by=by, attachment=store_upload(by=by, upload=report, allowed=REPORT_KINDS, owner=tr))
    record(by, "projects.test_report.publish", tr, unit_id=project.unit_id, community_id=project.community_id,
           changes={"title": [None, tr.title], "lab": [None, tr.lab], "passed": [None, tr.passed]})
    return tr
