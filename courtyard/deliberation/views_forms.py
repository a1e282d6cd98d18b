"""Console forms (meetings, documents, quotas, notices) and the resident comment page for documents.

Thin: parse with a form, check the permission on the object (`rules.allowed`, querysets through
`visible_to`), call one service (transactional, audited), redirect."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors, form_page
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm

from . import choices as c
from . import forms as f
from . import permissions as p
from . import rules as dl_rules
from . import selectors, services
from .models import Document, DocumentComment, DocumentVersion, Meeting, RepresentativeQuota, Vote

MEETINGS = "/console/deliberation/meetings/"
DOCUMENTS = "/console/deliberation/documents/"


def _post(request):
    """Bound on every POST, even an empty one (a desk list with nothing ticked must say so)."""
    return request.POST if request.method == "POST" else None


def _must(request, perm: str, obj) -> None:
    if not dl_rules.allowed(request.user, perm, obj):
        raise PermissionDenied


# ================================================================ meetings (DLB-7)
def _meeting(request, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user, p.VIEW_MEETING).select_related("unit"), pk=pk)


@require_perm(p.MANAGE_MEETING)
def meeting_new(request):
    initial = {"starts_at": (timezone.localtime() + timedelta(days=7)).replace(hour=19, minute=0, second=0,
                                                                              microsecond=0)}
    form = f.MeetingForm(_post(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.create_meeting(by=Actor.from_request(request), unit=d["unit"], kind=d["kind"],
                                              title=d["title"], starts_at=d["starts_at"], location=d["location"],
                                              agenda=d["agenda"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting was created."))
            return redirect("deliberation:console_meeting", pk=meeting.pk)
    return form_page(request, form, title=_("New meeting"), back_url=MEETINGS,
                     crumbs=[{"label": _("Meetings"), "url": MEETINGS}])


@require_perm(p.MANAGE_MEETING)
def meeting_desk(request, pk: int):
    """The desk list: tick the residents who came in."""
    meeting = _meeting(request, pk)
    _must(request, p.MANAGE_MEETING, meeting)
    form = f.DeskSignInForm(_post(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.sign_in_desk(by=Actor.from_request(request), meeting=meeting, people=form.cleaned_data["people"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(n)s signed in.") % {"n": n})
            return redirect("deliberation:meeting_desk", pk=meeting.pk)
    return render(request, "deliberation/console_meeting_desk.html", {
        "meeting": meeting, "form": form,
        "attendance": meeting.attendance.select_related("person").order_by("signed_at", "id"),
        "breadcrumbs": [{"label": _("Meetings"), "url": MEETINGS},
                        {"label": meeting.title, "url": reverse("deliberation:console_meeting", args=[meeting.pk])},
                        {"label": _("Desk sign-in")}]})


@require_perm(p.VIEW_MEETING)
def meeting_sheet(request, pk: int):
    """Printable A4 sign-in sheet with the meeting's QR code (for the door) and a blank desk list."""
    meeting = _meeting(request, pk)
    url = request.build_absolute_uri(reverse("deliberation:meeting_signin", args=[meeting.signin_token]))
    return pdf_response("deliberation/signin_sheet_pdf.html", {
        "meeting": meeting, "qr": qr_svg(url), "url": url, "blank_rows": range(20),
        "agenda": meeting.agenda.all()}, filename=f"meeting-{meeting.pk}-signin.pdf", request=request)


