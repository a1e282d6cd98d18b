"""Snapshots are idempotent and cover every node; crossings open cases led at the right level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.indicators import Period, catalogue
from courtyard.insight import scopes
from courtyard.insight.models import ActionKind, CaseStatus, Level, Snapshot, WarningCase
from courtyard.insight.services import add_action, close_case, open_cases_for, set_owner, take_snapshots
from courtyard.servicedesk.models import Rating

pytestmark = pytest.mark.django_db


def month():
    return Period.containing(timezone.localdate())


def test_snapshots_every_node_and_idempotent(tree):
    nodes = scopes.all_scopes()
    kinds = {s.kind for s in nodes}
    assert kinds == {"unit", "community", "subdistrict", "district"}
    n = take_snapshots(period=month())
    assert n == len(nodes) * len(catalogue()) == Snapshot.objects.count()
    first = sorted(Snapshot.objects.values_list("scope_key", "code", "numerator", "denominator", "colour"))
    assert take_snapshots(period=month()) == n
    assert Snapshot.objects.count() == n
    assert sorted(Snapshot.objects.values_list("scope_key", "code", "numerator", "denominator", "colour")) == first


def test_snapshot_follows_the_data(sd, file_one):
    unit = scopes.of_unit(sd.t.unit)
    take_snapshots(period=month(), scopes=[unit], codes=["participation_rate"])
    snap = Snapshot.objects.get(scope_key=unit.key, code="participation_rate")
    assert snap.numerator == 0
    file_one()  # person1 (dwelling1) files a request: one household took part
    take_snapshots(period=month(), scopes=[unit], codes=["participation_rate"])
    snap.refresh_from_db()
    assert (snap.numerator, snap.denominator) == (1, len(sd.t.dwellings_unit))
    assert Snapshot.objects.filter(scope_key=unit.key).count() == 1


def test_command_with_period(tree, capsys):
    call_command("insight_snapshots", "--period", month().key, "--period", "2026-Q1")
    out = capsys.readouterr().out
    assert month().key in out and "2026-Q1" in out
    assert Snapshot.objects.filter(period_kind="quarter").exists()


def _satisfaction(sd, file_one, stars):
    for i, s in enumerate(stars):
        Rating.objects.create(request=file_one(title=f"r{i}"), stars=s, fixed=True)
    take_snapshots(period=month(), scopes=[scopes.of_unit(sd.t.unit)], codes=["satisfaction_rate"])


def test_yellow_case_led_by_the_community_then_raised_to_red(sd, file_one):
    sd.t.unit.established = timezone.localdate() - dt.timedelta(days=40)  # its first year: the target is 75 %
    sd.t.unit.save(update_fields=["established"])
    _satisfaction(sd, file_one, [5, 5, 2])  # 2/3 = 66.7 %: yellow (below 75 %, not 15 points below)
    assert open_cases_for(month()) == {"opened": 1, "raised": 0}
    case = WarningCase.objects.get()
    assert (case.level, case.lead_place, case.numerator, case.denominator) == (Level.YELLOW, sd.t.community_a, 2, 3)
    assert open_cases_for(month()) == {"opened": 0, "raised": 0}  # one open case per node and indicator
    Rating.objects.create(request=file_one(title="bad"), stars=1, fixed=False)
    Rating.objects.create(request=file_one(title="bad2"), stars=1, fixed=False)
    take_snapshots(period=month(), scopes=[scopes.of_unit(sd.t.unit)], codes=["satisfaction_rate"])
    assert open_cases_for(month()) == {"opened": 0, "raised": 1}
    case.refresh_from_db()
    assert (case.level, case.lead_place, case.numerator, case.denominator) == (Level.RED, sd.t.subdistrict, 2, 5)
    assert list(case.actions.values_list("kind", flat=True)) == [ActionKind.OPENED, "escalated"]


def test_red_case_is_closed_by_the_subdistrict_only(sd, file_one):
    _satisfaction(sd, file_one, [1, 2])
    open_cases_for(month())
    case = WarningCase.objects.get()
    assert case.level == Level.RED
    staff, officer = Actor(user=sd.staff), Actor(user=sd.subdistrict)
    with pytest.raises(ValidationError):
        close_case(by=officer, case=case, closure="done")  # no action yet
    add_action(by=staff, case=case, note="回访了两户居民,整改维修质量")
    with pytest.raises(PermissionDenied):
        close_case(by=staff, case=case, closure="done")  # the community may not close a listed case
    with pytest.raises(PermissionDenied):
        set_owner(by=staff, case=case, owner=sd.staff)
    set_owner(by=officer, case=case, owner=sd.staff, deadline=timezone.localdate() + dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        close_case(by=officer, case=case, closure="  ")
    close_case(by=officer, case=case, closure="满意率回升")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_by == sd.subdistrict
    with pytest.raises(PermissionDenied):
        add_action(by=staff, case=case, note="too late")


def test_other_community_staff_cannot_act(sd, file_one):
    _satisfaction(sd, file_one, [5, 5, 2])
    open_cases_for(month())
    case = WarningCase.objects.get()
    with pytest.raises(PermissionDenied):
        add_action(by=Actor(user=sd.staff_b), case=case, note="x")
    assert WarningCase.objects.visible_to(sd.staff_b).count() == 0
    assert WarningCase.objects.visible_to(sd.subdistrict).count() == 1
    assert WarningCase.objects.visible_to(sd.committee).count() == 1  # the unit's own committee sees it


def test_audit_trail_reads_in_words(sd, file_one):
    from courtyard.core.audit_labels import action_label, change_lines, object_label
    from courtyard.core.models import AuditEvent

    _satisfaction(sd, file_one, [1, 2])
    open_cases_for(month())
    case = WarningCase.objects.get()
    add_action(by=Actor(user=sd.staff), case=case, note="回访")
    for event in AuditEvent.objects.filter(action__startswith="insight."):
        assert action_label(event.action) != event.action
        assert "satisfaction" not in object_label(event) and "object" not in object_label(event)
        for label, text in change_lines(event):
            assert label not in ("code", "note", "action_note", "period")
            assert "satisfaction_rate" not in text
