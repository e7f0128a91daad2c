"""What the handbook's MkDocs hook does to pages, kept in the package so it is typed and tested.

Three jobs:

* claim references in prose (``[[B7.input]]``) become the figure's value, linked to its row on
  the evidence page, so no number on a page is typed by hand;
* the evidence page's marker becomes the whole registry, grouped by trade-off, with the claim
  check of the article at the top;
* a playbook marker (``<!-- playbook: build_vs_buy -->``) becomes the executed notebook, its
  charts as static inline SVG and its tables as plain HTML.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from typing import Any

from tradeoffs._catalog import TRADEOFFS
from tradeoffs._notebook import ANNOTATION
from tradeoffs.evidence import TRADEOFF_SLUGS, Claim, Registry, Verdict, load_registry
from tradeoffs.formatting import figure_text

CLAIM_REF = re.compile(r"\[\[(?P<id>[A-Za-z0-9-]+)(?:\.(?P<key>[a-z0-9_]+))?\]\]")
CLAIM_LINK = re.compile(r"\[\[link:(?P<id>[A-Za-z0-9-]+)\]\]")
VERDICT_REF = re.compile(r"\[\[verdict:(?P<id>[A-Za-z0-9-]+)\]\]")
PLAYBOOK_MARKER = re.compile(r"<!--\s*playbook:\s*(?P<module>[a-z_]+)\s*-->")
EVIDENCE_MARKER = "<!-- evidence-registry -->"
SUMMARY_MARKER = "<!-- claim-check-summary -->"

CALIBRATION_MARKER = "<!-- serving-calibration -->"

TRADEOFF_TITLES = {t.slug: t.title for t in TRADEOFFS} | {
    "serving": "GPU datasheets and open-model shapes",
    "methods": "Statistical methods and model lifecycles",
}
GROUP_EVIDENCE_MARKER = re.compile(r"<!-- (?P<group>serving|methods)-evidence -->")
"""Where a shared group's page lists its registry rows."""


class SiteError(ValueError):
    """A page refers to something the registry or the playbooks do not have."""


# --- Claim references -----------------------------------------------------------------------


def render_claim_refs(
    markdown: str, evidence_href: str, evidence_url: str, registry: Registry | None = None
) -> str:
    """Replace every ``[[ID]]`` / ``[[ID.key]]`` with the figure's text linked to its row, and
    every ``[[verdict:ID]]`` with the claim's verdict badge, so neither is typed by hand.

    ``evidence_href`` is the evidence page as a Markdown link target (MkDocs checks it);
    ``evidence_url`` is its final relative URL, for links inside raw HTML such as tables.
    """
    reg = registry or load_registry()

    def href(claim: Claim) -> str:  # a shared model's claims live on that model's page
        return evidence_href.removesuffix("evidence.md") + claim.page

    def url(claim: Claim) -> str:
        return evidence_url.removesuffix("evidence/") + claim.page.removesuffix(".md") + "/"

    def verdict(match: re.Match[str]) -> str:
        try:
            claim = reg.claim(match["id"])
        except KeyError as exc:
            raise SiteError(f"verdict reference {match[0]}: {exc.args[0]}") from None
        meaning = claim.verdict.meaning.replace('"', "'")
        return (
            f'[{claim.verdict.label}]({href(claim)}#{claim.anchor} "{claim.id}: {meaning}")'
            f"{{ .verdict .v-{claim.verdict.value} }}"
        )

    def link(match: re.Match[str]) -> str:
        try:
            claim = reg.claim(match["id"])
        except KeyError as exc:
            raise SiteError(f"claim link {match[0]}: {exc.args[0]}") from None
        return f'<a href="{url(claim)}#{claim.anchor}">{claim.id}</a>'

    markdown = VERDICT_REF.sub(verdict, markdown)
    markdown = CLAIM_LINK.sub(link, markdown)

    def replace(match: re.Match[str]) -> str:
        claim_id, key = match["id"], match["key"]
        try:
            claim = reg.claim(claim_id)
            fig = claim.figure(key)
        except KeyError as exc:
            raise SiteError(f"claim reference {match[0]}: {exc.args[0]}") from None
        title = f"{claim.id} · {claim.verdict.label}"
        return (
            f'[{figure_text(fig)}]({href(claim)}#{claim.anchor} "{title}")'
            f"{{ .claim .v-{claim.verdict.value} }}"
        )

    return CLAIM_REF.sub(replace, markdown)


