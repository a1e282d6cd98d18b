"""Reports for the third-party evaluator (INS-5): a quarter's or a year's indicators at one node and
one level down, as a PDF (charts as inline SVG, Chinese fonts through courtyard.core.pdf) and an
xlsx with every indicator, numerator, denominator and target. Generated in the background; the
figures are read from the read replica when one is configured (courtyard.core.replica)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from courtyard.core.audit import Actor, record
from courtyard.core.files import store_upload
from courtyard.core.indicators import Period, Scope, catalogue, decimal_str, percent_str
from courtyard.core.pdf import render_pdf
from courtyard.core.replica import reading_replica
from courtyard.core.xlsx import XLSX_MIME, workbook_bytes

from .. import engine, selectors
from .. import permissions as P
from .. import scopes as sc
from ..models import Report, ReportStatus
from .snapshots import place_id_of, store_readings


def request_report(*, by: Actor, scope: Scope, period: Period) -> Report:
    if by.user is None or not selectors.may_view(by.user, scope, P.REPORTS):
        raise PermissionDenied
    with transaction.atomic():
        report = Report.objects.create(scope_kind=scope.kind, scope_key=scope.key, scope_name=scope.name,
                                       place_id=place_id_of(scope), unit_id=scope.unit_id, path=scope.path,
                                       period_kind=period.kind, period_key=period.key, requested_by=by.user)
        record(by, "insight.report.request", report, changes={"period_key": [None, period.key]})
        transaction.on_commit(partial(_enqueue, report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from ..tasks import build_report

    build_report.enqueue(report_id)


def _svg_bars(rows: list[tuple[str, float | None]]) -> str:
    """A horizontal bar chart as inline SVG (0–100), for the PDF."""
    height = 22 * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="480" height="{height}" viewBox="0 0 480 {height}">']
    for i, (label, value) in enumerate(rows):
        y = 5 + 22 * i
        width = 0 if value is None else max(0.0, min(value, 100.0)) * 2.6
        text = "—" if value is None else f"{value:.1f}"
        parts.append(f'<text x="0" y="{y + 14}" font-size="10">{_esc(label)}</text>'
                     f'<rect x="170" y="{y + 3}" width="{width:.1f}" height="14" fill="#3b6fb6"/>'
                     f'<text x="{175 + width:.1f}" y="{y + 14}" font-size="10">{text}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels escaped, numbers formatted here


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def contents(scope: Scope, period: Period) -> dict:
    """The figures of a report: every indicator computed now for the node and one level down — read
    from the replica when there is one (ADR 0024, 0032) — then stored on the primary as the period's
    snapshots; the trend from the monthly snapshots (the replica too)."""
    with reading_replica():
        kids = sc.children(scope)
        readings = {s.key: engine.readings(s, period) for s in [scope, *kids]}
        trend = selectors.series(scope, period, months=12 if period.kind == "year" else 3)
    computed = timezone.now()
    for s in [scope, *kids]:
        store_readings(s, period, readings[s.key], now=computed)
    tiles = [{"ind": r.indicator, "r": r, "target": selectors.decimal_target(r)} for r in readings[scope.key]]
    codes = [r.code for r in readings[scope.key]]
    table = {"codes": codes, "labels": [catalogue()[c].label for c in codes],
             "rows": [{"scope": k, "cells": readings[k.key]} for k in kids]}
    return {"scope": scope, "period": period, "tiles": tiles, "children": table, "computed": computed,
            "trend": trend, "months": [Period.parse(m) for m in trend["months"]],
            "chart": _svg_bars([(str(t["ind"].label), None if t["r"] is None or t["r"].value is None else
                                 float(decimal_str(t["r"].value * (1 if t["ind"].score else 100), 1))) for t in tiles])}


def xlsx_rows(data: dict) -> list[list]:
    rows = []
    for t in data["tiles"]:
        r = t["r"]
        rows.append([data["scope"].name, str(t["ind"].label), t["ind"].code, data["period"].key,
                     r.numerator if r else None, r.denominator if r else None,
                     decimal_str(r.value) if r and r.value is not None else "",
                     decimal_str(r.target) if r and r.target is not None else "", _colour_word(r.colour if r else "grey"),
                     str(t["ind"].formula)])
    for row in data["children"]["rows"]:
        for code, r in zip(data["children"]["codes"], row["cells"], strict=True):
            rows.append([row["scope"].name, str(catalogue()[code].label), code, data["period"].key,
                         r.numerator if r else None, r.denominator if r else None,
                         decimal_str(r.value) if r and r.value is not None else "",
                         decimal_str(r.target) if r and r.target is not None else "",
                         _colour_word(r.colour if r else "grey"), str(catalogue()[code].formula)])
    return rows


def _colour_word(colour: str) -> str:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}.get(colour, _("No data"))


def build(report_id: int) -> str:
    report = Report.objects.get(pk=report_id)
    try:
        from django.conf import settings

        from courtyard.core.notify import language_of

        language = language_of(report.requested_by) if report.requested_by else settings.LANGUAGE_CODE
        with override(language):  # the requester's language, like their notifications
            scope = sc.get(report.scope_kind, int(report.scope_key.split(":")[1]))
            period = Period.parse(report.period_key)
            data = contents(scope, period)
            pdf = render_pdf("insight/report_pdf.html", {**data, "percent_str": percent_str, "report": report})
            headers = [_("Where"), _("Indicator"), _("Code"), _("Period"), _("Numerator"), _("Denominator"),
                       pgettext("indicator", "Value"), _("Target"), _("Colour"), _("Formula")]
            book = workbook_bytes(_("Indicators"), headers, xlsx_rows(data))
        by = Actor(user=report.requested_by) if report.requested_by else Actor.system()
        name = f"{scope.name}-{period.key}"
        with transaction.atomic():
            report.pdf = store_upload(by=by, upload=SimpleUploadedFile(f"{name}.pdf", pdf, "application/pdf"),
                                      allowed={"pdf"}, max_bytes=50 * 1024 * 1024, owner=report)
            report.xlsx = store_upload(by=by, upload=SimpleUploadedFile(f"{name}.xlsx", book, XLSX_MIME),
                                       allowed={"spreadsheet"}, max_bytes=50 * 1024 * 1024, owner=report)
            report.status, report.finished_at = ReportStatus.READY, timezone.now()
            report.save(update_fields=["pdf", "xlsx", "status", "finished_at"])
    except Exception as exc:  # recorded on the row for the page; the worker log has the traceback
        Report.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, error=str(exc)[:300],
                                                   finished_at=timezone.now())
        raise
    return report.status

