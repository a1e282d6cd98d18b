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
