"""A check point's checklist, written by staff one question per line (pure; tested):

    消防通道畅通                      → answered normal / abnormal
    灭火器压力 [正常/偏低!/失效!]       → a choice; options ending in "!" are abnormal
    其他情况…                         → a note (a line ending in "…" or "...")
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OK, CHOICE, TEXT = "ok", "choice", "text"
_CHOICE = re.compile(r"^(?P<label>.+?)\s*[\[［](?P<opts>[^\]］]+)[\]］]\s*$")


def parse(text: str) -> list[dict]:
    items: list[dict] = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _CHOICE.match(line)
        if m:
            opts = [o.strip() for o in re.split(r"[/／]", m["opts"]) if o.strip()]
            names = [o.rstrip("!！").strip() for o in opts]
            if len(names) < 2 or any(not o for o in names):
                raise ValidationError(_("Line %(n)s: give at least two choices, separated by /.") % {"n": n},
                                      code="checklist")
            bad = [o.rstrip("!！").strip() for o in opts if o.endswith(("!", "！"))]
            items.append({"key": f"q{len(items) + 1}", "label": m["label"][:80], "kind": CHOICE, "choices": names,
                          "bad": bad})
        elif line.endswith(("…", "...")):
            items.append({"key": f"q{len(items) + 1}", "label": line.rstrip(".…").strip()[:80], "kind": TEXT})
        else:
            items.append({"key": f"q{len(items) + 1}", "label": line[:80], "kind": OK})
    if not items:
        raise ValidationError(_("Write at least one question."), code="checklist")
    if len(items) > 30:
        raise ValidationError(_("At most 30 questions per check point."), code="checklist")
    return items


def unparse(items: list[dict]) -> str:
    lines = []
    for it in items:
        if it["kind"] == CHOICE:
            opts = "/".join(c + ("!" if c in it.get("bad", []) else "") for c in it["choices"])
            lines.append(f"{it['label']} [{opts}]")
        elif it["kind"] == TEXT:
            lines.append(f"{it['label']}…")
        else:
            lines.append(it["label"])
    return "\n".join(lines)


def judge(items: list[dict], answers: dict) -> tuple[dict, bool, list[str]]:
    """Checks `answers` against the checklist: (clean answers, abnormal?, labels of abnormal items).
    Every normal/abnormal and choice question needs an answer."""
    clean: dict[str, str] = {}
    bad_labels: list[str] = []
    errors = []
    for it in items:
        value = str(answers.get(it["key"], "") or "").strip()
        if it["kind"] == OK:
            if value not in ("ok", "bad"):
                errors.append(it["label"])
                continue
            if value == "bad":
                bad_labels.append(_("%(item)s: abnormal") % {"item": it["label"]})
        elif it["kind"] == CHOICE:
            if value not in it["choices"]:
                errors.append(it["label"])
                continue
            if value in it.get("bad", []):
                bad_labels.append(f"{it['label']}: {value}")
        else:
            value = value[:500]
        clean[it["key"]] = value
    if errors:
        raise ValidationError(_("Answer every question: %(items)s.") % {"items": "、".join(errors)}, code="answers")
    return clean, bool(bad_labels), bad_labels