# --- The evidence page ----------------------------------------------------------------------


def verdict_counts(claims: Iterable[Claim]) -> Counter[Verdict]:
    return Counter(c.verdict for c in claims)


def claim_check_summary(registry: Registry | None = None) -> str:
    """Counts by verdict: the article's own claims, then every row of the registry."""
    reg = registry or load_registry()
    article = [c for c in reg if c.article]
    audit = [c for c in reg if re.fullmatch(r"[A-G]\d+", c.id)]
    everything = list(reg)
    counts = [verdict_counts(article), verdict_counts(audit), verdict_counts(everything)]
    lines = [
        "| Verdict | What it means | The article's claims | Audit rows | All registry rows |",
        "|---|---|---:|---:|---:|",
    ]
    for verdict in Verdict:
        cells = [str(c.get(verdict, 0)) for c in counts]
        lines.append(f"| {_badge(verdict)} | {verdict.meaning} | " + " | ".join(cells) + " |")
    totals = [str(sum(c.values())) for c in counts]
    lines.append("| **Total** | | " + " | ".join(f"**{t}**" for t in totals) + " |")
    return "\n".join(lines)


def _badge(verdict: Verdict) -> str:
    return f'<span class="verdict v-{verdict.value}">{verdict.label}</span>'


def _source_line(registry: Registry, source_id: str) -> str:
    src = registry.sources[source_id]
    date = f", {src.date}" if src.date else ""
    title = html.escape(src.title)
    linked = f"[{title}]({src.url})" if src.url else title
    via = f" Read via {html.escape(src.read_via)}." if src.read_via else ""
    via += f" No address: {html.escape(src.no_url)}." if src.no_url else ""
    return f"{html.escape(src.authors)}, {linked}, {html.escape(src.venue)}{date}.{via}"


def evidence_section(registry: Registry, slug: str) -> str:
    """One trade-off's claims. Each claim's row is a paragraph whose id is the claim id (a
    stable anchor MkDocs checks links against), not a heading: sixty headings would bloat the
    page's table of contents and give every row a permalink it already has."""
    # Left out of the search index, which every first visit downloads: the pages' prose
    # carries the same claims and links to these rows.
    out = [f"## {TRADEOFF_TITLES[slug]} {{#ev-{slug} data-search-exclude}}", ""]
    for claim in registry.for_tradeoff(slug):
        out += [
            f"**{claim.id}** {_badge(claim.verdict)} {html.escape(claim.statement)}",
            f"{{: #{claim.anchor} }}",
            "",
        ]
        details = []
        if claim.figures:
            details.append(
                "Figures: "
                + "; ".join(
                    f"{html.escape(f.label or k)} {figure_text(f)}"
                    for k, f in claim.figures.items()
                )
            )
        if claim.article:
            details.append("Claimed in the source article or its write-ups")
        if claim.as_of or claim.provider:
            bits = [claim.provider, f"as of {claim.as_of.isoformat()}" if claim.as_of else ""]
            details.append("Price data: " + ", ".join(b for b in bits if b))
        if claim.sources:
            details += [f"Source: {_source_line(registry, s)}" for s in claim.sources]
        else:
            details.append("Source: none located")
        if claim.note:
            details.append(f"Note: {html.escape(claim.note)}")
        out += [f"- {d}" for d in details] + [""]
        if claim.excerpt:
            out += [f"> {html.escape(claim.excerpt)}", ""]
    return "\n".join(out)


def render_evidence_page(markdown: str, registry: Registry | None = None) -> str:
    reg = registry or load_registry()
    body = "\n\n".join(
        evidence_section(reg, slug) for slug in TRADEOFF_SLUGS if reg.for_tradeoff(slug)
    )
    return markdown.replace(SUMMARY_MARKER, claim_check_summary(reg)).replace(EVIDENCE_MARKER, body)


def render_group_page(markdown: str, registry: Registry | None = None) -> str:
    """A shared group's page (serving, methods): its registry rows and, for serving, its
    calibration, both generated."""
    reg = registry or load_registry()
    markdown = GROUP_EVIDENCE_MARKER.sub(lambda m: evidence_section(reg, m["group"]), markdown)
    if CALIBRATION_MARKER in markdown:
        markdown = markdown.replace(CALIBRATION_MARKER, calibration_table())
    return markdown


