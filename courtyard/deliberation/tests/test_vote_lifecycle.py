"""Votes that open now or later, edits before opening, counting at closing time, results in words (ADR 0012)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.models import Notification, User
from courtyard.deliberation import result_words, schedule, selectors, services
from courtyard.deliberation import tally as t
from courtyard.deliberation.models import Ballot, Elector, ElectorPerson, Vote

FMT = "%Y-%m-%dT%H:%M"


def _form(world, **extra):
    now = timezone.localtime()
    data = {"unit": world.t.unit.pk, "title": "停车方案", "electorate": "owners", "choice_kind": "yes_no",
            "max_choices": 1, "rule": "art278_ordinary", "notice_days": 7, "start": "now",
            "opens_at": (now + timedelta(hours=1)).strftime(FMT), "closes_at": (now + timedelta(days=3)).strftime(FMT)}
    data.update(extra)
    return data


def _draft(world, **kw):
    now = timezone.now()
    fields = {"opens_at": now + timedelta(hours=2), "closes_at": now + timedelta(days=7), "rule": "art278_major"}
    fields.update(kw)
    return services.create_vote(by=Actor(user=world.staff), unit=world.t.unit, title="加装电梯", **fields)


def test_open_now_opens_now_and_notifies(world, login):
    staff = login(world.staff)
    r = staff.post("/console/deliberation/votes/new/", _form(world))
    vote = Vote.objects.get(title="停车方案")
    assert r.status_code == 302 and vote.status == "open"
    assert vote.opens_at <= timezone.now() and vote.is_open()
    assert Notification.objects.filter(recipient=world.owner_user, kind="deliberation.vote").exists()
    page = login(world.owner_user).get(vote.get_absolute_url())
    assert b"Cast my ballot" in page.content


def test_scheduled_vote_explains_itself_and_a_job_opens_it(world, login):
    staff = login(world.staff)
    r = staff.post("/console/deliberation/votes/new/", _form(world, start="at"))
    vote = Vote.objects.get(title="停车方案")
    assert r.status_code == 302 and vote.status == "scheduled"
    assert not ElectorPerson.objects.filter(vote=vote).exists()
    assert not Notification.objects.filter(kind="deliberation.vote").exists()
    owner = login(world.owner_user)
    assert vote.title.encode() in owner.get("/votes/").content
    page = owner.get(vote.get_absolute_url())
    assert b"Opens at" in page.content and b"there is no ballot" in page.content
    assert b"Cast my ballot" not in page.content and b"not in the electorate" not in page.content
    assert schedule.open_due_votes() == []  # not yet
    with time_machine.travel(vote.opens_at + timedelta(minutes=1)):
        assert schedule.open_due_votes() == [vote.pk]
    vote.refresh_from_db()
    assert vote.status == "open"
    assert Notification.objects.filter(recipient=world.owner_user, kind="deliberation.vote").exists()


def test_drafts_and_scheduled_votes_can_be_edited_open_ones_cannot(world, login):
    vote = _draft(world)
    staff = login(world.staff)
    assert staff.get(f"/console/deliberation/votes/{vote.pk}/edit/").status_code == 200
    r = staff.post(f"/console/deliberation/votes/{vote.pk}/edit/", _form(world, title="加装电梯（改）", start="at",
                                                                         rule="art278_major"))
    vote.refresh_from_db()
    assert r.status_code == 302 and vote.title == "加装电梯（改）" and vote.status == "scheduled"
    r = staff.post(f"/console/deliberation/votes/{vote.pk}/edit/", _form(world, title="再改", start="draft"))
    vote.refresh_from_db()
    assert vote.title == "再改" and vote.status == "draft"
    services.open_vote(by=Actor(user=world.staff), vote=vote, at_once=True)
    with pytest.raises(ValidationError):
        schedule.update_vote(by=Actor(user=world.staff), vote=vote, title="too late")
    r = staff.get(f"/console/deliberation/votes/{vote.pk}/edit/", follow=True)
    assert b"Only a draft or a scheduled vote can be changed." in r.content


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"rule": "custom", "custom_participation": "abc", "custom_approval": "1/2"}, "custom_participation",
     "is not one"),
    ({"rule": "custom", "custom_participation": "2/3", "custom_approval": "3/2"}, "custom_approval",
     "between 0 and 1"),
    ({"start": "at", "closes_at": "2020-01-01T08:00"}, "closes_at", "must close after it opens"),
    ({"start": "draft", "opens_at": "2020-01-01T07:00", "closes_at": "2020-01-01T08:00"}, "closes_at",
     "must lie in the future"),
    ({"electorate": "adults"}, "rule", "apply to votes of owners"),
    ({"choice_kind": "single", "options_text": "只有一个"}, "options_text", "at least two options"),
])
def test_form_errors_sit_on_their_field_in_words(world, login, extra, field, message):
    r = login(world.staff).post("/console/deliberation/votes/new/", _form(world, **extra))
    assert r.status_code == 400 and not Vote.objects.exists()
    form = r.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert not form.non_field_errors()
    assert b"vote_closes_after_opening" not in r.content


def test_form_errors_read_in_chinese(world, login):
    staff = login(world.staff)
    staff.cookies["django_language"] = "zh-hans"
    r = staff.post("/console/deliberation/votes/new/", _form(world, rule="custom", custom_participation="abc",
                                                             custom_approval="1/2"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert r.status_code == 400
    assert "不是" in " ".join(r.context["form"].errors["custom_participation"])


def test_shares_are_stored_as_exact_fractions(world, login):
    r = login(world.staff).post("/console/deliberation/votes/new/", _form(
        world, rule="custom", custom_participation="50%", custom_approval="0.75", start="draft"))
    assert r.status_code == 302
    vote = Vote.objects.get()
    assert (vote.custom_participation, vote.custom_approval) == ("1/2", "3/4")


def test_counting_waits_for_the_closing_time_unless_the_rules_allow(world, login, open_vote):
    staff = login(world.staff)
    page = staff.get(open_vote.get_console_url())
    assert b"Close and count" not in page.content and b"do not allow closing this vote early" in page.content
    r = staff.post(open_vote.get_console_url(), {"action": "close"}, follow=True)
    assert b"Counting starts at the closing time" in r.content
    open_vote.refresh_from_db()
    assert open_vote.status == "open"
    with time_machine.travel(open_vote.closes_at):
        page = staff.get(open_vote.get_console_url())
        assert b"Close and count" in page.content
        r = staff.post(open_vote.get_console_url(), {"action": "close"}, follow=True)
        assert b"The vote is closed and counted" in r.content
    open_vote.refresh_from_db()
    assert open_vote.status == "closed"


def test_early_close_where_the_rules_allow_it(world, open_vote):
    assert services.close_refusal(open_vote) is not None
    Vote.objects.filter(pk=open_vote.pk).update(may_close_early=True)
    open_vote.refresh_from_db()
    assert services.close_refusal(open_vote) is None
    services.close_vote(by=Actor(user=world.staff), vote=open_vote)
    assert Vote.objects.get(pk=open_vote.pk).status == "closed"


def _cast_all(vote, choice_of):
    """Every elector with a login votes online (the developer's unsold dwellings have none)."""
    for ep in ElectorPerson.objects.filter(vote=vote).select_related("person").order_by("key", "id"):
        user = User.objects.filter(person=ep.person).first()
        if user and not Ballot.objects.filter(vote=vote, voter_key=ep.key).exists():
            services.cast(by=Actor(user=user), vote=vote, voter=ep.person, choice=choice_of(ep), key=ep.key)


def test_early_close_once_everybody_voted_and_ballots_are_final(world, open_vote):
    _cast_all(open_vote, lambda ep: "yes")
    assert services.close_refusal(open_vote) is not None  # the developer's key has not voted
    voted = Ballot.objects.filter(vote=open_vote).values("voter_key")
    Elector.objects.filter(vote=open_vote).exclude(key__in=voted).delete()
    assert services.close_refusal(open_vote) is None
    Vote.objects.filter(pk=open_vote.pk).update(allow_change=True)  # ballots could still change: wait
    open_vote.refresh_from_db()
    assert services.close_refusal(open_vote) is not None


def test_interim_result_hidden_unless_the_rules_allow(world, login, open_vote):
    _cast_all(open_vote, lambda ep: "no")
    owner = login(world.owner_user)
    page = owner.get(f"/votes/{open_vote.pk}/result/").content
    assert b"nobody sees a result before then" in page and b"Not passed" not in page
    Vote.objects.filter(pk=open_vote.pk).update(show_interim=True)
    page = owner.get(f"/votes/{open_vote.pk}/result/").content
    assert b"So far:" in page and b"Not passed" in page


def test_result_says_in_words_why_it_did_not_pass(world, login, open_vote):
    _cast_all(open_vote, lambda ep: "no")
    services.close_vote(by=Actor.system(), vote=open_vote)
    r = login(world.owner_user).get(f"/votes/{open_vote.pk}/result/")
    html = r.content.decode()
    assert "Not passed" in html and "Too few of those who voted agreed by floor area" in html
    assert "at least three quarters" in html and "<details" in html and "<svg" in html
    summary = r.context["summary"]
    assert summary["verdict"] is False
    assert {c["key"] for c in summary["conditions"]} == {"participation_area", "participation_heads",
                                                         "approval_area", "approval_heads"}
    assert all(0 <= c["permille"] <= 1000 for c in summary["conditions"])


def test_result_says_in_words_why_it_passed(world, open_vote):
    _cast_all(open_vote, lambda ep: "yes")
    services.close_vote(by=Actor.system(), vote=open_vote)
    view = selectors.result_view(open_vote)
    summary = result_words.summarise(open_vote, view)
    assert summary["verdict"] is True
    assert summary["why"][0].startswith("Enough owners took part")
    assert "by headcount 100.00\u00a0%" in summary["why"][1]


def test_share_words():
    assert result_words.share_words(t.Threshold(t.Fraction(2, 3), True)) == "at least two thirds"
    assert result_words.share_words(t.Threshold(t.Fraction(1, 2), False)) == "more than half"
    assert result_words.share_words(t.Threshold(t.Fraction(3, 5), True)) == "at least 60.0\u00a0%"


def test_sweep_command_opens_due_votes(world):
    from io import StringIO

    from django.core.management import call_command

    vote = _draft(world)
    services.open_vote(by=Actor(user=world.staff), vote=vote)
    with time_machine.travel(vote.opens_at + timedelta(seconds=1)):
        out = StringIO()
        call_command("deliberation_sweep", "--now", stdout=out)
        assert str(vote.pk) in out.getvalue()
    assert Vote.objects.get(pk=vote.pk).status == "open"


def test_result_page_query_budget(world, login, open_vote, django_assert_max_num_queries):
    _cast_all(open_vote, lambda ep: "yes")
    client = login(world.owner_user)
    client.get(f"/votes/{open_vote.pk}/result/")  # warm the session and caches
    with django_assert_max_num_queries(9):  # + who-took-part link (may_see_participants)
        assert client.get(f"/votes/{open_vote.pk}/result/").status_code == 200
    services.close_vote(by=Actor.system(), vote=open_vote)
    with django_assert_max_num_queries(11):
        assert b"Passed" in client.get(f"/votes/{open_vote.pk}/result/").content
