"""What the MkDocs hook does to page text, checked without building the site."""

from __future__ import annotations

import pytest

from tradeoffs import _site
from tradeoffs.charts import static_svg


def test_claim_reference_becomes_value_linked_to_its_row() -> None:
    out = _site.render_claim_refs("Input costs [[B7.input]].", "evidence.md", "../evidence/")
    assert out == (
        'Input costs [$0.15 per million tokens](evidence.md#B7 "B7 · Confirmed via copy")'
        "{ .claim .v-confirmed-via-copy }."
    )


def test_single_figure_claims_need_no_key_and_ranges_read_as_ranges() -> None:
    assert "[2025-12-11](evidence.md#B5" in _site.render_claim_refs("[[B5]]", "evidence.md", "")
    assert "[20–30%](evidence.md#B3" in _site.render_claim_refs(
        "[[B3.hardware_share]]", "evidence.md", ""
    )


def test_verdict_reference_becomes_a_badge() -> None:
    out = _site.render_claim_refs("([[verdict:B4]])", "evidence.md", "")
    assert out.startswith('([Not found](evidence.md#B4 "B4: no source located")')
    assert "{ .verdict .v-not-found }" in out


@pytest.mark.parametrize("ref", ["[[Z9]]", "[[B7.nope]]", "[[B7]]", "[[verdict:nope]]"])
def test_a_bad_reference_fails_the_build_with_its_name(ref: str) -> None:
    with pytest.raises(_site.SiteError, match=ref.replace("[", r"\[").replace("]", r"\]")):
        _site.render_claim_refs(f"text {ref}", "evidence.md", "")


def test_claim_ids_in_playbook_tables_become_links() -> None:
    table = "<table><tr><td>B7</td><td>your value</td><td>1,000</td></tr></table>"
    linked = _site.render_claim_refs(_site._link_claim_cells(table), "e.md", "../evidence/")
    assert '<td><a href="../evidence/#B7">B7</a></td>' in linked
    assert "<td>your value</td>" in linked and "<td>1,000</td>" in linked


def test_svg_ids_are_scoped_per_chart() -> None:
    svg = '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>'
    scoped = _site._scope_svg(svg, "bvb-c2")
    assert 'id="bvb-c2-clip1"' in scoped and "url(#bvb-c2-clip1)" in scoped


def test_static_svg_is_one_labelled_image() -> None:
    svg = (
        '<svg width="2"><g role="graphics-object" aria-roledescription="x" class="mark">'
        '<text font-family="sans">A</text></g></svg>'
    )
    out = static_svg(svg, 'Cost "rises" with volume')
    assert out.startswith('<svg role="img" aria-label="Cost &quot;rises&quot; with volume" ')
    assert "aria-roledescription" not in out and "class=" not in out
    assert "font-family" not in out


def test_evidence_summary_counts_the_article_claims() -> None:
    summary = _site.claim_check_summary()
    assert "| **Total** | | **22** | **35** |" in summary


def test_static_svg_rounds_geometry_but_never_the_text() -> None:
    svg = (
        '<svg><path d="M1.234,5.678L9.999,0.05"/><g transform="translate(10.26,3.14159)">'
        "<text>0.27 ms</text><text>$0.0030</text></g></svg>"
    )
    out = static_svg(svg, "d")
    assert 'd="M1.2,5.7L10,0.1"' in out
    assert 'transform="translate(10.3,3.1)"' in out
    assert "<text>0.27 ms</text>" in out and "<text>$0.0030</text>" in out


def test_page_furniture_adds_date_and_playbook_links() -> None:
    md = (
        "# T\n\n!!! abstract\n    one line\n\n## The trade-off\n\n<!-- playbook: build_vs_buy -->\n"
    )
    plain = _site.page_furniture(md, "2026-11-22", "")
    assert "Figures last checked: 2026-11-22." in plain
    assert "(playbooks/build_vs_buy.ipynb)" in plain and "Colab" not in plain
    assert plain.index("Figures last checked") < plain.index("## The trade-off")
    colab = _site.page_furniture(
        md, "2026-11-22", "https://colab.research.google.com/github/o/r/blob/main/nb/"
    )
    assert (
        "[Open in Colab](https://colab.research.google.com/github/o/r/blob/main/nb/build_vs_buy.ipynb)"
        in colab
    )
    assert _site.page_furniture("# no playbook", "2026-11-22", "") == "# no playbook"


def test_polish_html_names_the_search_dialog_and_labels_checkboxes() -> None:
    html = (
        '<div class="md-search" data-md-component="search" role="dialog">'
        '<li><input type="checkbox" disabled/> item</li>'
    )
    out = _site.polish_html(html)
    assert 'role="dialog" aria-label="Search"' in out
    assert 'aria-label="Checklist item, not yet checked"' in out
