"""Every page in a real browser: offline, drawn, error-free, narrow-screen and dark-mode safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests._browser import Visit

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted("" if p.stem == "index" else f"{p.stem}/" for p in DOCS.glob("*.md"))

CONTRAST_JS = """() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const body = getComputedStyle(document.body);
  const bg = getComputedStyle(document.querySelector('.md-main') || document.body)
      .backgroundColor;
  const background = bg.includes('rgba(0, 0, 0, 0)') ? body.backgroundColor : bg;
  const text = getComputedStyle(document.querySelector('.md-typeset')).color;
  const [l1, l2] = [lum(rgb(text)), lum(rgb(background))].sort((a, b) => b - a);
  return {ratio: (l1 + 0.05) / (l2 + 0.05), background: lum(rgb(background))};
}"""


SMALLEST_CHART_TEXT_JS = """() => {
  const sizes = [...document.querySelectorAll('figure.playbook-chart svg text')].map(t => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  });
  return sizes.length ? Math.min(...sizes) : null;
}"""
"""The smallest chart text as drawn on screen, in CSS pixels (font size times the SVG's
scale): a chart shrunk to a phone's width would draw its labels at five pixels."""

HIDDEN_COLUMNS_JS = """() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .filter(w => !getComputedStyle(w).backgroundImage.includes('gradient'))
  .map(w => (w.querySelector('th') || w).textContent.trim().slice(0, 40))"""
"""Tables wider than the screen whose scrolling container draws no edge shadow."""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p or "home")
def test_page_in_a_real_browser(browser: Browser, site_url: str, page: str) -> None:
    desktop = Visit(browser, f"{site_url}/{page}")
    try:
        assert desktop.blocked == [], f"requests to third-party hosts: {desktop.blocked}"
        assert desktop.console_errors == []
        charts = desktop.page.locator("figure.playbook-chart svg")
        for i in range(charts.count()):
            assert charts.nth(i).locator("text").count() >= 3, f"chart {i} has no labels"
    finally:
        desktop.close()

    mobile = Visit(browser, f"{site_url}/{page}", width=390)
    try:
        overflow = mobile.page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{page or 'home'} scrolls sideways by {overflow}px at 390px"
        smallest = mobile.page.evaluate(SMALLEST_CHART_TEXT_JS)
        assert smallest is None or smallest >= 10, f"chart text drawn at {smallest:.1f}px"
        hidden = mobile.page.evaluate(HIDDEN_COLUMNS_JS)
        assert not hidden, f"tables that scroll with no visible cue: {hidden}"
    finally:
        mobile.close()

    dark = Visit(browser, f"{site_url}/{page}", color_scheme="dark")
    try:
        result = dark.page.evaluate(CONTRAST_JS)
        assert result["background"] < 0.1, "dark mode did not apply"
        assert result["ratio"] >= 4.5, f"text contrast {result['ratio']:.1f} in dark mode"
        cards = dark.page.locator("figure.playbook-chart")
        for i in range(cards.count()):
            assert cards.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") == (
                "rgb(255, 255, 255)"
            ), "charts sit on a white card in dark mode"
    finally:
        dark.close()


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("Erlang", "batch-vs-realtime/"),
        ("Clopper", "human-oversight/"),
        ("Learn-then-Test", "methods/"),
    ],
)
def test_search_finds_the_methods_where_pages_discuss_them(
    browser: Browser, site_url: str, query: str, page: str
) -> None:
    """Words after punctuation ("(Erlang C)") are indexed, and a hyphenated query finds the
    words it joins."""
    visit = Visit(browser, f"{site_url}/")
    try:
        box = visit.page.locator(".md-search__input")
        box.click()
        visit.page.keyboard.type(query)  # typed, as a reader does: the search listens to keys
        results = visit.page.locator(".md-search-result__link")
        results.first.wait_for(timeout=10_000)
        hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
        assert any(page in href for href in hrefs), (query, hrefs)
    finally:
        visit.close()


def test_the_evidence_filter_keeps_only_matching_claims(browser: Browser, site_url: str) -> None:
    visit = Visit(browser, f"{site_url}/evidence/", width=390)
    try:
        page = visit.page
        total = page.locator(".md-typeset p[id]").count()
        page.locator("#evidence-filter").fill("deprecation notice")
        visible = page.locator(".md-typeset p[id]:visible")
        assert 1 <= visible.count() < total
        assert "B8" in [visible.nth(i).get_attribute("id") for i in range(visible.count())]
        assert f"of {total} claims" in page.locator("#evidence-filter-count").inner_text()
        page.locator("#evidence-filter").fill("")
        assert page.locator(".md-typeset p[id]:visible").count() == total
    finally:
        visit.close()
