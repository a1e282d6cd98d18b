"""Amounts on residents' phones: yuan, tabular figures, never broken inside a number (ADR 0012)."""

from decimal import Decimal

from courtyard.funds.money import yuan_rate
from courtyard.funds.templatetags.funds import money


def test_money_wraps_fen_as_one_unbreakable_yuan_amount():
    assert str(money(112275205)) == '<span class="money">1,122,752.05</span>'
    assert str(money(-5)) == '<span class="money">-0.05</span>'
    assert str(money("1,122,752.05")) == '<span class="money">1,122,752.05</span>'
    assert money(None) == ""


def test_money_escapes_text():
    assert "<b>" not in str(money("<b>1</b>"))


def test_levy_standard_in_yuan():
    assert yuan_rate(Decimal("150")) == "1.50"
    assert yuan_rate(Decimal("150.50")) == "1.505"
    assert yuan_rate(Decimal("12345678.00")) == "123,456.78"
    assert yuan_rate(Decimal("0.01")) == "0.0001"
    assert yuan_rate(None) == ""


def test_resident_css_keeps_amounts_whole():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "web/static/web/css/resident.css").read_text()
    rule = css[css.index(".money, .r-num"):]
    assert "white-space: nowrap" in rule.split("}")[0] and "tabular-nums" in rule.split("}")[0]
