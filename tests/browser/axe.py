"""axe-core (from the npm registry, installed by `make setup`) run inside the page under test.

`assert_accessible(page)` checks the WCAG 2 A and AA rules and fails with one line per violation
(rule, impact, the first offending elements), so a page that regresses names what broke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page: Any) -> list[dict[str, Any]]:
    """The axe-core violations of the page as loaded now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated through the driver, not added as a <script>: the page's Content-Security-
        # Policy refuses inline scripts (";0" makes Playwright run it as code, not call it)
        page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return list(result["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    lines = []
    for v in found:
        targets = [", ".join(n["target"]) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {'; '.join(targets)}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    found = violations(page)
    assert not found, f"{page.url} breaks WCAG 2 AA rules:\n{describe(found)}"
