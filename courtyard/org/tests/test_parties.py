"""ORG-8: the property company and the trust institution as parties with their own logins, narrow on purpose:
the property company works the requests dispatched to it; the trust institution sees the accounts it holds
in trust and their ledger, nothing else of the funds. Granted only by the normal grant rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from courtyard.core.audit import Actor
from courtyard.org import services
from courtyard.org.choices import PartnerKind
from courtyard.org.models import PartnerUnit
from courtyard.org.tests.factories import make_user

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user, backend="courtyard.core.auth.PhoneBackend")
    return c


@pytest.fixture
def parties(tree):
    company = PartnerUnit.objects.create(community=tree.community_a, kind=PartnerKind.PROPERTY_COMPANY, name="锦安物业")
    other = PartnerUnit.objects.create(community=tree.community_a, kind=PartnerKind.MERCHANT, name="维修部")
    trust = PartnerUnit.objects.create(community=tree.community_a, kind=PartnerKind.TRUST_INSTITUTION, name="蜀信信托")
    staff = make_user("community_staff", tree.community_a)
    company_user = make_user("property_company", tree.unit, partner=company)
    trust_user = make_user("trust_institution", tree.unit, partner=trust)
    return company, other, trust, staff, company_user, trust_user


def test_nobody_grants_themselves_the_new_roles(tree, parties):
    company, _o, _t, _s, company_user, _tu = parties
    with pytest.raises((PermissionDenied, ValidationError)):
        services.grant_role(by=Actor(user=company_user), user=company_user, role="property_company", unit=tree.unit,
                            partner=company)


def test_the_property_company_works_only_what_is_dispatched_to_it(tree, parties):
    from courtyard.servicedesk.models import Request
    from courtyard.servicedesk.permissions import HANDLE, VIEW
    from courtyard.servicedesk.services import access

    company, other, _t, _s, company_user, _tu = parties
    assert access.is_worker(company_user, Request(vendor_id=company.pk))
    assert not access.is_worker(company_user, Request(vendor_id=other.pk))
    assert company_user in access.vendor_users(company.pk)
    assert not company_user.has_perm(VIEW) and not company_user.has_perm(HANDLE)  # no request queues
    c = _client(company_user)
    assert c.get("/console/requests/").status_code in (302, 403, 404)
    assert c.get("/console/funds/").status_code in (302, 403)


def test_the_trust_institution_sees_only_the_accounts_it_holds(tree, parties):
    from courtyard.funds import services as funds

    _c, _o, trust, staff, _cu, trust_user = parties
    held = funds.create_account(by=Actor(user=staff), unit=tree.unit, purpose="trust_property", name="信托物业账户",
                                custodian="信托专户", policy="single")
    other = funds.create_account(by=Actor(user=staff), unit=tree.unit, purpose="self_governance", name="自治基金",
                                 custodian="社区财务室", policy="single")
    with pytest.raises(PermissionDenied):
        funds.set_trustee(by=Actor(user=trust_user), account=held, trustee=trust)
    with pytest.raises(ValidationError):
        funds.set_trustee(by=Actor(user=staff), account=held, trustee=_c)  # not a trust institution
    funds.set_trustee(by=Actor(user=staff), account=held, trustee=trust)
    c = _client(trust_user)
    page = c.get("/console/funds/trust/")
    assert page.status_code == 200 and "信托物业账户" in page.content.decode()
    assert "自治基金" not in page.content.decode()
    assert c.get(f"/console/funds/trust/{held.pk}/").status_code == 200
    assert c.get(f"/console/funds/trust/{other.pk}/").status_code == 404
    assert c.get("/console/funds/").status_code in (302, 403)  # no funds pages beyond the held accounts
    assert c.get(f"/console/funds/accounts/{held.pk}/").status_code in (302, 403, 404)


def test_staff_name_the_trust_institution_on_the_account_page(tree, parties):
    """The console form: only trust institutions of the account's community are offered; a partner of
    another kind is refused on the form and nothing changes; clearing it works; every change is audited."""
    from courtyard.core.models import AuditEvent
    from courtyard.funds import services as funds

    company, _o, trust, staff, _cu, trust_user = parties
    held = funds.create_account(by=Actor(user=staff), unit=tree.unit, purpose="trust_property", name="信托物业账户",
                                custodian="信托专户", policy="single")
    c = _client(staff)
    page = c.get(f"/console/funds/accounts/{held.pk}/").content.decode()
    assert "蜀信信托" in page and "锦安物业" not in page  # only trust institutions are offered
    url = f"/console/funds/accounts/{held.pk}/trustee/"
    assert c.post(url, {"trustee": company.pk}).status_code == 302
    held.refresh_from_db()
    assert held.trustee_id is None  # a property company is not a choice: nothing changed
    assert c.post(url, {"trustee": trust.pk}).status_code == 302
    held.refresh_from_db()
    assert held.trustee_id == trust.pk
    assert AuditEvent.objects.filter(action="funds.account_trustee", object_id=str(held.pk)).count() == 1
    assert _client(trust_user).post(url, {"trustee": ""}).status_code in (302, 403, 404)
    held.refresh_from_db()
    assert held.trustee_id == trust.pk  # the trust institution cannot let itself go
    assert c.post(url, {"trustee": ""}).status_code == 302
    held.refresh_from_db()
    assert held.trustee_id is None
