"""Roster import pages (ORG-7): template download, upload and check, preview, commit."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from courtyard.core.audit import Actor
from courtyard.core.console.natural import NaturalKey
from courtyard.core.models import Channel
from courtyard.core.permissions import require_perm
from courtyard.core.xlsx import XLSX_MIME

from . import access, roster, roster_retention
from .models import Place, RosterImport

MAX_ERRORS_SHOWN = 1000


class RosterUploadForm(forms.Form):
    community = forms.ModelChoiceField(queryset=Place.objects.none(), label=gettext_lazy("Community"), required=False)
    file = forms.FileField(label=gettext_lazy("Roster workbook (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = roster.importable_communities(user).order_by(NaturalKey("name"))
        self.fields["community"].queryset = qs
        self.fields["community"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"
        self.only_community = qs.first() if qs.count() == 1 else None
        if self.only_community is not None:
            self.fields["community"].widget = forms.HiddenInput()

    def clean_community(self):
        community = self.cleaned_data.get("community") or self.only_community
        if community is None:
            raise forms.ValidationError(_("Choose the community the roster belongs to."))
        return community


def _breadcrumbs(label=None):
    crumbs = [{"label": _("Import roster"), "url": "/console/roster/" if label else None}]
    if label:
        crumbs.append({"label": label})
    return crumbs


def _error_rows(errors: list[dict]) -> tuple[list[dict], int]:
    return errors[:MAX_ERRORS_SHOWN], max(0, len(errors) - MAX_ERRORS_SHOWN)


@require_perm(access.IMPORT_ROSTER)
def roster_import(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            community = form.cleaned_data["community"]
            upload = form.cleaned_data["file"]
            filename = os.path.basename(upload.name or "roster.xlsx")
            try:
                data = roster.read_upload_bytes(upload)
                plan = roster.check_roster(user=request.user, community=community, data=data)
            except roster.RosterFileError as exc:
                form.add_error("file", exc.message)
            else:
                if plan.ok:
                    staged = roster.stage_import(by=Actor.from_request(request, channel=Channel.IMPORT),
                                                 community=community, data=data, filename=filename, plan=plan)
                    return redirect("org:roster_preview", pk=staged.pk)
                errors, more = _error_rows([e.as_dict() for e in plan.errors])
                return render(request, "org/roster_preview.html", {
                    "filename": filename, "community": community, "counts": plan.counts, "errors": errors,
                    "error_total": len(plan.errors), "more_errors": more, "extra_columns": plan.extra_columns,
                    "can_commit": False, "breadcrumbs": _breadcrumbs(filename),
                })
    roster_retention.expire_staged()  # a safety net for installs without the cron sweep
    recent = RosterImport.objects.filter(created_by=request.user).select_related("attachment", "community")[:10]
    return render(request, "org/roster_import.html", {
        "form": form, "recent": recent, "columns": roster.COLUMNS,
        "max_rows": settings.COURTYARD_ROSTER_MAX_ROWS,
        "max_mb": round(settings.COURTYARD_ROSTER_MAX_BYTES / (1024 * 1024), 1),
        "breadcrumbs": _breadcrumbs(),
    }, status=400 if request.method == "POST" else 200)


@require_GET
@require_perm(access.IMPORT_ROSTER)
def roster_template(request):
    response = HttpResponse(roster.template_bytes(), content_type=XLSX_MIME)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
    return response


def _own_import(request, pk: int) -> RosterImport:
    staged = get_object_or_404(RosterImport.objects.select_related("attachment", "community"), pk=pk)
    if not request.user.is_superuser and staged.created_by_id != request.user.pk:
        raise Http404
    # No scope check on the community itself: a grant below it (a grid) may import; the rows'
    # places are checked against the user's scope again on commit.
    return staged


@require_GET
@require_perm(access.IMPORT_ROSTER)
def roster_preview(request, pk: int):
    staged = _own_import(request, pk)
    errors, more = _error_rows(staged.errors or [])
    return render(request, "org/roster_preview.html", {
        "staged": staged, "filename": staged.attachment.original_name, "community": staged.community,
        "counts": staged.counts, "errors": errors, "error_total": len(staged.errors or []), "more_errors": more,
        "can_commit": staged.status == RosterImport.Status.STAGED and not staged.errors,
        "breadcrumbs": _breadcrumbs(staged.attachment.original_name),
    })


@require_POST
@require_perm(access.IMPORT_ROSTER)
def roster_commit(request, pk: int):
    staged = _own_import(request, pk)
    try:
        done = roster.commit_import(by=Actor.from_request(request, channel=Channel.IMPORT), staged=staged)
    except roster.CommitRefused:
        messages.error(request, _("Nothing was imported: the file no longer passes the checks. See the errors below."))
    else:
        counts = done.counts
        messages.success(request, _(
            "Roster imported: %(dwellings)s new and %(updated_dwellings)s updated dwellings, %(people)s new and "
            "%(updated_people)s updated people, %(links)s new links.") % {
            "dwellings": counts["new_dwellings"], "updated_dwellings": counts["updated_dwellings"],
            "people": counts["new_people"], "updated_people": counts["updated_people"],
            "links": counts["new_links"]})
    return redirect("org:roster_preview", pk=staged.pk)
