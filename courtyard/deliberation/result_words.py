"""A vote's result in plain words for residents: passed or not, and why, condition by condition,
with percentages and bar lengths; the exact fractions stay available for a 'details' toggle.
Built from `selectors.result_view` (exact arithmetic there; rounding here is for display only)."""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from . import choices as c
from . import tally as t

# Shares that have a name in everyday Chinese (三分之二, 过半数…); anything else reads as a percentage.
_NAMED = {Fraction(1, 2): "half", Fraction(2, 3): "two thirds", Fraction(3, 4): "three quarters"}


def _nb(text: str) -> str:
    """'75.35 %' with a no-break space: a percentage never wraps away from its sign."""
    return text.replace(" ", "\u00a0")


def share_words(threshold: t.Threshold) -> str:
    """≥ 2/3 → 'at least two thirds'; > 1/2 → 'more than half'; others in percent."""
    name = _NAMED.get(threshold.share)
    if name == "half":
        return _("at least half") if threshold.inclusive else _("more than half")
    if name == "two thirds":
        return _("at least two thirds") if threshold.inclusive else _("more than two thirds")
    if name == "three quarters":
        return _("at least three quarters") if threshold.inclusive else _("more than three quarters")
    pct = _nb(t.percent(threshold.share.numerator, threshold.share.denominator, places=1))
    return (_("at least %(p)s") if threshold.inclusive else _("more than %(p)s")) % {"p": pct}


def _who(vote) -> tuple[str, str]:
    """(people, what is counted per person) for the electorate, e.g. ('owners', 'owners')."""
    if vote.electorate == c.Electorate.OWNERS:
        return _("owners"), _("the owners")
    if vote.electorate == c.Electorate.HOUSEHOLDS:
        return _("households"), _("the households")
    return _("residents"), _("the residents")


def _permille(part, whole) -> int:
    f = t.fraction_of(part, whole)
    if f is None:
        return 0
    return max(0, min(1000, round(f * 1000)))


def _condition(vote, row: dict, threshold: t.Threshold | None) -> dict:
    people, the_people = _who(vote)
    kind = row["label"]
    titles = {
        "participation_area": _("Took part, by floor area"),
        "participation_heads": _("Took part, by number of %(who)s") % {"who": people},
        "approval_area": _("Agreed, by floor area"),
        "approval_heads": _("Agreed, by number of %(who)s") % {"who": people},
    }
    explain = {
        "participation_area": _("Share of the total floor area whose owners voted"),
        "participation_heads": _("Share of all %(who)s who voted") % {"who": people},
        "approval_area": _("Share of the voting floor area that agreed"),
        "approval_heads": _("Share of the %(who)s who voted that agreed") % {"who": people},
    }
    needed = share_words(threshold) if threshold else ""
    return {
        "key": kind, "title": titles[kind], "explain": explain[kind], "percent": _nb(row["percent"]),
        "needed": needed, "met": row["met"], "permille": _permille(row["part"], row["whole"]),
        "mark": _permille(threshold.share.numerator, threshold.share.denominator) if threshold else None,
        "part": row["part"], "whole": row["whole"], "fraction": row["fraction"], "unit": "m²"
        if kind.endswith("_area") else "", "is_turnout": kind.startswith("participation"), "who": the_people,
    }


def summarise(vote, view: dict) -> dict:
    """{'verdict', 'why': [sentences], 'conditions': [...], 'options': [...]} for the result page."""
    from .services import vote_rule

    rule = vote_rule(vote)
    if view.get("options"):
        heads = view["result"].participating.heads
        options = [{**o, "percent": _nb(o["percent"]), "permille": _permille(o["heads"], heads)}
                   for o in view["options"]]
        return {"verdict": None, "why": [], "conditions": [], "options": options, "voters": heads}
    thresholds = {"participation_area": rule.participation, "participation_heads": rule.participation,
                  "approval_area": rule.approval, "approval_heads": rule.approval}
    conditions = []
    for row in view["rows"]:
        th = thresholds[row["label"]]
        if row["label"].startswith("participation") and th.share == 0 and th.inclusive:
            continue  # no minimum turnout under this rule: nothing to check, nothing to show
        conditions.append(_condition(vote, row, th))
    people, _the = _who(vote)
    turnout = [x for x in conditions if x["is_turnout"]]
    approval = [x for x in conditions if not x["is_turnout"]]
    why = []
    if view["passed"]:
        if turnout:
            why.append(_("Enough %(who)s took part: %(need)s were needed, %(by)s.") % {
                "who": people, "need": turnout[0]["needed"], "by": _by(turnout)})
        else:
            why.append(_("This rule needs no minimum turnout."))
        why.append(_("Enough of them agreed: %(need)s of those who voted were needed, %(by)s.") % {
            "need": approval[0]["needed"], "by": _by(approval)})
    else:
        for x in conditions:
            if x["met"]:
                continue
            if x["is_turnout"]:
                why.append(_("Too few %(who)s took part %(how)s: %(got)s, but %(need)s were needed.") % {
                    "who": people, "how": _how(x), "got": x["percent"], "need": x["needed"]})
            else:
                why.append(_("Too few of those who voted agreed %(how)s: %(got)s, but %(need)s were needed.") % {
                    "how": _how(x), "got": x["percent"], "need": x["needed"]})
    return {"verdict": bool(view["passed"]), "why": why, "conditions": conditions, "options": None}


def _how(x: dict) -> str:
    return _("by floor area") if x["key"].endswith("_area") else _("by headcount")


def _by(rows: list[dict]) -> str:
    parts = [_("%(how)s %(got)s") % {"how": _how(x), "got": x["percent"]} for x in rows]
    return parts[0] if len(parts) == 1 else _("%(a)s and %(b)s") % {"a": parts[0], "b": parts[1]}
