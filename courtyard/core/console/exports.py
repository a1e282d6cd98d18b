"""Spreadsheet exports of console lists.

Up to EXPORT_SYNC_LIMIT rows the workbook is built inside the request (a second or so). Beyond, an
ExportJob is queued (django-tasks; `manage.py db_worker` runs it): the person is sent to a page that
shows the progress and, when ready, a download link. The job re-runs the list's queryset as that
person (visible_to, the same filters), so it never holds more than they may see; only they can see
the job or download its file. Starting a large export is an audit event.

With a read replica configured (courtyard.core.replica) the rows are read there: an export is a
read of what the list already shows, and a second or so of replication lag does not matter to it.
The job's own bookkeeping (its row, progress, the file) stays on the primary."""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from courtyard.core.audit import Actor, record
from courtyard.core.models import ExportJob
from courtyard.core.replica import reading_replica
from courtyard.core.xlsx import XLSX_MIME, workbook_bytes, xlsx_response

from .pagination import keys_of

log = logging.getLogger(__name__)

EXPORT_SYNC_LIMIT = 2000
CHUNK = 1000


def _rows(page, qs, columns, job: ExportJob | None = None):
    n = 0
    for record_ in qs.iterator(chunk_size=CHUNK):
        yield [c.export_value(record_) for c in columns]
        n += 1
        if job is not None and n % CHUNK == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=n)


def _ordered(page, qs):
    """The list's own order (the same keys the pages use)."""
    return qs.order_by(*[k.expression.desc() if k.descending else k.expression.asc() for k in keys_of(page.ordering)])


def export_response(request, page) -> HttpResponse:
    with reading_replica():
        qs, _filterset = page.filtered(request.user, request.GET)
        if qs.order_by()[: EXPORT_SYNC_LIMIT + 1].count() <= EXPORT_SYNC_LIMIT:
            columns = page.export_columns()
            return xlsx_response(f"{page.export_name}.xlsx", str(page.title), [str(c.label) for c in columns],
                                 _rows(page, _ordered(page, qs), columns))
    job = start_export(by=Actor.from_request(request), page=page, params=request.GET)
    return redirect("console:export", pk=job.pk)


def start_export(*, by: Actor, page, params: QueryDict) -> ExportJob:
    """Queue a background export of `page` filtered by `params` for `by.user`."""
    clean = {k: v for k, v in params.lists() if k not in ("export", "after", "before")}
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=by.user, list_path=page.path(), params=clean,
                                       title=str(page.title), filename=f"{page.export_name}-{stamp}.xlsx")
        record(by, "core.export_started", job, changes={"list": [None, str(page.title)],
                                                         "filters": [None, clean or None]})
        run_export.enqueue(str(job.pk))
    return job


@task()
def run_export(job_id: str) -> str:
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    try:
        page = import_string(job.list_path)()
        user = get_user_model().objects.get(pk=job.requested_by_id)
        if not user.is_active or not page.may_export(user):
            raise PermissionError("export no longer permitted")
        params = QueryDict(mutable=True)
        for k, values in job.params.items():
            params.setlist(k, values)
        with reading_replica():  # the rows; the progress updates are writes (the primary)
            qs, _filterset = page.filtered(user, params)
            total = qs.order_by().count()
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total)
            columns = page.export_columns()
            content = workbook_bytes(job.title, [str(c.label) for c in columns],
                                     _rows(page, _ordered(page, qs), columns, job))
    except Exception as exc:  # the person sees "failed"; the log has the reason
        log.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:500],
                                                   finished_at=timezone.now())
        return ExportJob.Status.FAILED
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, content=content, rows_done=total,
                                               finished_at=timezone.now())
    return ExportJob.Status.DONE


def _own_job(request, pk) -> ExportJob:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(ExportJob.objects.visible_to(request.user).defer("content"), pk=pk)


def export_status(request, pk):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    job = _own_job(request, pk)
    template = "console/_export_status.html" if request.headers.get("HX-Request") else "console/export.html"
    return render(request, template, {"job": job, "title": _("Export: %(title)s") % {"title": job.title}})


def export_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content), content_type=XLSX_MIME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    return response
