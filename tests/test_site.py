"""The built site: strict build, published anchors, page weight, no third-party requests."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests._expected import PLAYBOOK_PAGES
from tradeoffs._notebook import wheel_name
from tradeoffs.evidence import load_registry

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "published-anchors.txt"
MAX_PAGE_BYTES = 80 * 1024
MAX_NOTEBOOK_PAGE_BYTES = 150 * 1024
"""A playbook shown whole as a notebook (code and outputs) may weigh more."""


class _Collector(HTMLParser):
    """Ids, and every URL the browser would *fetch* (not plain links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("rel") in (
            "stylesheet",
            "preload",
            "modulepreload",
            "icon",
            "preconnect",
            "dns-prefetch",
        ):
            self.fetched.append(a.get("href", ""))


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def manifest_entries() -> list[tuple[str, str]]:
    entries = []
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            page, _, anchor = line.partition("#")
            entries.append((page, anchor))
    return entries


def page_file(site: Path, page: str) -> Path:
    return site / page / "index.html" if page else site / "index.html"


def test_published_anchors_still_exist(built_site: Path) -> None:
    missing = [
        f"{page}#{anchor}"
        for page, anchor in manifest_entries()
        if anchor not in parse(page_file(built_site, page)).ids
    ]
    assert not missing, f"published anchors vanished: {missing}"


def test_manifest_covers_every_rule_and_claim(built_site: Path) -> None:
    entries = set(manifest_entries())
    pages = {c.id: c.page.removesuffix(".md") + "/" for c in load_registry()}
    assert {(page, claim) for claim, page in pages.items()} <= entries
    for slug in PLAYBOOK_PAGES:
        rules = re.findall(r"\{#([a-z]+-\d+)\}", (ROOT / "docs" / f"{slug}.md").read_text())
        assert rules and {(f"{slug}/", r) for r in rules} <= entries


def test_every_claim_has_its_row_on_the_evidence_page(built_site: Path) -> None:
    """Every claim has its row: on the evidence page, or a shared model's claims on that
    model's page (the serving model's datasheets and model shapes)."""
    for page in {c.page for c in load_registry()}:
        ids = parse(page_file(built_site, page.removesuffix(".md") + "/")).ids
        assert {c.id for c in load_registry() if c.page == page} <= ids, page


def test_claim_links_point_at_existing_rows(built_site: Path) -> None:
    evidence_ids = parse(built_site / "evidence" / "index.html").ids
    for slug in PLAYBOOK_PAGES:
        page = page_file(built_site, f"{slug}/").read_text(encoding="utf-8")
        targets = re.findall(r'href="\.\./evidence/#([^"]+)"', page)
        assert len(targets) > 10, slug
        assert set(targets) <= evidence_ids, slug


def test_no_page_fetches_from_a_third_party_host(built_site: Path) -> None:
    offenders = []
    for html in built_site.rglob("*.html"):
        for url in parse(html).fetched:
            host = urlsplit(url).hostname
            if host not in (None, "127.0.0.1", "localhost"):
                offenders.append(f"{html.relative_to(built_site)}: {url}")
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(['\"]?(https?://[^)'\"]+)", css.read_text(errors="ignore")):
            offenders.append(f"{css.relative_to(built_site)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_every_page_is_light(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) >= 9

    def budget(page: Path) -> int:
        notebook = page.relative_to(built_site).parts[0] == "notebooks"
        return MAX_NOTEBOOK_PAGE_BYTES if notebook else MAX_PAGE_BYTES

    heavy = {
        p.relative_to(built_site).as_posix(): (p.stat().st_size, budget(p))
        for p in pages
        if p.stat().st_size > budget(p)
    }
    assert not heavy, f"pages over their budget of HTML bytes (size, budget): {heavy}"


def test_playbook_pages_embed_charts_and_the_decision(built_site: Path) -> None:
    for slug, count in PLAYBOOK_PAGES.items():
        module = slug.replace("-", "_")
        page = page_file(built_site, f"{slug}/").read_text(encoding="utf-8")
        charts = re.findall(
            r'<figure class="playbook-chart" data-search-exclude><svg role="img" '
            r'aria-label="([^"]+)"',
            page,
        )
        assert len(charts) == count and all(len(label) > 40 for label in charts), slug
        assert re.search(r"by rule <strong>[A-Z]+-\d</strong>", page), slug
        assert f'href="../playbooks/{module}.ipynb"' in page
        assert (built_site / "playbooks" / f"{module}.ipynb").stat().st_size > 1000
        published = json.loads((built_site / "playbooks" / f"{module}.ipynb").read_text())
        assert "jupytext" not in published["metadata"], module
        assert (built_site / "playbooks" / f"{module}.py").stat().st_size > 1000
        cells = "".join("".join(c["source"]) for c in published["cells"])
        assert f"/dist/{wheel_name()}" in cells, module  # the install cell names the wheel
        assert (built_site / "dist" / wheel_name()).is_file()


def test_each_playbook_has_a_notebook_page_with_its_code_and_charts(built_site: Path) -> None:
    """mkdocs-jupyter's page of the executed notebook: code cells, every chart as the inline
    labelled SVG, none of the inlined JupyterLab stylesheet or CDN scripts, linked from the
    trade-off page."""
    for slug, count in PLAYBOOK_PAGES.items():
        module = slug.replace("-", "_")
        trade_off = page_file(built_site, f"{slug}/").read_text(encoding="utf-8")
        assert f'href="../notebooks/{module}/"' in trade_off, slug
        page = (built_site / "notebooks" / module / "index.html").read_text(encoding="utf-8")
        charts = re.findall(r'<figure class="playbook-chart"><svg role="img" aria-label="', page)
        assert len(charts) == count, (slug, len(charts))
        assert page.count('<div class="highlight"><pre><code>') >= 5, slug
        assert "jp-Notebook" in page and "<style" not in page and "mathjax" not in page.lower()
        assert "anchor-link" not in page and "clipboard-copy" not in page
        assert "check_parameters" in page and "parameters" in page


def test_two_clean_builds_are_byte_identical(
    built_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Playbooks run again, with recorded timings (tradeoffs._recorded); sitemaps aside."""
    import os
    import subprocess
    import sys

    second = tmp_path_factory.mktemp("site-again")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(second)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )

    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and not p.name.startswith("sitemap")
        }

    first_files, second_files = files(built_site), files(second)
    assert first_files.keys() == second_files.keys()
    differing = [name for name in first_files if first_files[name] != second_files[name]]
    assert not differing, differing


def test_a_pages_build_takes_its_addresses_from_the_deploy_environment(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """As the Pages workflow runs it: scripts/deploy_env.py derives the site's and Colab's
    addresses from GitHub's own variables; the build then names them in canonical links, the
    sitemap, the Colab buttons and the notebooks' install cell, and never the local server."""
    import os
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from deploy_env import deploy_env

    env = deploy_env({"GITHUB_REPOSITORY": "Octo-Org/handbook"})
    assert env["SITE_URL"] == "https://octo-org.github.io/handbook/"
    out = tmp_path_factory.mktemp("pages-site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    local = [
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.suffix in (".html", ".xml", ".ipynb") and "127.0.0.1" in p.read_text(errors="ignore")
    ]
    assert not local, local
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://octo-org.github.io/handbook/">' in home
    assert "https://octo-org.github.io/handbook/build-vs-buy/" in (out / "sitemap.xml").read_text()
    for slug in PLAYBOOK_PAGES:
        module = slug.replace("-", "_")
        page = (out / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="{env["COLAB_BASE"]}/{module}.ipynb"' in page, slug
        notebook = (out / "playbooks" / f"{module}.ipynb").read_text(encoding="utf-8")
        assert f"{env['SITE_URL']}dist/{wheel_name()}" in notebook, slug
