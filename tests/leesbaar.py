"""Readability checks in a real Chromium page: what a reader at a projector would trip over.

`problemen(page)` runs tests/leesbaar.js in the laid-out page and returns what it found:
charts narrower than 90% of their container, chart text under 14 px, text cut off with an
ellipsis (in SVG and in HTML), text overlapping other text in a chart, and text whose
contrast with what lies under it is below WCAG AA. Nothing here knows how a chart was made:
it reads the page as drawn.
"""

from __future__ import annotations

from pathlib import Path

CONTROLE = (Path(__file__).with_name("leesbaar.js")).read_text(encoding="utf-8")
FORMATEN = [(1280, 720), (1920, 1080)]


def wacht_op_grafieken(page, timeout: int = 120_000) -> None:
    """Until every chart of a report is drawn (or marked as failed); a guard, not a speed check."""
    page.wait_for_function("[...document.querySelectorAll('figure[data-vega]')].every(f => f.dataset.getekend)",
                           timeout=timeout)


def problemen(page) -> list[str]:
    return page.evaluate(CONTROLE)
