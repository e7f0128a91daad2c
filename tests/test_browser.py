"""Real-browser checks with Debian's Chromium (never a downloaded browser) through Playwright.

The test fails, rather than skips, when Chromium is missing: `make test` installs it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser

from tests._browser import Visit
from tests._expected import FIRST_RULES, PLAYBOOK_PAGES

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 500_000
"""Bytes (uncompressed) a first visit to a playbook page may transfer."""
REPORT = Path(os.environ.get("TRADEOFFS_BROWSER_REPORT", ".cache/browser-report.json"))


@pytest.mark.parametrize(
    ("slug", "charts", "first_rule"),
    [(slug, charts, FIRST_RULES[slug]) for slug, charts in PLAYBOOK_PAGES.items()],
)
def test_playbook_page_loads_offline_and_draws_its_charts(
    browser: Browser, site_url: str, served_bytes: Any, slug: str, charts: int, first_rule: str
) -> None:
    served_bytes.reset()
    visit = Visit(browser, f"{site_url}/{slug}/")
    first_visit = served_bytes.value  # counted by the server: every file, worker's included
    try:
        page = visit.page
        assert visit.blocked == [], f"requests to third-party hosts: {visit.blocked}"
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in visit.requests)
        assert visit.console_errors == []
        drawn = page.locator("figure.playbook-chart svg")
        assert drawn.count() == charts
        for i in range(charts):
            box = drawn.nth(i).bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 100
            # Drawn means labelled axes and at least one mark with real extent on screen.
            assert drawn.nth(i).locator("text").count() >= 3
            largest_mark = drawn.nth(i).evaluate(
                "svg => Math.max(...[...svg.querySelectorAll('path, rect, line')].map(e => {"
                " const b = e.getBoundingClientRect(); return Math.max(b.width, b.height); }))"
            )
            assert largest_mark > 100
        assert page.locator(f"#{first_rule}").is_visible()
        assert first_visit <= FIRST_VISIT_BUDGET, f"first visit transfers {first_visit} bytes"
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        report = json.loads(REPORT.read_text()) if REPORT.exists() else {}
        report[slug] = {"requests": len(visit.requests), "bytes_transferred": first_visit}
        REPORT.write_text(json.dumps(report, indent=2))
    finally:
        visit.close()


def test_clicking_a_number_lands_on_its_evidence_row(browser: Browser, site_url: str) -> None:
    visit = Visit(browser, f"{site_url}/build-vs-buy/")
    try:
        page = visit.page
        links = page.locator("a.claim")
        assert links.count() > 20
        hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
        link = page.locator('a.claim[href$="#B5"]').first
        expected = link.inner_text()
        link.click()
        page.wait_for_url("**/evidence/#B5")
        row = page.locator("#B5")
        assert row.is_visible()
        assert row.evaluate("e => e.getBoundingClientRect().top") < 300  # scrolled to it
        assert "Confirmed" in row.inner_text()  # the verdict is on the claim's own line
        details = page.locator("#B5 + ul").inner_text()
        assert expected in details and "Source:" in details and "Note:" in details
        by_page: dict[str, set[str]] = {}
        for href in hrefs:
            assert href and re.fullmatch(r"\.\./(evidence|serving|methods)/#[\w-]+", href), href
            target, anchor = href.removeprefix("../").split("#", 1)
            by_page.setdefault(target, set()).add(anchor)
        for target, anchors in by_page.items():
            page.goto(f"{site_url}/{target}")
            for anchor in anchors:
                assert page.locator(f'[id="{anchor}"]').count() == 1, f"{target}#{anchor}"
    finally:
        visit.close()


def test_rule_anchor_resolves_from_a_permalink(browser: Browser, site_url: str) -> None:
    visit = Visit(browser, f"{site_url}/build-vs-buy/#bvb-3")
    try:
        top = visit.page.locator("#bvb-3").evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top < 300
    finally:
        visit.close()
