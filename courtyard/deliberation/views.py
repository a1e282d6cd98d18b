"""Resident, console and public pages of deliberation: thin views over services and selectors."""

from __future__ import annotations

import json
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors, form_page, messages_from
from courtyard.core.converters import parse_id
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm
from courtyard.org.models import Person, SelfGovernanceUnit

from . import choices as c
from . import lists, result_words, schedule, selectors, services
from . import permissions as p
from . import rules as dl_rules
from .models import Ballot, Document, ElectorPerson, Meeting, Notice, Resolution, Topic, Vote
from .vote_forms import START_DRAFT, START_NOW, VoteForm, field_errors


# ================================================================ resident pages
class TopicForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Topic, in a few words"), max_length=120)
    body = forms.CharField(label=gettext_lazy("What is it about?"), widget=forms.Textarea(attrs={"rows": 5}))
    files = forms.FileField(label=gettext_lazy("Photo or video (optional)"), required=False)


@login_required
def topics(request):
    unit = selectors.my_unit(request.user)
    qs = selectors.unit_topics(unit) if unit else Topic.objects.none()
    return render(request, "deliberation/topics.html", {"unit": unit, "topics": qs[:50], "form": TopicForm()})


@login_required
def topic_new(request):
    unit = selectors.my_unit(request.user)
    if unit is None:
        raise PermissionDenied
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            files = [form.cleaned_data["files"]] if form.cleaned_data.get("files") else []
            topic = services.raise_topic(by=Actor.from_request(request), unit=unit, title=form.cleaned_data["title"],
                                         body=form.cleaned_data["body"], files=files)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you. Your topic was received."))
            return redirect(topic.get_absolute_url())
    return render(request, "deliberation/topic_new.html", {"form": form, "unit": unit})


