"""Accessibility check with axe-core (vendored: tests/e2e/vendor/axe.min.js).

    from tests.e2e.axe import check_axe
    check_axe(page, "resident-home")

Runs the WCAG 2.0/2.1 A and AA rules on the current page, writes the result (violations and
"needs review" with their nodes, passing rules by name) to
test-artifacts/axe/<name>.json and raises AssertionError listing every ``serious`` or
``critical`` violation. Lesser findings stay in the JSON for people to read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

_RUN = """async (options) => await axe.run(document, options)"""
_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _SOURCE:
        _SOURCE.append(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return _SOURCE[0]


def _target(target) -> str:
    # A target is a list of selectors; nested lists step into iframes / shadow roots.
    parts = [" >>> ".join(t) if isinstance(t, list) else str(t) for t in target]
    return " | ".join(parts)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        nodes = v.get("nodes", [])
        targets = ", ".join(_target(n.get("target", [])) for n in nodes[:3])
        more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
        lines.append(f"- [{v.get('impact')}] {v['id']}: {v.get('help')} — {targets}{more}\n  {v.get('helpUrl', '')}")
    return "\n".join(lines)


def check_axe(page, name: str, *, disable: tuple[str, ...] = ()) -> dict:
    """Run axe on ``page``; return the result dict, or raise on serious/critical violations.

    ``disable`` turns rules off by id; say why next to the call when you use it.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the page's
        # Content-Security-Policy stays enforced (conftest.py fails a test on any violation).
        page.evaluate(_axe_source())
    # Passes and inapplicable rules are listed without their nodes (axe's `resultTypes`): the report
    # keeps every violation and every "needs review" node, and the check runs in about half the time.
    options: dict = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations", "incomplete"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    result = page.evaluate(_RUN, options)

    AXE_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "page"
    (AXE_DIR / f"{safe}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")

    blocking = [v for v in result.get("violations", []) if v.get("impact") in BLOCKING]
    if blocking:
        raise AssertionError(
            f"axe found {len(blocking)} serious/critical accessibility violation(s) on {name!r} "
            f"({result.get('url')}); full report: test-artifacts/axe/{safe}.json\n" + format_violations(blocking)
        )
    return result
