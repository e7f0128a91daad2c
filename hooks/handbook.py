"""MkDocs hooks of the handbook: claim references, the evidence page and the playbooks.

The logic lives in ``tradeoffs._site`` (typed and unit-tested); this file only wires it to
MkDocs events. Playbooks run once per build, when their page is rendered.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from tradeoffs import _site
from tradeoffs._catalog import TRADEOFFS
from tradeoffs._notebook import notebook, playbook_source, wheel_name
from tradeoffs.evidence._stale import stale_claims_markdown

log = logging.getLogger("mkdocs.plugins.handbook")
PLAYBOOKS = tuple(t.module for t in TRADEOFFS)
"""Every trade-off publishes its playbook (a downloadable .ipynb and an embedded run)."""


EXECUTED: dict[str, Any] = {}
"""Each playbook, executed once per build: its trade-off page embeds a summary of it and
mkdocs-jupyter renders it whole as the notebook page."""
NOTEBOOK_PAGES = Path(tempfile.mkdtemp(prefix="handbook-notebooks-"))
"""Where the executed notebooks are written for mkdocs-jupyter, which reads files from disk."""


@event_priority(100)  # before mkdocs-jupyter turns the notebook files into pages
def on_files(files: Files, config: Any) -> Files:
    for folder in ("notebooks", "playbooks"):
        (NOTEBOOK_PAGES / folder).mkdir(parents=True, exist_ok=True)

    def add(path: str, content: str) -> None:  # a real file: mkdocs-jupyter reads from disk
        (NOTEBOOK_PAGES / path).write_text(content, encoding="utf-8")
        files.append(File(path, str(NOTEBOOK_PAGES), config.site_dir, config.use_directory_urls))

    for tradeoff in TRADEOFFS:
        module = tradeoff.module
        # the install cell names the wheel this build publishes, at the site's own address
        add(f"playbooks/{module}.ipynb", nbformat.writes(notebook(tradeoff.slug, config.site_url)))
        add(f"playbooks/{module}.py", playbook_source(tradeoff.slug))

    def run(module: str) -> tuple[str, Any]:
        started = time.perf_counter()
        nb = _site.execute_playbook(module, site_url=config.site_url)
        log.info("executed playbook %s in %.1f s", module, time.perf_counter() - started)
        return module, nb

    # two kernels at a time, one numeric thread each: the build machine has two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        EXECUTED.update(pool.map(run, PLAYBOOKS))
    for module in PLAYBOOKS:
        add(f"notebooks/{module}.ipynb", nbformat.writes(EXECUTED[module]))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _site.EVIDENCE_MARKER in markdown or _site.SUMMARY_MARKER in markdown:
        markdown = _site.render_evidence_page(markdown)
    if _site.GROUP_EVIDENCE_MARKER.search(markdown) or _site.CALIBRATION_MARKER in markdown:
        markdown = _site.render_group_page(markdown)
    markdown = markdown.replace(_site.INSTALL_MARKER, _site.install_command(config.site_url))
    if _site.RULES_MARKER in markdown:
        markdown = markdown.replace(_site.RULES_MARKER, _site.rules_tables())
    markdown = markdown.replace(_site.ARTICLE_MARKER, _site.article_line())
    markdown = markdown.replace(_site.STALE_MARKER, stale_claims_markdown())
    match = _site.PLAYBOOK_MARKER.search(markdown)
    if match and match["module"] not in PLAYBOOKS:
        raise _site.SiteError(f"{page.file.src_uri}: no published playbook {match['module']!r}")
    markdown = _site.page_furniture(
        markdown,
        page.meta.get("figures_checked"),
        config.extra.get("colab_base", ""),
        _site.defaults_decision(EXECUTED[match["module"]]) if match else "",
    )
    match = _site.PLAYBOOK_MARKER.search(markdown)
    if match:
        module = match["module"]
        markdown = markdown.replace(match[0], _site.notebook_markdown(EXECUTED[module], module))
    depth = page.file.src_uri.count("/")
    url_depth = page.url.count("/")  # "build-vs-buy/" is one level below the site root
    return _site.render_claim_refs(
        markdown, "../" * depth + "evidence.md", "../" * url_depth + "evidence/"
    )


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Notebook pages stay out of the search index, which every first visit downloads: the
    trade-off pages carry the same prose, and the code would only add noise."""
    if page.file.src_uri.startswith("notebooks/"):
        page.meta["search"] = {"exclude": True}
    return html


def on_post_page(output: str, page: Any, config: Any) -> str:
    if page.file.src_uri.startswith("notebooks/"):
        output = _site.polish_notebook_html(output)
    return _site.polish_html(output)


def on_post_build(config: Any) -> None:
    """Publish this version's wheel under ``dist/``, where the notebooks' install cell finds
    it (hatchling builds it reproducibly: two builds give the same bytes)."""
    dist = Path(config.site_dir) / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist)],
        cwd=Path(config.config_file_path).parent,
        check=True,
        capture_output=True,
    )
    log.info("published %s", wheel_name())


__all__ = ["on_files", "on_page_content", "on_page_markdown", "on_post_build", "on_post_page"]