@login_required
def topic_detail(request, pk: int):
    topic = get_object_or_404(selectors.topics_for_resident(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.comment_topic(by=Actor.from_request(request), topic=topic, body=request.POST.get("body", ""))
            messages.success(request, _("Your comment was added."))
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect(topic.get_absolute_url())
    return render(request, "deliberation/topic.html", {
        "topic": topic, "comments": topic.comments.filter(hidden=False).select_related("person"),
        "attachments": selectors.attachments_of(topic), "votes": topic.votes.exclude(status=c.VoteStatus.DRAFT),
    })


@login_required
def votes(request):
    return render(request, "deliberation/votes.html", {"votes": selectors.my_votes(request.user)})


@login_required
def vote_detail(request, pk: int):
    # A voter's seat in the snapshot brings the vote and the person in the same query; a cast (POST)
    # needs nothing else before it writes, and answers with a redirect.
    related = ("vote", "person") if request.method == "POST" else ("vote__unit", "vote__topic", "person")
    seat = (ElectorPerson.objects.select_related(*related).filter(vote_id=pk, person_id=request.user.person_id)
            .first() if request.user.person_id else None)
    if seat is not None:
        vote, me, key = seat.vote, seat.person, seat.key
    else:
        vote = get_object_or_404(Vote.objects.select_related("unit", "topic"), pk=pk)
        me, key = request.user.person, None
        if not selectors.may_see_result(request.user, vote):
            raise Http404
    if vote.status == c.VoteStatus.DRAFT:
        raise Http404
    if request.method == "POST":
        choice = request.POST.getlist("choice") if vote.choice_kind == c.ChoiceKind.MULTIPLE else \
            request.POST.get("choice", "")
        try:
            services.cast(by=Actor.from_request(request), vote=vote, voter=me, choice=choice, key=key)
        except ValidationError as exc:
            messages_from(request, exc)
        else:
            messages.success(request, _("Your ballot was recorded."))
        return redirect(vote.get_absolute_url())
    mine = Ballot.objects.filter(vote=vote, voter_key=key, is_current=True).first() if key else None
    return render(request, "deliberation/vote.html", {
        "vote": vote, "key": key, "mine": mine, "can_vote": key is not None and vote.is_open()
        and (mine is None or vote.allow_change),
        "yes_no": [("yes", _("Agree")), ("no", _("Disagree")), ("abstain", _("Abstain"))],
    })


@login_required
def vote_result(request, pk: int):
    vote = get_object_or_404(Vote.objects.select_related("unit"), pk=pk)
    if not selectors.may_see_result(request.user, vote):
        raise Http404
    context = {"vote": vote, "stats": selectors.turnout(vote),
               "can_see_participants": selectors.may_see_participants(request.user, vote)}
    if vote.status == c.VoteStatus.CLOSED or (vote.status == c.VoteStatus.OPEN and vote.show_interim):
        view = selectors.result_view(vote)
        context.update(view, summary=result_words.summarise(vote, view), shown=True)
    return render(request, "deliberation/result.html", context)


@login_required
def vote_participants(request, pk: int):
    """Who took part (never how): visible to the unit's owners and to staff (DLB-4)."""
    vote = get_object_or_404(Vote.objects.select_related("unit"), pk=pk)
    if not selectors.may_see_participants(request.user, vote):
        raise Http404
    return render(request, "deliberation/participants.html", {
        "vote": vote, "rows": selectors.participation_list(vote)})


@login_required
@require_POST
def notice_object(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk, withdrawn=False)
    try:
        topic = services.object_to_notice(by=Actor.from_request(request), notice=notice,
                                          body=request.POST.get("body", ""))
    except ValidationError as exc:
        messages_from(request, exc)
        return redirect(notice.get_public_url())
    messages.success(request, _("Your objection was recorded as a new topic."))
    return redirect(topic.get_absolute_url())


@login_required
def meeting_signin(request, token: str):
    meeting = get_object_or_404(Meeting, signin_token=token)
    person = request.user.person
    if person is None:
        raise PermissionDenied
    done = False
    if request.method == "POST":
        services.sign_in(by=Actor.from_request(request), meeting=meeting, person=person, method="qr")
        done = True
    done = done or meeting.attendance.filter(person=person).exists()
    return render(request, "deliberation/signin.html", {"meeting": meeting, "done": done})


# ================================================================ public pages
def public_notice(request, slug: str, pk: int):
    notice = get_object_or_404(Notice.objects.select_related("unit", "vote"), unit__slug=slug, pk=pk, withdrawn=False)
    return render(request, "deliberation/public_notice.html", {"notice": notice, "unit": notice.unit,
                                                               **selectors.notice_extra(notice)})


def public_notice_pdf(request, slug: str, pk: int):
    notice = get_object_or_404(Notice.objects.select_related("unit", "vote"), unit__slug=slug, pk=pk, withdrawn=False)
    url = request.build_absolute_uri(notice.get_public_url())
    return pdf_response("deliberation/notice_pdf.html", {"notice": notice, "qr": qr_svg(url), "url": url,
                                                          **selectors.notice_extra(notice)},
                        filename=f"notice-{notice.pk}.pdf", request=request)


# ================================================================ console
class OfflineTopicForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=SelfGovernanceUnit.objects.none())
    channel = forms.ChoiceField(label=gettext_lazy("Raised through"), choices=c.TopicChannel.choices)
    raised_by = forms.ModelChoiceField(label=gettext_lazy("Raised by (resident)"), queryset=Person.objects.none(),
                                       required=False)
    title = forms.CharField(label=gettext_lazy("Topic, in a few words"), max_length=120)
    body = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    files = forms.FileField(label=gettext_lazy("Photo or video"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for(user, p.MANAGE_TOPIC)
        self.fields["raised_by"].queryset = Person.objects.visible_to(user, "org.view_person").filter(
            unit__isnull=False)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control")


console_topics = lists.TopicList.as_view()


@require_perm(p.MANAGE_TOPIC)
def console_topic_new(request):
    form = OfflineTopicForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = Actor.from_request(request, on_behalf_of=d["raised_by"], channel="offline")
        try:
            topic = services.raise_topic(by=actor, unit=d["unit"], title=d["title"], body=d["body"],
                                         channel=d["channel"], raised_by=d["raised_by"],
                                         files=[d["files"]] if d.get("files") else [])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Topic recorded."))
            return redirect(topic.get_console_url())
    return form_page(request, form, title=_("Record a topic raised offline"), back_url="/console/deliberation/")


@require_perm(p.VIEW_TOPIC)
def console_topic(request, pk: int):
    topic = get_object_or_404(Topic.objects.visible_to(request.user, p.VIEW_TOPIC).select_related("unit", "raised_by"),
                              pk=pk)
    if request.method == "POST":
        action, actor = request.POST.get("action"), Actor.from_request(request)
        try:
            if action == "advance":
                services.advance_topic(by=actor, topic=topic, to=request.POST.get("to", ""),
                                       tier=request.POST.get("tier") or None,
                                       decision=request.POST.get("decision", ""), note=request.POST.get("note", ""))
            elif action == "hide":
                services.hide(by=actor, obj=topic, reason=request.POST.get("reason", ""))
            elif action == "hide_comment":
                services.hide(by=actor, obj=get_object_or_404(topic.comments, pk=request.POST.get("comment")),
                              reason=request.POST.get("reason", ""))
            elif action == "merge":
                into = get_object_or_404(Topic.objects.visible_to(request.user, p.VIEW_TOPIC), pk=request.POST.get("into") or 0)
                services.merge_topics(by=actor, source=topic, into=into)
            elif action == "comment":
                services.comment_topic(by=actor, topic=topic, body=request.POST.get("body", ""))
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect(topic.get_console_url())
    return render(request, "deliberation/console_topic.html", {
        "topic": topic, "comments": topic.comments.select_related("person"),
        "next_steps": [(s, c.Step(s).label) for s in c.STEP_ORDER if s in services.NEXT_STEPS[topic.step]],
        "tiers": c.Tier.choices, "attachments": selectors.attachments_of(topic),
        "can_manage": dl_rules.allowed(request.user, p.MANAGE_TOPIC, topic),
        "can_moderate": dl_rules.allowed(request.user, p.MODERATE, topic),
        "others": Topic.objects.filter(unit=topic.unit, step__in=["proposed", "discussion"]).exclude(pk=topic.pk)[:50],
        "breadcrumbs": [{"label": _("Topics"), "url": "/console/deliberation/"}, {"label": topic.title}],
    })


console_votes = lists.VoteList.as_view()


@require_perm(p.MANAGE_VOTE)
def console_vote_new(request):
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"opens_at": now + timedelta(days=1), "closes_at": now + timedelta(days=14)}
    if request.GET.get("topic"):
        initial["topic"] = request.GET["topic"]
    form = VoteForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.service_fields()
        unit, title = d.pop("unit"), d.pop("title")
        opens_at, closes_at = d.pop("opens_at"), d.pop("closes_at")
        actor = Actor.from_request(request)
        try:
            with transaction.atomic():
                vote = services.create_vote(by=actor, unit=unit, title=title, opens_at=opens_at,
                                            closes_at=closes_at, **d)
                if form.cleaned_data["start"] != START_DRAFT:
                    vote = services.open_vote(by=actor, vote=vote, at_once=form.cleaned_data["start"] == START_NOW)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _vote_saved_message(vote))
            return redirect(vote.get_console_url())
    return form_page(request, form, title=_("New vote"), back_url="/console/deliberation/votes/")


def _vote_saved_message(vote) -> str:
    when = timezone.localtime(vote.opens_at).strftime("%Y-%m-%d %H:%M")
    if vote.status == c.VoteStatus.OPEN:
        return _("The vote is open now; voters have been notified.")
    if vote.status == c.VoteStatus.SCHEDULED:
        return _("The vote is scheduled: it opens at %(d)s, and voters are notified then.") % {"d": when}
    return _("The draft is saved. Nobody sees it until you open it.")


@require_perm(p.MANAGE_VOTE)
def console_vote_edit(request, pk: int):
    vote = get_object_or_404(Vote.objects.visible_to(request.user, p.MANAGE_VOTE), pk=pk)
    if vote.status not in (c.VoteStatus.DRAFT, c.VoteStatus.SCHEDULED):
        messages.error(request, _("Only a draft or a scheduled vote can be changed."))
        return redirect(vote.get_console_url())
    form = VoteForm(request.POST or None, user=request.user, instance=vote, editing=True)
    if request.method == "POST" and form.is_valid():
        actor, start = Actor.from_request(request), form.cleaned_data["start"]
        d = form.service_fields()
        try:
            with transaction.atomic():
                vote = schedule.update_vote(by=actor, vote=Vote.objects.get(pk=pk), **d)
                if start == START_DRAFT and vote.status == c.VoteStatus.SCHEDULED:
                    vote = schedule.unschedule_vote(by=actor, vote=vote)
                elif start != START_DRAFT:
                    vote = services.open_vote(by=actor, vote=vote, at_once=start == START_NOW) \
                        if vote.status == c.VoteStatus.DRAFT or start == START_NOW else vote
        except ValidationError as exc:
            field_errors(form, exc)
        else:
            messages.success(request, _vote_saved_message(vote))
            return redirect(vote.get_console_url())
    return form_page(request, form, title=_("Change the vote"), back_url=vote.get_console_url())


@require_perm(p.VIEW_VOTE)
def console_vote(request, pk: int):
    vote = get_object_or_404(Vote.objects.visible_to(request.user, p.VIEW_VOTE).select_related("unit", "topic"), pk=pk)
    if request.method == "POST":
        action, actor = request.POST.get("action"), Actor.from_request(request)
        try:
            done = _("Saved.")
            if action in ("open", "open_now"):
                vote = services.open_vote(by=actor, vote=vote, at_once=action == "open_now")
                done = _vote_saved_message(vote)
            elif action == "unschedule":
                schedule.unschedule_vote(by=actor, vote=vote)
                done = _("The vote is a draft again; nobody was notified.")
            elif action == "close":
                services.close_vote(by=actor, vote=vote)
                done = _("The vote is closed and counted; the result is published.")
            elif action == "confirm":
                services.confirm_paper(by=actor, ballot=get_object_or_404(Ballot, vote=vote,
                                                                            pk=request.POST.get("ballot") or 0))
            elif action in ("paper", "assisted", "proxy"):
                voter = get_object_or_404(Person, pk=request.POST.get("voter") or 0)
                choice = request.POST.getlist("choice") if vote.choice_kind == c.ChoiceKind.MULTIPLE else \
                    request.POST.get("choice", "")
                by = Actor.from_request(request, on_behalf_of=voter,
                                        channel="assisted" if action == "assisted" else "offline")
                services.cast(by=by, vote=vote, voter=voter, choice=choice, channel=action,
                              confirmation=request.POST.get("confirmation", ""),
                              paper_serial=request.POST.get("serial", ""), proxy_name=request.POST.get("proxy", ""),
                              proxy_file=request.FILES.get("authorisation"))
            messages.success(request, done)
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect(vote.get_console_url())
    context = {
        "vote": vote, "stats": selectors.vote_stats(vote),
        "pending": Ballot.objects.filter(vote=vote, channel="paper", is_current=True, confirmed_at__isnull=True)
        .select_related("voter", "cast_by"),
        "voters": selectors.voters_without_ballot(vote)[:500] if vote.status == c.VoteStatus.OPEN else [],
        "can_manage": dl_rules.allowed(request.user, p.MANAGE_VOTE, vote),
        "close_refusal": services.close_refusal(vote) if vote.status == c.VoteStatus.OPEN else None,
        "now": timezone.now(),
        "can_key": dl_rules.allowed(request.user, p.KEY_BALLOTS, vote),
        "can_assist": dl_rules.allowed(request.user, p.ASSIST_VOTE, vote),
        "yes_no": [("yes", _("Agree")), ("no", _("Disagree")), ("abstain", _("Abstain"))],
        "breadcrumbs": [{"label": _("Votes"), "url": "/console/deliberation/votes/"}, {"label": vote.title}],
    }
    labels = dict(context["yes_no"])  # paper ballots show "Agree", not the stored "yes"
    for ballot in context["pending"]:
        ballot.choice_label = labels.get(ballot.choice, ballot.choice)
    if vote.status == c.VoteStatus.CLOSED:
        context.update(selectors.result_view(vote))
    return render(request, "deliberation/console_vote.html", context)


@require_perm(p.VIEW_VOTE)
def console_vote_export(request, pk: int):
    vote = get_object_or_404(Vote.objects.visible_to(request.user, p.VIEW_VOTE), pk=pk)
    response = JsonResponse(services.export_contract(vote), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.pk}.json"'
    return response


@require_perm(p.VIEW_VOTE)
def console_votes_export(request):
    """Every vote in scope, each in the tally JSON format."""
    data = {str(v.pk): {"title": v.title, **services.export_contract(v)}
            for v in Vote.objects.visible_to(request.user, p.VIEW_VOTE).exclude(status=c.VoteStatus.DRAFT)}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="votes.json"'
    return response


console_notices = lists.NoticeList.as_view()


console_meetings = lists.MeetingList.as_view()


@require_perm(p.VIEW_MEETING)
def console_meeting(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user, p.VIEW_MEETING).select_related("unit")
                                .prefetch_related("agenda", Prefetch("resolutions", queryset=Resolution.objects
                                                                     .select_related("topic"))), pk=pk)
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            if request.POST.get("action") == "sign_in":
                person = get_object_or_404(Person, pk=request.POST.get("person") or 0, unit=meeting.unit)
                services.sign_in(by=actor, meeting=meeting, person=person)
            elif request.POST.get("action") == "minutes":
                topic = meeting.agenda.filter(pk=request.POST.get("topic") or 0).first()
                res = [(topic, request.POST.get("resolution", ""))]
                services.record_minutes(by=actor, meeting=meeting, minutes=request.POST.get("minutes", ""),
                                        resolutions=res)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages_from(request, exc)
        return redirect("deliberation:console_meeting", pk=meeting.pk)
    url = request.build_absolute_uri(f"/m/{meeting.signin_token}/")
    return render(request, "deliberation/console_meeting.html", {
        "meeting": meeting, "qr": qr_svg(url), "signin_url": url,
        "can_manage": dl_rules.allowed(request.user, p.MANAGE_MEETING, meeting),
        "attendance": meeting.attendance.select_related("person"),
        "notices": meeting.notices.select_related("unit").filter(withdrawn=False),
        "residents": Person.objects.filter(unit=meeting.unit, active=True).exclude(
            pk__in=meeting.attendance.values("person"))[:300],
        "breadcrumbs": [{"label": _("Meetings"), "url": "/console/deliberation/meetings/"}, {"label": meeting.title}]})


