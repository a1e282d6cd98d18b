"""Who may fetch files owned by insight rows: evidence on a case (anyone who may see the case)."""

from courtyard.core import file_access

from . import permissions as P


def _case(user, case) -> bool:
    from .models import WarningCase

    return WarningCase.objects.visible_to(user, P.VIEW).filter(pk=case.pk).exists()


def _report(user, report) -> bool:
    from .models import Report

    return Report.objects.visible_to(user, P.REPORTS).filter(pk=report.pk).exists()


file_access.register("insight.warningcase", can_view=_case)
file_access.register("insight.report", can_view=_report)
