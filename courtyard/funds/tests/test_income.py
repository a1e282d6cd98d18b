"""FND-2: levies per dwelling in exact fen (parts add up), receipts, arrears, collection rates, self-funding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from courtyard.funds import selectors, services
from courtyard.funds.models import LevyCharge
from courtyard.funds.money import apportion, levy_parts, parse_yuan, percent, yuan

from .factories import account, actor, signers

areas = st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2), min_size=1,
                 max_size=300)
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@given(areas, rates)
def test_levy_parts_sum_to_total(area_list, rate):
    total, parts = levy_parts(rate, area_list)
    assert sum(parts) == total
    exact_total = sum((Fraction(rate) * Fraction(a) for a in area_list), Fraction(0))
    assert abs(total - exact_total) <= Fraction(1, 2)
    for a, p in zip(area_list, parts, strict=True):
        assert abs(p - Fraction(rate) * Fraction(a)) < 1 + Fraction(1, 2)


@given(st.integers(min_value=-10**12, max_value=10**12),
       st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50).filter(lambda w: sum(w) > 0))
def test_apportion_sums_and_stays_within_one_fen(total, weights):
    parts = apportion(total, weights)
    assert sum(parts) == total
    for w, p in zip(weights, parts, strict=True):
        assert abs(p - Fraction(total * w, sum(weights))) < 1


def test_five_yuan_per_m2_is_exact():
    total, parts = levy_parts(500, [Decimal("72.35"), Decimal("58.10")])
    assert parts == [36175, 29050] and total == 65225


def test_odd_rate_rounds_by_largest_remainder():
    # 1 fen/m² over three dwellings of 0.33 / 0.33 / 0.34 m²: total 1 fen goes to the largest remainder.
    assert levy_parts(1, [Decimal("0.33"), Decimal("0.33"), Decimal("0.34")]) == (1, [0, 0, 1])


def test_money_formatting():
    assert yuan(12345) == "123.45" and yuan(-5) == "-0.05" and yuan(100_000_00) == "100,000.00"
    assert parse_yuan("123.45") == 12345 and parse_yuan("5") == 500
    with pytest.raises(ValueError):
        parse_yuan("1.234")
    assert percent(Fraction(1, 3)) == "33.3 %"


@pytest.mark.django_db
def test_levy_receipts_arrears_and_collection(tree):
    people = signers(tree)
    acc = account(tree, people, name="改造专项账户", funded=0)
    levy = services.create_levy(by=actor(people["staff"]), account=acc, name="改造自筹 5元/㎡", rate_fen_per_m2=500)
    charges = list(levy.charges.order_by("pk"))
    assert len(charges) == len([d for d in tree.dwellings_unit if d.area_m2])
    assert sum(c.amount_fen for c in charges) == levy.total_fen
    first = charges[0]
    with pytest.raises(ValidationError, match="receipt"):
        services.record_levy_payment(by=actor(people["finance"]), charge=first, amount_fen=first.amount_fen,
                                     receipt_no="")
    entry = services.record_levy_payment(by=actor(people["finance"]), charge=first, amount_fen=first.amount_fen,
                                         receipt_no="GJ-0001", payer_name="王秀英")
    assert entry.basis == "levy" and entry.receipt_no == "GJ-0001" and entry.levy_charge_id == first.pk
    with pytest.raises(ValidationError, match="more than"):
        services.record_levy_payment(by=actor(people["finance"]), charge=first, amount_fen=1, receipt_no="GJ-2")
    owing = selectors.arrears(people["staff"], levy)
    assert first.pk not in {c.pk for c in owing} and len(owing) == len(charges) - 1
    rows = selectors.collection_by_building(tree.unit)
    assert rows and all("王" not in str(r) for r in rows)
    paid = LevyCharge.objects.get(pk=first.pk).paid_fen
    assert rows[0]["paid"] == yuan(paid)


@pytest.mark.django_db
def test_self_funding_ratio(tree):
    people = signers(tree)
    acc = account(tree, people, funded=600_00)  # a subsidy
    services.record_income(by=actor(people["finance"]), account=acc, amount_fen=300_00, basis="ppp",
                           counterparty_name="充电桩运营商", counterparty_kind="organisation")
    wrong = services.record_income(by=actor(people["finance"]), account=acc, amount_fen=999_00, basis="donation",
                                   counterparty_name="某商户", counterparty_kind="organisation")
    services.reverse_entry(by=actor(people["finance"]), entry=wrong, reason="重复录入")
    services.record_income(by=actor(people["finance"]), account=acc, amount_fen=100_00, basis="canteen",
                           counterparty_name="长者食堂", counterparty_kind="organisation")
    assert selectors.self_funding_ratio(tree.unit) == Fraction(400, 1000)