@require_perm(p.VIEW_TOPIC)
def console_documents(request):
    return render(request, "deliberation/console_documents.html", {
        "documents": Document.objects.visible_to(request.user).prefetch_related("versions"),
        "can_manage": request.user.has_perm(p.MANAGE_TOPIC)})


@require_perm(p.VIEW_TOPIC)
def document_diff(request, pk: int):
    doc = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    versions = list(doc.versions.all())
    if len(versions) < 2:
        raise Http404
    a = next((v for v in versions if str(v.number) == request.GET.get("a")), versions[-2])
    b = next((v for v in versions if str(v.number) == request.GET.get("b")), versions[-1])
    return render(request, "deliberation/document_diff.html", {
        "doc": doc, "a": a, "b": b, "versions": versions, "ops": services.diff_versions(a, b),
        "comments": a.comments.all(),
        "breadcrumbs": [{"label": _("Documents"), "url": "/console/deliberation/documents/"}, {"label": doc.title}]})


@require_perm(p.MANAGE_TOPIC)
def representatives(request):
    asked = request.GET.get("unit") or request.POST.get("unit")
    if asked:
        unit_id = parse_id(asked)
        if unit_id is None:
            raise Http404
        unit = get_object_or_404(selectors.units_for(request.user, p.MANAGE_TOPIC), pk=unit_id)
    else:
        unit = selectors.units_for(request.user, p.MANAGE_TOPIC).first()
    if unit is None:  # nothing to choose from in this user's scope: say so, don't 404 a menu page
        return render(request, "deliberation/no_unit.html", {"title": _("Representatives")})
    candidates = Person.objects.filter(unit=unit, active=True).prefetch_related("tags", "links")[:300]
    chosen_ids = {int(x) for x in request.POST.getlist("people") if x.isdigit()}
    chosen = [x for x in candidates if x.pk in chosen_ids]
    status = services.quota_status(unit, chosen)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        try:
            services.confirm_panel(by=Actor.from_request(request), unit=unit, people=chosen,
                                   reason=request.POST.get("reason", ""))
            messages.success(request, _("The panel was confirmed."))
            return redirect(f"{request.path}?unit={unit.pk}")
        except ValidationError as exc:
            messages_from(request, exc)
    return render(request, "deliberation/representatives.html", {
        "unit": unit, "candidates": candidates, "chosen_ids": chosen_ids, "status": status,
        "unmet": [s for s in status if not s["met"]]})


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
