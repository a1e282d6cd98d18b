"""Audit events read as words: event names, objects, field labels, yuan (ADR 0011)."""

from __future__ import annotations

import pytest
from django.utils import translation

from courtyard.core import audit_labels
from courtyard.core.audit import Actor, record
from courtyard.core.models import AuditEvent

from .factories import make_user


@pytest.fixture(autouse=True)
def _reset_language():
    """A request in zh-CN leaves Chinese active in this thread; later tests read English."""
    yield
    translation.deactivate()

pytestmark = pytest.mark.django_db


def test_known_event_names_read_as_words():
    with translation.override("zh-hans"):
        assert audit_labels.action_label("funds.proposal_submitted") == "提交资助申报"
        assert audit_labels.action_label("servicedesk.request.accept") == "诉求 · 已签收"
    with translation.override("en"):
        assert audit_labels.action_label("servicedesk.request.accept") == "Request · accepted"
        assert audit_labels.action_label("no.such.thing") == "no.such.thing"  # unknown: shown as stored


def test_object_field_and_money_are_human():
    user = make_user(display_name="王芳")
    record(Actor.system(), "core.user.create", user,
           changes={"display_name": [None, "王芳"], "is_active": [None, True], "requested_fen": [None, 300000]})
    event = AuditEvent.objects.get(action="core.user.create")
    event.object_repr = f"User object ({user.pk})"  # what a model without __str__ leaves
    with translation.override("zh-hans"):
        lines = dict(audit_labels.change_lines(event))
        assert audit_labels.object_label(event).endswith(f"#{user.pk}")
        assert "object" not in audit_labels.object_label(event)
        assert audit_labels.actor_label(event) == "系统"
    assert lines["requested_fen"] == "— → ¥3,000.00"
    assert "display_name" not in lines and "None" not in " ".join(lines.values())
    assert any(v == "— → 是" for v in lines.values())


def test_audit_page_shows_words_not_identifiers(tree, make_user, login):
    from courtyard.core.tests.factories import make_user as plain_user

    staff = make_user("community_staff", tree.community_a)
    record(Actor.system(), "servicedesk.request.accept", plain_user(),
           changes={"state": ["new", "accepted"]}, community_id=tree.community_a.pk)
    client = login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    body = client.get("/console/audit/").content.decode()
    assert "servicedesk.request.accept" not in body
    assert "诉求 · 已签收" in body


def test_reverse_relations_and_models_without_verbose_names_do_not_break():
    from courtyard.core.models import User

    reverse = next(f.name for f in User._meta.get_fields() if f.auto_created and not f.concrete)
    user = make_user()
    record(Actor.system(), "core.user.create", user, changes={reverse: [None, [1, 2]], "opening_fen": [0, 12345]})
    event = AuditEvent.objects.get(action="core.user.create")
    with translation.override("zh-hans"):
        lines = dict(audit_labels.change_lines(event))
    assert lines[reverse] == "— → 1、2"
    assert lines["期初余额"] == "¥0.00 → ¥123.45"


def test_summaries_and_app_events_read_as_words():
    from courtyard.core.access import ROLES

    record(Actor.system(), "org.demo_data.load", None, changes={"Dwelling": 612, "grid_worker": 3})
    event = AuditEvent.objects.get(action="org.demo_data.load")
    with translation.override("zh-hans"):
        assert audit_labels.action_label(event.action) == "载入演示数据"
        lines = dict(audit_labels.change_lines(event))
        assert lines[str(ROLES["grid_worker"].label)] == "3"
        from courtyard.org.models import Dwelling

        assert lines[str(Dwelling._meta.verbose_name)] == "612"
        assert "Dwelling" not in lines and "grid_worker" not in lines
