"""Every model, child rows included, can be read through `visible_to(user)` (issue 8 item 1), and a
child row is visible exactly where its parent is."""

from __future__ import annotations

import pytest
from django.apps import apps

from courtyard.core.access import ParentScoped

# Rows that are not read through a scope: the login itself and its one-time reset codes (read only
# by the reset service, by hash), and files (served only through the authorising view, which checks
# the owner object's visibility).
EXEMPT = {"core.User", "core.PasswordResetCode", "core.Attachment"}
APPS = {"core", "org", "deliberation", "servicedesk", "projects", "funds", "participation", "insight", "web"}

MODELS = sorted((m for m in apps.get_models() if m._meta.app_label in APPS and m._meta.label not in EXEMPT),
                key=lambda m: m._meta.label)


def test_exempt_models_exist():
    labels = {m._meta.label for m in apps.get_models()}
    assert EXEMPT <= labels


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_model_has_visible_to(model):
    assert hasattr(model._default_manager, "visible_to"), model._meta.label
    if issubclass(model, ParentScoped):
        parent = model._meta.get_field(model.scope_parent).related_model
        prefix = model.scope_parent + "__"
        lookups = parent.scope_lookups if hasattr(parent, "scope_lookups") else None
        assert lookups is not None, model._meta.label
        assert model.scope_lookups["path"] == prefix + lookups["path"], model._meta.label
        assert getattr(model, "scope_reach_units", False) == getattr(parent, "scope_reach_units", False)


@pytest.mark.django_db
def test_dwelling_links_follow_their_dwelling(tree, make_user):
    from courtyard.org.models import DwellingLink

    worker = make_user("grid_worker", tree.grid1)
    seen = set(DwellingLink.objects.visible_to(worker).values_list("dwelling_id", flat=True))
    assert tree.dwelling1.pk in seen and tree.dwelling_g2.pk not in seen and tree.dwelling_b.pk not in seen
    head = make_user("building_head", tree.building1)
    assert set(DwellingLink.objects.visible_to(head).values_list("dwelling__path", flat=True)) <= {
        p for p in DwellingLink.objects.values_list("dwelling__path", flat=True) if p.startswith(tree.building1.path)}
    assert not DwellingLink.objects.visible_to(make_user()).exists()


@pytest.mark.django_db
def test_approval_steps_follow_their_account(tree):
    from courtyard.funds.models import ApprovalStep
    from courtyard.funds.tests.factories import account, signers, three_party_approved

    people = signers(tree)
    req = three_party_approved(tree, people, account(tree, people))
    assert ApprovalStep.objects.visible_to(people["committee"]).filter(request=req).count() == 3
    assert not ApprovalStep.objects.visible_to(people["outsider"]).exists()
    step = ApprovalStep.objects.filter(request=req).first()
    assert people["committee"].has_perm("funds.view_ledger", step)
    assert not people["outsider"].has_perm("funds.view_ledger", step)