def calibration_table() -> str:
    """Estimate against benchmark for every calibration cell, and the fitted efficiencies:
    the fit is shown, never hidden."""
    from tradeoffs.serving import calibration

    data = calibration()
    fit, cells, load = data["fit"], data["cells"], data["workload"]
    assert isinstance(fit, dict) and isinstance(cells, list) and isinstance(load, dict)
    lines = [
        "| Model (FP8) | GPUs | Lambda measured, output tokens/s | Our estimate | Error |",
        "|---|---|---:|---:|---:|",
    ]
    for c in cells:
        lines.append(
            f"| {c['model']} | {c['tp']} × {c['gpu']} | [[vllm-throughput-lambda.{c['cell']}]] "
            f"| {c['estimated_tokens_per_s']:,.0f} | {c['error']:+.0%} |"
        )
    worst = max(abs(float(c["error"])) for c in cells)
    bounds = data["bounds"]
    assert isinstance(bounds, dict)
    at_bound = [k for k in ("bandwidth", "compute") if float(fit[k]) >= float(bounds[k][1])]
    bound_note = (
        f" The {' and '.join(at_bound)} efficiency sits at its upper bound: the benchmark alone "
        "would push it higher, and the engine overhead takes up the rest."
        if at_bound
        else ""
    )
    lines += [
        "",
        f"Fitted: bandwidth efficiency {float(fit['bandwidth']):.0%}, compute efficiency "
        f"{float(fit['compute']):.0%}, engine overhead {float(fit['step_overhead_s']) * 1000:.1f} "
        f"ms per step; workload {load['input_tokens']} prompt and {load['output_tokens']} "
        f"output tokens a request. Largest error {worst:.0%}.{bound_note}",
    ]
    return "\n".join(lines)


# --- Playbooks ------------------------------------------------------------------------------

_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _scope_svg(svg: str, prefix: str) -> str:
    """Make an inline SVG's ids unique on the page (Vega numbers clip paths from 1 in every
    chart, and several charts share one HTML document)."""
    ids = set(_SVG_ID.findall(svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{old}"
        svg = (
            svg.replace(f'id="{old}"', f'id="{new}"')
            .replace(f"url(#{old})", f"url(#{new})")
            .replace(f'href="#{old}"', f'href="#{new}"')
        )
    return " ".join(svg.split())


def execute_playbook(module: str, timeout: int = 120, site_url: str | None = None) -> Any:
    """Run the playbook in a fresh kernel with charts rendered as SVG; errors fail the build.
    ``site_url`` is the site's address, which the notebook's install cell names."""
    import nbclient
    from jupyter_client.manager import KernelManager

    from tradeoffs._notebook import notebook

    nb = notebook(module.replace("_", "-"), site_url)
    # The kernel's environment: static SVG charts, recorded timings so that two builds give
    # the same pages (see tradeoffs._recorded), and one numeric thread, since the build runs
    # two kernels at a time. Passed to the kernel, not set here: builds run them in threads.
    env = {
        **os.environ,
        "TRADEOFFS_CHARTS": "svg",
        "TRADEOFFS_TIMINGS": "recorded",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    # IPC, not TCP, between client and kernel: local only, and no warning in the build log
    with tempfile.TemporaryDirectory(prefix="handbook-kernel-") as sockets:
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/k")
        try:
            client = nbclient.NotebookClient(nb, timeout=timeout, km=manager)
            client.execute(env=env, cleanup_kc=True)
        finally:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
    return nb


def notebook_markdown(nb: Any, module: str) -> str:
    """An executed notebook as page Markdown: prose as is, the parameters cell shown, outputs
    inline. The other code cells stay in the notebook and the published source: they only
    call the library, and folding them into the page would cost a sixth of its weight."""
    out: list[str] = []
    chart = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            out += [_demote_headings(cell.source), ""]
            continue
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if "parameters" in cell.metadata.get("tags", []):
            shown = "\n".join(
                line for line in cell.source.splitlines() if not line.startswith(ANNOTATION)
            )
            out += [
                '<details class="playbook-code" open markdown data-search-exclude>',
                "<summary>Parameters: change these to your numbers</summary>",
                "",
                "```",
                shown.rstrip(),
                "```",
                "",
                "</details>",
                "",
            ]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data:
                chart += 1
                svg = _scope_svg(data["image/svg+xml"], f"{module}-c{chart}")
                # Chart text (tick labels, legends) would only add noise to the search index.
                out += [f'<figure class="playbook-chart" data-search-exclude>{svg}</figure>', ""]
            elif "text/html" in data:
                table = " ".join(data["text/html"].split()).replace(
                    "<table>", "<table data-search-exclude>", 1
                )
                out += [_link_claim_cells(table), ""]
            elif "text/markdown" in data:
                out += [data["text/markdown"], ""]
            elif output.get("output_type") == "stream" or "text/plain" in data:
                text = output.get("text") or data.get("text/plain", "")
                out += ["```text", text.rstrip(), "```", ""]
    return "\n".join(out)


_CLAIM_CELL = re.compile(r"<td>([A-Za-z0-9-]+)</td>")


def _link_claim_cells(table: str) -> str:
    """In a playbook's tables, a cell holding just a claim id becomes a link to its row, as
    ``[[ID]]`` placeholders that :func:`render_claim_refs` resolves with the page's path."""
    claims = load_registry().claims
    return _CLAIM_CELL.sub(lambda m: f"<td>[[link:{m[1]}]]</td>" if m[1] in claims else m[0], table)


def _demote_headings(source: str) -> str:
    """The playbook's own headings sit under the page's "Playbook" section: h1 -> h3 etc."""
    return re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m[1]) + 2) + " ", source, flags=re.M)


