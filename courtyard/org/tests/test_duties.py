"""The four-party rights-and-duties list (ORG-10): versions, adoption, coverage, public page."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from courtyard.core.audit import Actor
from courtyard.org import duties
from courtyard.org.models import DutyList

pytestmark = pytest.mark.django_db


def _full(by, dl):
    items = []
    for party in ("residents", "self_governance", "property", "government"):
        duties.add_item(by=by, duty_list=dl, party=party, kind="right", text=f"{party} 权利")
        items.append(duties.add_item(by=by, duty_list=dl, party=party, kind="duty", text=f"{party} 义务"))
    return items


def test_version_adopt_supersede_and_coverage(tree, make_user):
    staff = Actor(user=make_user("community_staff", tree.community_a))
    dl = duties.new_version(by=staff, unit=tree.unit, title="四方权责清单")
    with pytest.raises(ValidationError):
        duties.new_version(by=staff, unit=tree.unit)  # one draft at a time
    first = duties.add_item(by=staff, duty_list=dl, party="residents", kind="duty", text="遵守公约")
    with pytest.raises(ValidationError, match="names nothing for"):
        duties.adopt(by=staff, duty_list=dl, adopted_ref="议事会")
    items = [first, *_full(staff, dl)]
    with pytest.raises(ValidationError):
        duties.adopt(by=staff, duty_list=dl, adopted_ref=" ")
    duties.adopt(by=staff, duty_list=dl, adopted_ref="居民议事会表决")
    with pytest.raises(ValidationError):
        duties.add_item(by=staff, duty_list=dl, party="residents", kind="duty", text="x")
    for item in items[:4]:
        duties.set_coverage(by=staff, item=item, covered=True, covered_by="院委会")
    with pytest.raises(ValidationError):
        duties.set_coverage(by=staff, item=items[4], covered=True, covered_by="")
    cov = duties.coverage(list(dl.items.all()))
    assert cov["share"] == Fraction(4, 5) and cov["percent"] == "80.0 %" and not cov["met"]
    v2 = duties.new_version(by=staff, unit=tree.unit)
    assert v2.version == 2 and v2.items.count() == dl.items.count()
    duties.adopt(by=staff, duty_list=v2, adopted_ref="第二次表决")
    dl.refresh_from_db()
    assert dl.status == "superseded" and DutyList.objects.filter(unit=tree.unit, status="adopted").count() == 1


def test_only_staff_of_the_unit_change_it(tree, make_user):
    outsider = Actor(user=make_user("community_staff", tree.community_b))
    with pytest.raises(PermissionDenied):
        duties.new_version(by=outsider, unit=tree.unit)


def test_console_and_public_pages(tree, make_user, django_assert_max_num_queries):
    user = make_user("community_staff", tree.community_a)
    staff = Actor(user=user)
    dl = duties.new_version(by=staff, unit=tree.unit, title="四方权责清单")
    items = _full(staff, dl)
    duties.adopt(by=staff, duty_list=dl, adopted_ref="居民议事会表决")
    c = Client()
    c.force_login(user)
    assert c.get("/console/duties/").status_code == 200
    with django_assert_max_num_queries(25):
        assert c.get(f"/console/duties/{dl.pk}/").status_code == 200
    c.post(f"/console/duties/{dl.pk}/", {"action": "covered", "item": items[0].pk, "covered_by": "院委会"})
    items[0].refresh_from_db()
    assert items[0].covered
    public = Client().get(f"/u/{tree.unit.slug}/").content.decode()
    assert "property 义务" in public and "居民议事会表决" in public
    reader = make_user("evaluator", tree.community_a)
    c2 = Client()
    c2.force_login(reader)
    assert c2.post(f"/console/duties/{dl.pk}/", {"action": "covered", "item": items[1].pk,
                                                 "covered_by": "x"}).status_code == 403
