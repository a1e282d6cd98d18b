"""Demo of committee elections (ORG-9) for 学道苑: the committee's last election, finished (nominations by
the party group, jointly and by self-nomination, all consented; a contested list of 10 for 7 seats; one
ballot per household, online, assisted and on paper; the winners form the committee), and the supervisory
board's nomination round, open now. All dates are relative to the loading day."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.org import services as org_services
from courtyard.org.choices import BodyKind
from courtyard.org.models import BodyMembership, PartyMember, Person

from . import permissions as p
from . import services
from .models import ElectorPerson

STATEMENTS = ["愿为院落公共事务出力", "退休教师，愿意组织文化活动", "熟悉水电维修，愿做基础服务协调",
              "在院落住了三十年，想把大家的事办好", "年轻人也要为院子出一份力"]


def load_elections(*, unit, rng: random.Random, staff, secretary, helper, stdout) -> None:
    system = Actor.system()
    now = timezone.now()
    start = now - timedelta(days=40)
    incumbents = list(BodyMembership.objects.filter(body__unit=unit, body__kind=BodyKind.COMMITTEE,
                                                    end_date__isnull=True).select_related("person")
                      .order_by("position", "id"))
    sitting = [m.person for m in incumbents]
    seats = len(sitting) or 7
    taken = {x.pk for x in sitting}
    adults = [x for x in Person.objects.filter(unit=unit, active=True, residence_status="permanent",
                                               birth_year__lte=now.year - 25).order_by("id") if x.pk not in taken]
    rng.shuffle(adults)
    women = [x for x in adults if x.gender == "F"]
    challengers = ([women[0]] if women else []) + [x for x in adults if x not in women[:1]][:2]
    year = now.year
    election = services.create_election(
        by=system, unit=unit, title="学道苑院委会换届选举", seats=seats, electorate="households", term_years=3,
        nominations_close=start + timedelta(days=14), joint_minimum=5,
        quotas={"women": 2, "old": 1, "middle": 1, "occupations": 2}, now=start)
    party = {pm.person_id: pm.org for pm in PartyMember.objects.filter(person__in=sitting).select_related("org")}
    supporters = adults[10:40]
    occupations = ["retired", "employed", "professional", "self_employed", "retired", "employed"]
    for i, person in enumerate(sitting + challengers):
        when = start + timedelta(days=1, hours=i)
        occupation = "retired" if person.birth_year and year - person.birth_year >= 60 else occupations[i % 6]
        if person.pk in party and i < 3:
            n = services.nominate(by=system, election=election, nominee=person, kind="party", occupation=occupation,
                                  party_org=party[person.pk], statement=STATEMENTS[i % 5], now=when)
        elif i % 3 == 0:
            user = getattr(person, "user", None)
            if user is None:
                user = org_services.create_user(by=system, phone=f"1390001{i:04d}", display_name=person.name,
                                                person=person)
            services.nominate(by=Actor(user=user), election=election, nominee=person, kind="self",
                              occupation=occupation, statement=STATEMENTS[i % 5], now=when)
            continue
        else:
            n = services.nominate(by=system, election=election, nominee=person, kind="joint", occupation=occupation,
                                  nominators=supporters[(i * 5) % 25:(i * 5) % 25 + 5],
                                  statement=STATEMENTS[i % 5], now=when)
        if staff is not None:
            services.answer_nomination(by=Actor(user=staff), nomination=n, accept=True, now=when + timedelta(days=2))
    services.confirm_list(by=system, election=election, reason="", now=start + timedelta(days=15)) \
        if _quotas_met(election, start) else services.confirm_list(
            by=system, election=election, reason="符合条件的女性居民中仅一人同意参选", now=start + timedelta(days=15))
    opens, closes = start + timedelta(days=20), start + timedelta(days=30)
    election = services.start_ballot(by=system, election=election, opens_at=opens, closes_at=closes, now=opens)
    vote = election.vote
    names = [n.ballot_name for n in services.candidates(election)]
    favourites = set(names[:seats])
    voters = list(ElectorPerson.objects.filter(vote=vote).select_related("person__user").order_by("key", "person_id"))
    seen: set[str] = set()
    firsts = [ep for ep in voters if not (ep.key in seen or seen.add(ep.key))]
    rng.shuffle(firsts)
    helped = set(Person.objects.visible_to(helper, p.ASSIST_VOTE).filter(unit=unit).values_list("pk", flat=True)
                 ) if helper is not None else set()
    for i, ep in enumerate(firsts[: int(len(firsts) * 0.78)]):
        chosen = [x for x in names if rng.random() < (0.8 if x in favourites else 0.3)][:seats] or names[:1]
        when = opens + timedelta(hours=1 + i % 200)
        user = getattr(ep.person, "user", None)
        if user is not None:
            services.cast(by=Actor(user=user), vote=vote, voter=ep.person, choice=chosen, now=when)
        elif ep.person_id in helped and i % 2 == 0:
            services.cast(by=Actor(user=helper, on_behalf_of=ep.person, channel="assisted"), vote=vote,
                          voter=ep.person, choice=chosen, channel="assisted", confirmation="助老员读票面，户代表口头确认",
                          now=when)
        elif staff is not None and secretary is not None:
            b = services.cast(by=Actor(user=staff, on_behalf_of=ep.person, channel="offline"), vote=vote,
                              voter=ep.person, choice=chosen, channel="paper", paper_serial=f"XDY-E{i:04d}", now=when)
            services.confirm_paper(by=Actor(user=secretary), ballot=b, now=when + timedelta(hours=1))
    services.close_vote(by=system, vote=vote, now=closes + timedelta(hours=2))
    election.refresh_from_db()
    o = election.outcome
    stdout.write(f"elections: “{election.title}” {len(names)} candidates for {seats} seats, elected "
                 f"{len(o['winners'])}, term {election.term_start} – {election.term_end}")

    # The supervisory board's nomination round, open now.
    board = services.create_election(
        by=system, unit=unit, title="学道苑监事会换届选举", body_kind="supervisory_board", seats=3,
        electorate="households", nominations_close=now + timedelta(days=12), joint_minimum=5,
        quotas={"women": 1}, now=now - timedelta(days=2))
    for k, person in enumerate(adults[45:47]):
        services.nominate(by=system, election=board, nominee=person, kind="joint", occupation="retired",
                          nominators=adults[50 + 5 * k:55 + 5 * k], now=now - timedelta(days=1))
    stdout.write("elections: supervisory board nominations open (2 nominees await consent)")


def _quotas_met(election, when) -> bool:
    return all(d["met"] for d in services.diversity(election, today=when.date()))