# --- Per-page furniture ---------------------------------------------------------------------


RULES_MARKER = "<!-- rules-table -->"
STALE_MARKER = "<!-- stale-claims -->"
ARTICLE_MARKER = "<!-- source-article -->"


def rules_tables() -> str:
    """Every numbered rule, by trade-off: its id linked to its section and its statement,
    read from ``data/rules.toml`` (the same titles the pages' headings must carry)."""
    from tradeoffs._spec import rules

    out: list[str] = []
    for tradeoff in TRADEOFFS:
        out += [
            f"## {tradeoff.title} {{#rules-{tradeoff.slug}}}",
            "",
            "| Rule | Statement |",
            "|---|---|",
        ]
        for rule in rules(tradeoff.slug).values():
            link = f"[{rule.id}]({tradeoff.slug}.md#{rule.anchor})"
            out.append(f"| {link} | {html.escape(rule.title)} |")
        out.append("")
    return "\n".join(out)


def article_line(registry: Registry | None = None) -> str:
    """The source article, named and linked from the registry's own record of it."""
    src = (registry or load_registry()).sources["article"]
    return (
        f"Source article: {html.escape(src.authors)}, [*{html.escape(src.title)}*]({src.url}), "
        f"{html.escape(src.venue)}, {src.date}. Each claim taken from it was checked; the "
        "Evidence page gives every verdict."
    )


INSTALL_MARKER = "<!-- install-command -->"


def install_command(site_url: str) -> str:
    """The pip command for the wheel this build publishes, at the site's address."""
    from tradeoffs._notebook import wheel_url

    return f"```sh\npython -m pip install '{wheel_url(site_url)}'\n```"


def defaults_decision(nb: Any) -> str:
    """The verdict an executed playbook printed last, up to its rule ("**Batch**, by rule
    **BVR-1** (…)."): the reasons follow at the end of the page."""
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            text = str(output.get("data", {}).get("text/markdown", ""))
            if " by rule " in text:
                return text.split("). ", 1)[0].rstrip(".") + ("" if text.endswith(")") else ").")
    return ""


def page_furniture(
    markdown: str, figures_checked: object, colab_base: str, decision: str = ""
) -> str:
    """Under a trade-off page's one-line decision: when its figures were last checked and the
    playbook's links. The Colab link needs the built notebooks in a public GitHub folder:
    ``colab_base`` is Colab's address for it (``https://colab.research.google.com/github/
    OWNER/REPO/blob/BRANCH/FOLDER``), set as ``extra.colab_base`` in mkdocs.yml."""
    match = PLAYBOOK_MARKER.search(markdown)
    if match is None or figures_checked is None:
        return markdown
    module = match["module"]
    links = [
        f"[Download notebook (.ipynb)](playbooks/{module}.ipynb){{ .md-button }}",
        f"[Read it as a notebook](notebooks/{module}.ipynb){{ .md-button }}",
    ]
    if colab_base:
        links.append(f"[Open in Colab]({colab_base.rstrip('/')}/{module}.ipynb){{ .md-button }}")
    line = f"Figures last checked: {figures_checked}. " + " ".join(links) + "\n\n"
    if decision:  # so that a reader sees the answer at the defaults without scrolling to it
        line += f'!!! note "At the defaults of the playbook below"\n    {decision}\n\n'
    line += article_line()
    # after the first admonition block (the decision in one line)
    anchor = markdown.find("\n## ")
    return markdown[:anchor] + "\n" + line + "\n" + markdown[anchor:] if anchor > 0 else markdown


