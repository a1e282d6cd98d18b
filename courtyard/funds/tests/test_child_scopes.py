"""Sign-offs are visible exactly where their account is (issue 8 item 1)."""

from __future__ import annotations

import pytest


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
