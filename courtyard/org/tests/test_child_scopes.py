"""Child rows are visible exactly where their parent is (issue 8 item 1)."""

from __future__ import annotations

import pytest


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
