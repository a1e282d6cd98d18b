from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courtyard.core.audit import Actor
from courtyard.org.choices import PartnerKind
from courtyard.org.models import PartnerUnit
from courtyard.servicedesk.models import Agreement, Category
from courtyard.servicedesk.seed import seed


def photo(name="p.jpg") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def sd(tree, make_user):
    """The org `tree` plus service-desk people: a resident login, staff, workers, a vendor with agreement."""
    import datetime as dt

    seed()  # migrations seed it already; transactional tests flush it
    t = tree
    resident = make_user(person=t.person1)
    vendor = PartnerUnit.objects.create(community=t.community_a, kind=PartnerKind.MERCHANT, name="Fixit")
    other_vendor = PartnerUnit.objects.create(community=t.community_a, kind=PartnerKind.MERCHANT, name="Other")
    agreement = Agreement.objects.create(community=t.community_a, vendor=vendor, title="FA", onsite_hours=48,
                                         emergency_hours=2, starts=dt.date(2026, 1, 1))
    agreement.categories.set(Category.objects.filter(code__in=["water", "power"]))
    vendor_user = make_user("vendor", t.community_a, partner=vendor)
    other_vendor_user = make_user("vendor", t.community_a, partner=other_vendor)
    ns = SimpleNamespace(
        t=t, resident=resident, vendor=vendor, other_vendor=other_vendor, agreement=agreement,
        vendor_user=vendor_user, other_vendor_user=other_vendor_user,
        staff=make_user("community_staff", t.community_a), staff_b=make_user("community_staff", t.community_b),
        mg_worker=make_user("microgrid_worker", t.microgrid1), grid2_worker=make_user("grid_worker", t.grid2),
        committee=make_user("committee_member", t.unit), subdistrict=make_user("subdistrict_officer", t.subdistrict),
        leak=Category.objects.get(code="water-leak"), noise=Category.objects.get(code="noise-neighbour"),
        consult=Category.objects.get(code="svc-consult"),
    )
    from courtyard.org.models import RoleGrant

    RoleGrant.objects.update(start_date=dt.date(2026, 1, 1))  # frozen-clock tests travel back to autumn
    return ns


@pytest.fixture
def file_one(sd):
    from courtyard.servicedesk import services

    def _file(**kw):
        kw.setdefault("place", sd.t.entrance1)
        kw.setdefault("category", sd.leak)
        kw.setdefault("title", "Leaking pipe")
        return services.file_request(by=Actor(user=sd.resident), reporter_user=sd.resident, **kw)

    return _file