@require_perm(p.MANAGE_MEETING)
def meeting_minutes(request, pk: int):
    meeting = _meeting(request, pk)
    _must(request, p.MANAGE_MEETING, meeting)
    if meeting.minutes_at:
        messages.info(request, _("The minutes of this meeting were already recorded."))
        return redirect("deliberation:console_meeting", pk=meeting.pk)
    form = f.MinutesForm(_post(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_minutes(by=Actor.from_request(request), meeting=meeting,
                                    minutes=form.cleaned_data["minutes"], resolutions=form.resolutions())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The minutes were recorded and published as a notice."))
            return redirect("deliberation:console_meeting", pk=meeting.pk)
    url = reverse("deliberation:console_meeting", args=[meeting.pk])
    return form_page(request, form, title=_("Minutes: %(t)s") % {"t": meeting.title}, back_url=url,
                     crumbs=[{"label": _("Meetings"), "url": MEETINGS}, {"label": meeting.title, "url": url}],
                     intro=_("Saving publishes the minutes and the resolutions on the unit's public notice page."),
                     submit=_("Save and publish the minutes"))


# ================================================================ documents (DLB-6)
def _document(request, pk: int) -> Document:
    return get_object_or_404(Document.objects.visible_to(request.user, p.VIEW_TOPIC).select_related("unit"), pk=pk)


def _version(request, pk: int) -> DocumentVersion:
    version = get_object_or_404(DocumentVersion.objects.select_related("document__unit"), pk=pk)
    if not Document.objects.visible_to(request.user, p.VIEW_TOPIC).filter(pk=version.document_id).exists():
        raise Http404
    return version


def _doc_crumbs(doc: Document) -> list:
    return [{"label": _("Documents"), "url": DOCUMENTS},
            {"label": doc.title, "url": reverse("deliberation:console_document", args=[doc.pk])}]


@require_perm(p.MANAGE_TOPIC)
def document_new(request):
    form = f.DocumentForm(_post(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            version = services.new_version(by=Actor.from_request(request), unit=d["unit"], kind=d["kind"],
                                           title=d["title"], text=d["text"], note=d["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The document was created as a draft."))
            return redirect("deliberation:console_document", pk=version.document_id)
    return form_page(request, form, title=_("New document"), back_url=DOCUMENTS,
                     crumbs=[{"label": _("Documents"), "url": DOCUMENTS}])


@require_perm(p.VIEW_TOPIC)
def document_detail(request, pk: int):
    doc = _document(request, pk)
    versions = list(doc.versions.annotate(n_comments=Count("comments", distinct=True))
                    .prefetch_related(Prefetch("votes", queryset=Vote.objects.order_by("-id")))
                    .order_by("-number"))
    return render(request, "deliberation/console_document.html", {
        "doc": doc, "versions": versions, "can_manage": dl_rules.allowed(request.user, p.MANAGE_TOPIC, doc),
        "can_vote": dl_rules.allowed(request.user, p.MANAGE_VOTE, doc),
        "breadcrumbs": [{"label": _("Documents"), "url": DOCUMENTS}, {"label": doc.title}]})


@require_perm(p.MANAGE_TOPIC)
def version_new(request, pk: int):
    doc = _document(request, pk)
    _must(request, p.MANAGE_TOPIC, doc)
    latest = doc.versions.order_by("-number").first()
    form = f.VersionForm(_post(request), user=request.user, initial={"text": latest.text if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.new_version(by=Actor.from_request(request), document=doc, text=form.cleaned_data["text"],
                                 note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("A new version was saved as a draft."))
            return redirect("deliberation:console_document", pk=doc.pk)
    return form_page(request, form, title=_("New version of %(t)s") % {"t": doc.title},
                     back_url=reverse("deliberation:console_document", args=[doc.pk]), crumbs=_doc_crumbs(doc))


@require_perm(p.MANAGE_TOPIC)
def version_comments(request, pk: int):
    version = _version(request, pk)
    doc = version.document
    _must(request, p.MANAGE_TOPIC, doc)
    initial = {"until": (timezone.localtime() + timedelta(days=14)).replace(hour=23, minute=59, second=0,
                                                                           microsecond=0)}
    form = f.CommentPeriodForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_comments(by=Actor.from_request(request), version=version, until=form.cleaned_data["until"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Residents can now comment on the sections."))
            return redirect("deliberation:console_document", pk=doc.pk)
    return form_page(request, form, title=_("Open version %(n)s for comments") % {"n": version.number},
                     back_url=reverse("deliberation:console_document", args=[doc.pk]), crumbs=_doc_crumbs(doc),
                     intro=_("Residents of %(u)s comment on each section until the date below.") % {
                          "u": doc.unit.name})


@require_perm(p.MANAGE_TOPIC)
def version_consolidate(request, pk: int):
    version = _version(request, pk)
    doc = version.document
    _must(request, p.MANAGE_TOPIC, doc)
    form = f.ConsolidateForm(_post(request), user=request.user, initial={"text": version.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.consolidate(by=Actor.from_request(request), version=version, text=form.cleaned_data["text"],
                                 note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The consolidated draft was saved."))
            return redirect("deliberation:console_document", pk=doc.pk)
    comments = version.comments.select_related("author").order_by("section", "created_at", "id")
    return form_page(request, form, title=_("Consolidate version %(n)s") % {"n": version.number},
                     back_url=reverse("deliberation:console_document", args=[doc.pk]), crumbs=_doc_crumbs(doc),
                     aside={"template": "deliberation/partials/version_comments.html", "comments": comments})


@require_perm(p.MANAGE_VOTE)
def version_vote(request, pk: int):
    version = _version(request, pk)
    doc = version.document
    _must(request, p.MANAGE_VOTE, doc)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = f.DocumentVoteForm(_post(request), initial={
        "opens_at": now + timedelta(hours=1), "closes_at": now + timedelta(days=14),
        "rule": c.RuleCode.ART278_ORDINARY, "electorate": c.Electorate.OWNERS})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            vote = services.start_document_vote(by=Actor.from_request(request), version=version, opens_at=d["opens_at"],
                                                closes_at=d["closes_at"], rule=d["rule"], electorate=d["electorate"],
                                                notice_days=d["notice_days"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The final vote was prepared; open it when the electorate is ready."))
            return redirect(vote.get_console_url())
    return form_page(request, form, title=_("Final vote on version %(n)s") % {"n": version.number},
                     back_url=reverse("deliberation:console_document", args=[doc.pk]), crumbs=_doc_crumbs(doc),
                     intro=_("If the vote passes, this version is adopted and published as a notice."))


# ================================================================ quotas (DLB-3), notices (DLB-8)
@require_perm(p.MANAGE_TOPIC)
def quotas(request, unit_pk: int):
    unit = get_object_or_404(selectors.units_for(request.user, p.MANAGE_TOPIC), pk=unit_pk)
    current = dict(RepresentativeQuota.objects.filter(unit=unit).values_list("group", "minimum"))
    form = f.QuotaForm(_post(request), current=current)
    back = f"{reverse('deliberation:representatives')}?unit={unit.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            services.set_quotas(by=Actor.from_request(request), unit=unit, minimums=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The quotas were saved."))
            return redirect(back)
    return form_page(request, form, title=_("Representative quotas of %(u)s") % {"u": unit.name}, back_url=back,
                     crumbs=[{"label": _("Representatives"), "url": back}],
                     intro=_("The smallest number of representatives each group must have on the panel."))


@require_perm(p.PUBLISH)
def notice_new(request):
    form = f.NoticeForm(_post(request), user=request.user,
                        initial={"decided_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = services.publish_by_hand(by=Actor.from_request(request), unit=d["unit"], kind=d["kind"],
                                              title=d["title"], body=d["body"], decided_at=d["decided_at"],
                                              period_days=d["period_days"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The notice was published."))
            return redirect(notice.get_public_url())
    return form_page(request, form, title=_("Publish a notice"), back_url="/console/deliberation/notices/",
                     crumbs=[{"label": _("Notices"), "url": "/console/deliberation/notices/"}],
                     intro=_("Vote results, minutes and adopted documents are published by their own steps; use "
                              "this form for announcements and decisions taken elsewhere."))


# ================================================================ residents: comment on a document (DLB-6)
@login_required
def resident_documents(request):
    unit = selectors.my_unit(request.user)
    versions = (DocumentVersion.objects.filter(document__unit=unit, status=c.VersionStatus.COMMENTS)
                .select_related("document").order_by("-created_at") if unit else DocumentVersion.objects.none())
    adopted = (Document.objects.filter(unit=unit, adopted_version__isnull=False).select_related("adopted_version")
               if unit else Document.objects.none())
    return render(request, "deliberation/documents.html", {"versions": versions, "adopted": adopted, "unit": unit})


@login_required
def resident_document(request, pk: int):
    unit = selectors.my_unit(request.user)
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk,
                                document__unit=unit, status__in=[c.VersionStatus.COMMENTS, c.VersionStatus.ADOPTED])
    form = f.SectionCommentForm(_post(request), version=version)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.comment_section(by=Actor.from_request(request), version=version,
                                         section=form.cleaned_data["section"], body=form.cleaned_data["body"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Thank you. Your comment was recorded."))
                return redirect("deliberation:document", pk=version.pk)
    mine = DocumentComment.objects.filter(version=version, author=request.user).order_by("created_at", "id")
    open_now = version.status == c.VersionStatus.COMMENTS and (
        version.comments_until is None or timezone.now() <= version.comments_until)
    return render(request, "deliberation/document.html", {
        "version": version, "doc": version.document, "sections": version.sections(), "form": form,
        "mine": mine, "open_now": open_now})
