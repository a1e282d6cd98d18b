#!/usr/bin/env python3
"""Build the WeUI subset the resident pages load (courtyard/web/static/web/css/weui-subset.css).

WeUI's full stylesheet is 188 KB; our resident pages use its base rules (reset, typography) and
whichever `weui-*` classes the templates name (tests are not scanned). This script keeps exactly that:

* every rule whose selectors name no class at all (`html`, `body`, `*`, `a img`, `::placeholder`…),
  with `.wx-root` / `page` (WeChat mini-program roots) dropped from selector lists;
* every rule whose `weui-*` classes all appear somewhere in courtyard/**/*.html|js|py;
* the `--weui-*` custom properties those rules read (transitively), light and dark;
* `@media` / `@supports` blocks filtered the same way; `@keyframes` only when a kept rule names them.

    python scripts/weui_subset.py           # write the subset
    python scripts/weui_subset.py --check   # exit 1 if the committed subset is stale (CI)

Never edit the output by hand: change a template, re-run the script, commit both.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "courtyard/web/static/vendor/weui/weui.min.css"
TARGET = ROOT / "courtyard/web/static/web/css/weui-subset.css"
CLASS_RE = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
VAR_USE_RE = re.compile(r"var\((--[\w-]+)")
VAR_DEF_RE = re.compile(r"(--[\w-]+)\s*:")
ROOT_ONLY = {".wx-root", "page"}


def parse(css: str) -> list:
    """Top-level blocks as (prelude, body) where body is a str (declarations) or a nested list."""
    out, i, n = [], 0, len(css)
    while i < n:
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        brace = css.find("{", i)
        if brace < 0:
            break
        prelude = css[i:brace].strip()
        depth, j = 1, brace + 1
        while j < n and depth:
            ch = css[j]
            if ch in "\"'":
                j = css.find(ch, j + 1)
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            j += 1
        inner = css[brace + 1:j - 1]
        if prelude.startswith(("@media", "@supports")):
            out.append((prelude, parse(inner)))
        else:
            out.append((prelude, inner))
        i = j
    return out


def used_classes() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "courtyard").rglob("*"):
        if path.suffix in {".html", ".js", ".py"} and not {"vendor", "tests"} & set(path.parts):
            found.update(re.findall(r"weui-[\w-]+", path.read_text(encoding="utf-8", errors="ignore")))
    return found


def keep_selector(selector: str, classes: set[str]) -> bool:
    if selector.strip() in ROOT_ONLY or ".wx-root" in selector or re.match(r"^page\b", selector.strip()):
        return False
    names = CLASS_RE.findall(selector)
    return all(name in classes for name in names)


def filter_rules(blocks: list, classes: set[str]) -> list:
    kept = []
    for prelude, body in blocks:
        if isinstance(body, list):
            inner = filter_rules(body, classes)
            if inner:
                kept.append((prelude, inner))
        elif prelude.startswith("@"):
            kept.append((prelude, body))  # keyframes: pruned later by name
        else:
            selectors = [s for s in split_selectors(prelude) if keep_selector(s, classes)]
            if selectors:
                kept.append((",".join(selectors), body))
    return kept


def split_selectors(prelude: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in prelude:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def walk(blocks: list):
    for prelude, body in blocks:
        if isinstance(body, list):
            yield from walk(body)
        else:
            yield prelude, body


def prune(blocks: list, needed_vars: set[str], animations: set[str]) -> list:
    """Drop declarations of custom properties nobody reads, and keyframes nobody names."""
    out = []
    for prelude, body in blocks:
        if isinstance(body, list):
            inner = prune(body, needed_vars, animations)
            if inner:
                out.append((prelude, inner))
            continue
        if "keyframes" in prelude:
            if prelude.split()[-1] in animations:
                out.append((prelude, body))
            continue
        decls = [d for d in body.split(";") if d.strip()]
        decls = [d for d in decls if not d.strip().startswith("--") or d.split(":", 1)[0].strip() in needed_vars]
        if decls:
            out.append((prelude, ";".join(decls)))
    return out


def subset(css: str, classes: set[str]) -> str:
    blocks = filter_rules(parse(css), classes)
    # Variables read by ordinary declarations, then by the variables themselves, to a fixed point.
    definitions: dict[str, set[str]] = {}
    needed: set[str] = set()
    animations: set[str] = set()
    for prelude, body in walk(blocks):
        if prelude.startswith("@"):
            continue
        for decl in body.split(";"):
            name = decl.split(":", 1)[0].strip()
            uses = set(VAR_USE_RE.findall(decl))
            if name.startswith("--"):
                definitions.setdefault(name, set()).update(uses)
            else:
                needed |= uses
                if name in ("animation", "animation-name", "-webkit-animation", "-webkit-animation-name"):
                    animations.update(re.findall(r"[\w-]+", decl.split(":", 1)[1]))
    frontier = set(needed)
    while frontier:
        nxt = set()
        for var in frontier:
            nxt |= definitions.get(var, set()) - needed
        needed |= nxt
        frontier = nxt
    return render(prune(blocks, needed, animations))


def render(blocks: list) -> str:
    return "".join(f"{p}{{{render(b) if isinstance(b, list) else b}}}" for p, b in blocks)


HEADER = ("/*! WeUI v2.6.26 subset (MIT, https://github.com/weui/weui; full licence in vendor/weui/LICENSE).\n"
          " * Generated by scripts/weui_subset.py from vendor/weui/weui.min.css: do not edit by hand. */\n")


def build() -> str:
    return HEADER + subset(SOURCE.read_text(encoding="utf-8"), used_classes()) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed subset differs")
    args = ap.parse_args()
    text = build()
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run scripts/weui_subset.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(text.encode()):,} bytes (from {SOURCE.stat().st_size:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
