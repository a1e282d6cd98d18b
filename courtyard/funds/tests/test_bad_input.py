"""Amounts and booking dates people type: refused with a clear message, never a 500, nothing booked."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courtyard.funds import forms, services
from courtyard.funds.models import LedgerEntry
from courtyard.funds.money import MAX_FEN, parse_yuan

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["1e309", "-1e309", "1e3", "NaN", "nan", "Infinity", "-inf", "sNaN", "12.345",
                                   "9" * 400, "1000000000000.01", "0x10", "١٢٣"])
def test_amounts_that_are_not_plain_yuan_are_refused(typed):
    with pytest.raises(ValueError):
        parse_yuan(typed)
    field = forms.YuanField()
    with pytest.raises(Exception) as info:
        field.clean(typed)
    assert info.type.__name__ == "ValidationError"


def test_plain_amounts_still_parse():
    assert parse_yuan("1,234.5") == 123450 and parse_yuan("１２３") == 12300
    assert parse_yuan("1000000000000") == MAX_FEN


def test_service_refuses_out_of_range_amounts_and_dates(tree):
    people = signers(tree)
    acc = account(tree, people, funded=0)

    def book(**kw):
        kw.setdefault("amount_fen", 100)
        return services.record_income(by=actor(people["finance"]), account=acc, basis="donation",
                                      counterparty_name="某公司", counterparty_kind="organisation", receipt_no="R",
                                      **kw)

    with pytest.raises(ValidationError):
        book(amount_fen=2**63)
    for day in (dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(9999, 12, 31),
                timezone.localdate() + dt.timedelta(days=400)):
        with pytest.raises(ValidationError) as info:
            book(booked_on=day)
        assert "booking date" in info.value.messages[0]
    assert not LedgerEntry.objects.filter(account=acc).exists()
    assert book(booked_on=timezone.localdate() - dt.timedelta(days=30)).pk


def test_income_page_with_absurd_input_answers_with_a_message(tree, login):
    people = signers(tree)
    acc = account(tree, people, funded=0)
    c = login(people["finance"])
    for amount, day in (("1e309", "2026-01-05"), ("12", "9999-12-31"), ("NaN", "0001-01-01")):
        r = c.post(f"/console/funds/accounts/{acc.pk}/", {
            "action": "income", "amount": amount, "booked_on": day, "basis": "donation",
            "counterparty_name": "某公司", "counterparty_kind": "organisation", "receipt_no": "R"})
        assert r.status_code < 500
    assert not LedgerEntry.objects.filter(account=acc).exists()