# --- Final HTML -----------------------------------------------------------------------------

_TASK_BOX = re.compile(r'<input type="checkbox" disabled(="")?\s*/?>')


def polish_html(html_text: str) -> str:
    """Accessibility fixes to the theme's own markup, applied to every built page.

    Material's search dialog has no accessible name, and the disabled checkboxes of a
    checklist have no label; both fail an accessibility audit.
    """
    html_text = html_text.replace(
        'data-md-component="search" role="dialog"',
        'data-md-component="search" role="dialog" aria-label="Search"',
        1,
    )
    return _TASK_BOX.sub(
        '<input type="checkbox" disabled aria-label="Checklist item, not yet checked">', html_text
    )


# --- Notebook pages (mkdocs-jupyter) ---------------------------------------------------------

_NB_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_NB_SCRIPT = re.compile(
    r"<script(?![^>]*\bid=\"__config\")(?![^>]*\bsrc=\"[^\"]+\")[^>]*>.*?</script>", re.S
)
_NB_CLIPBOARD = re.compile(
    r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S
)
_NB_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_NB_COPY_TEXT = re.compile(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.S)
_NB_ANCHOR = re.compile(r'<a class="anchor-link" href="[^"]*">[^<]*</a>')
"""nbconvert's pilcrow after each heading: coloured like a link inside the heading's text,
and the page's table of contents already links every section."""
_NB_IMG_SVG = re.compile(
    r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"\s*/?>'
)
_NB_PROMPT = re.compile(
    r'<div class="jp-(?:In|Out)putPrompt jp-(?:Input|Output)Area-prompt">[^<]*</div>'
)
_NB_COLLAPSER = re.compile(r'<div class="jp-Collapser [^"]*">\s*</div>')
_NB_CODE = re.compile(
    r'<div class="highlight-ipynb hl-python"><pre><span></span>(.*?)</pre></div>', re.S
)
_NB_PLAIN_TOKEN = re.compile(r'<span class="(?:n|p|o|w|nn|nb|mi|mf|ow|kc)">([^<]*)</span>')
"""Names, punctuation, operators, whitespace and numbers: drawn in the text colour anyway,
and wrapped one by one they are two thirds of a notebook page's weight."""


def polish_notebook_html(page: str) -> str:
    """A notebook page from mkdocs-jupyter made as light as the other pages: no inlined
    JupyterLab stylesheet (half a megabyte; ``assets/notebook.css`` styles what is left), no
    scripts for widgets, MathJax or Mermaid (the playbooks use none, and MathJax's loader
    would fetch from a CDN), no second copy button, prompts or collapsers; code as the theme's
    own highlighted, copyable blocks; charts as the inline, labelled SVG the playbook drew
    instead of base64 images with a placeholder description."""
    page = _NB_STYLE.sub("", page)
    page = _NB_SCRIPT.sub("", page)
    page = _NB_CLIPBOARD.sub("", page)
    page = _NB_COPY_TEXT.sub("", page)
    page = _NB_ANCHOR.sub("", page)
    page = _NB_COMMENTS.sub("", page)
    page = _NB_PROMPT.sub("", page)
    page = _NB_COLLAPSER.sub("", page)
    page = _NB_CODE.sub(
        lambda m: (
            '<div class="highlight"><pre><code>'
            + _NB_PLAIN_TOKEN.sub(r"\1", m[1])
            + "</code></pre></div>"
        ),
        page,
    )
    return _NB_IMG_SVG.sub(_inline_svg, page)


def _inline_svg(match: re.Match[str]) -> str:
    import base64

    svg = base64.b64decode(match[1]).decode("utf-8")
    return '<figure class="playbook-chart">' + " ".join(svg.split()) + "</figure>"
