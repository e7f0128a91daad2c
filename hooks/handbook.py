"""MkDocs hooks of the handbook: claim references, the evidence page and the playbooks.

The logic lives in ``tradeoffs._site`` (typed and unit-tested); this file only wires it to
MkDocs events. Playbooks run once per build, when their page is rendered.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import nbformat
from mkdocs.structure.files import File, Files

from tradeoffs import _site
from tradeoffs._catalog import TRADEOFFS
from tradeoffs._notebook import notebook, playbook_source

log = logging.getLogger("mkdocs.plugins.handbook")
PLAYBOOKS = tuple(t.module for t in TRADEOFFS)
"""Every trade-off publishes its playbook (a downloadable .ipynb and an embedded run)."""


def on_files(files: Files, config: Any) -> Files:
    for tradeoff in TRADEOFFS:
        module = tradeoff.module
        content = nbformat.writes(notebook(tradeoff.slug)) + "\n"
        files.append(File.generated(config, f"playbooks/{module}.ipynb", content=content))
        source = playbook_source(tradeoff.slug)
        files.append(File.generated(config, f"playbooks/{module}.py", content=source))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    if _site.EVIDENCE_MARKER in markdown or _site.SUMMARY_MARKER in markdown:
        markdown = _site.render_evidence_page(markdown)
    if _site.GROUP_EVIDENCE_MARKER.search(markdown) or _site.CALIBRATION_MARKER in markdown:
        markdown = _site.render_group_page(markdown)
    markdown = _site.page_furniture(
        markdown,
        page.meta.get("figures_checked"),
        config.extra.get("colab_base", ""),
    )
    match = _site.PLAYBOOK_MARKER.search(markdown)
    if match:
        module = match["module"]
        if module not in PLAYBOOKS:
            raise _site.SiteError(f"{page.file.src_uri}: no published playbook {module!r}")
        started = time.perf_counter()
        nb = _site.execute_playbook(module)
        log.info("executed playbook %s in %.1f s", module, time.perf_counter() - started)
        markdown = markdown.replace(match[0], _site.notebook_markdown(nb, module))
    depth = page.file.src_uri.count("/")
    url_depth = page.url.count("/")  # "build-vs-buy/" is one level below the site root
    return _site.render_claim_refs(
        markdown, "../" * depth + "evidence.md", "../" * url_depth + "evidence/"
    )


def on_post_page(output: str, page: Any, config: Any) -> str:
    return _site.polish_html(output)


__all__ = ["on_files", "on_page_markdown", "on_post_page"]
