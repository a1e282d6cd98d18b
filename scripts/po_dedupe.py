#!/usr/bin/env python3
"""Drop repeated entries from a .po file after a union merge (engineers append translations in
parallel; `.gitattributes` merges django.po with the union driver, so the same msgid can arrive
twice). The first entry of each (msgctxt, msgid) is kept; when a later one translates it
differently, both are printed so a person can choose. Usage:

    scripts/po_dedupe.py locale/zh_Hans/LC_MESSAGES/django.po [--check]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def _key(block: str) -> tuple[str, str] | None:
    ctxt = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
    mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
    if not mid:
        return None
    return (ctxt.group(1).strip() if ctxt else "", mid.group(1).strip())


def _msgstr(block: str) -> str:
    m = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
    return m.group(1).strip() if m else ""


def dedupe(text: str) -> tuple[str, list[str]]:
    blocks = re.split(r"\n{2,}", text.strip("\n"))
    seen: dict[tuple[str, str], str] = {}
    kept, notes = [], []
    for block in blocks:
        key = _key(block)
        if key is None or key == ("", '""'):
            kept.append(block)
            continue
        if key in seen:
            if _msgstr(block) != seen[key]:
                notes.append(f"{key[1][:60]}: kept {seen[key][:40]}, dropped {_msgstr(block)[:40]}")
            continue
        seen[key] = _msgstr(block)
        kept.append(block)
    return "\n\n".join(kept) + "\n", notes


def main() -> int:
    path = Path(sys.argv[1])
    text = path.read_text(encoding="utf-8")
    new, notes = dedupe(text)
    for note in notes:
        print("differs:", note)
    if "--check" in sys.argv:
        return 1 if new != text else 0
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"{path}: {text.count(chr(10)) - new.count(chr(10))} lines of repeated entries removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
