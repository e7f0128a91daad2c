"""One Altair theme and the chart helpers every playbook shares.

Every chart is titled, has axis titles with units, and carries a text description that
screen readers announce (Vega writes it to the SVG's ``aria-label``). Colours are chosen to
stay distinct for the common colour-vision deficiencies and to read on the white card the site
draws charts on, in light and in dark mode.

Rendering: charts are static, accessible SVG wherever vl-convert is installed (it comes with
``tradeoffs[notebook]``): they draw offline in JupyterLab, Notebook 7, VS Code and Colab, and
the handbook's build embeds the same SVG in its pages (no JavaScript, no third-party request).
:func:`interactive` switches a notebook to Altair's interactive renderer, which loads Vega from
a CDN; ``TRADEOFFS_CHARTS=interactive`` does the same before the notebook starts.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd

PALETTE = ("#1f5fa8", "#c2571a", "#2e7d4f", "#7b3fa0", "#8a6d1d", "#5f6b7a")
"""Blue, vermilion, green, purple, ochre, slate: distinguishable without relying on red/green."""
INK = "#1b1f24"
MUTED = "#4a5562"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
WIDTH = 620
HEIGHT = 300


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "background": "#ffffff",
            # Room for labels drawn in the reader's font, which may be wider than the one the
            # SVG was laid out with.
            "padding": {"left": 28, "right": 16, "top": 6, "bottom": 6},
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "title": {
                "fontSize": 15,
                "anchor": "start",
                "color": INK,
                "subtitleColor": MUTED,
                "subtitleFontSize": 12,
                "offset": 10,
            },
            "axis": {
                "labelColor": MUTED,
                "titleColor": INK,
                "labelFontSize": 11,
                "titleFontSize": 12,
                "gridColor": "#e3e7ec",
                "domainColor": MUTED,
                # No tick marks and no vertical grid: the labels and horizontal grid carry the
                # reading, and every line left out is markup a reader does not download.
                "ticks": False,
                "labelPadding": 4,
            },
            "axisX": {"grid": False},
            "legend": {
                "labelColor": INK,
                "titleColor": INK,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "columns": 2,
                "labelLimit": 320,
                "columnPadding": 24,
            },
            "range": {"category": list(PALETTE)},
            "line": {"strokeWidth": 2.5},
        }
    }


alt.theme.register("tradeoffs", enable=False)(_theme)


def _description(spec: dict[str, Any]) -> str:
    """The chart's text description: on the top level, or on its first described layer."""
    if spec.get("description"):
        return str(spec["description"])
    for part in spec.get("layer", []) + spec.get("vconcat", []) + spec.get("hconcat", []):
        found = _description(part)
        if found:
            return found
    return ""


_INNER_ATTRS = re.compile(
    r" (?:class|pointer-events|role|aria-roledescription|aria-hidden|aria-label|font-family)"
    r'="[^"]*"'
)


_DEFAULT_ATTRS = re.compile(r' (?:opacity="1"|stroke-width="1"|fill-opacity="1")(?=[ />])')
_EMPTY_SHAPES = re.compile(r'<path d="M0,0h0v0h0Z"\s*/>|<[a-z]+ [^<>]*display="none"[^<>]*/>')
_GEOMETRY = re.compile(r' (d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{2,}")
"""Coordinates to a tenth of a pixel: finer detail is invisible at any zoom a reader uses.
Only geometry attributes are rounded, never the text a reader sees."""


def _round_geometry(match: re.Match[str]) -> str:
    rounded = _LONG_DECIMAL.sub(lambda m: f"{float(m[0]):.1f}".rstrip("0").rstrip("."), match[2])
    return f' {match[1]}="{rounded}"'


def static_svg(svg: str, description: str) -> str:
    """Vega's SVG made light and accessible as one image.

    The root becomes ``role="img"`` labelled with the chart's description, so a screen reader
    announces one sentence instead of hundreds of marks; the marks' own ARIA attributes, class
    names and repeated font names (set once by the site's stylesheet) are dropped, as are
    attributes that only repeat SVG defaults, empty or hidden shapes and sub-pixel digits:
    together they more than halve the markup of a typical chart.
    """
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = _INNER_ATTRS.sub("", svg)
    svg = _DEFAULT_ATTRS.sub("", svg)
    svg = _EMPTY_SHAPES.sub("", svg)
    svg = _GEOMETRY.sub(_round_geometry, svg)
    label = html.escape(description or "Chart", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _static_svg_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    from altair.vegalite.v6.display import svg_renderer

    bundle = svg_renderer(spec, **metadata)
    return {
        "image/svg+xml": static_svg(bundle["image/svg+xml"], _description(spec)),
        "text/plain": _description(spec),
    }


alt.renderers.register("tradeoffs-svg", _static_svg_renderer)


def setup() -> None:
    """Enable the handbook theme and a renderer that works offline.

    Static SVG when vl-convert can draw it (the default, and what the site embeds); Altair's
    Vega-Lite mimetype output otherwise, which JupyterLab draws without a network; Altair's
    interactive default only when ``TRADEOFFS_CHARTS=interactive`` asks for it."""
    alt.theme.enable("tradeoffs")
    wanted = os.environ.get("TRADEOFFS_CHARTS", "svg")
    if wanted == "interactive":
        alt.renderers.enable("default")
    elif _can_draw_svg():
        alt.renderers.enable("tradeoffs-svg")
    else:
        alt.renderers.enable("mimetype")


def interactive() -> None:
    """Switch this notebook's charts to Altair's interactive renderer (tooltips, zoom); it
    loads Vega from a CDN, so it needs a network."""
    alt.renderers.enable("default")


def _can_draw_svg() -> bool:
    from importlib.util import find_spec

    return find_spec("vl_convert") is not None


def usd_axis(title: str, log_values: Sequence[float] | None = None) -> alt.Axis:
    """A dollar axis; on a log scale pass the decades to label (Vega's own log ticks draw a
    grid line per minor tick, which triples the size of a static chart)."""
    if log_values is not None:
        return alt.Axis(
            title=title,
            values=list(log_values),
            labelExpr=(
                "'$' + (datum.value < 1 ? format(datum.value, '~g') : format(datum.value, '~s'))"
            ),
        )
    return alt.Axis(title=title, format="$,.0f")


def decades(low: float, high: float) -> list[float]:
    """Powers of ten spanning [low, high], for log-axis ticks."""
    first = math.floor(math.log10(max(low, 1e-12)))
    last = math.ceil(math.log10(max(high, 1e-12)))
    return [10.0**k for k in range(first, last + 1)]


def log_axis(title: str, low: float, high: float, label_format: str = "~s") -> alt.Axis:
    """A log-scale axis labelled at the decades only (see :func:`usd_axis` for why)."""
    return alt.Axis(title=title, format=label_format, values=decades(low, high))


def log_requests_axis(
    title: str = "Daily requests (log scale)", low: float = 1e2, high: float = 1e9
) -> alt.Axis:
    return alt.Axis(title=title, format="~s", values=decades(low, high))


def line_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    subtitle: str,
    description: str,
    x_axis: alt.Axis,
    y_axis: alt.Axis,
    log_x: bool = False,
    log_y: bool = False,
    tooltip: Sequence[alt.Tooltip] = (),
    legend: bool = True,
    dashed: Sequence[str] | None = None,
) -> alt.Chart:
    """Lines by series; the building block of cost-against-volume charts. With ``dashed``,
    exactly those series are dashed and the others solid (options that cannot be chosen,
    say); otherwise each series gets its own dash pattern."""
    x_scale = alt.Scale(type="log", nice=False) if log_x else alt.Scale()
    y_scale = alt.Scale(type="log") if log_y else alt.Scale()
    dash_scale: Any = alt.Undefined
    if dashed is not None:
        names = list(dict.fromkeys(data[series]))
        dash_scale = alt.Scale(
            domain=names, range=[[6, 4] if name in dashed else [1, 0] for name in names]
        )
    chart: alt.Chart = (
        alt.Chart(data, title=alt.Title(title, subtitle=subtitle), description=description)
        .mark_line()
        .encode(
            x=alt.X(x, type="quantitative", scale=x_scale, axis=x_axis),
            y=alt.Y(y, type="quantitative", scale=y_scale, axis=y_axis),
            color=alt.Color(
                series, type="nominal", title=None, legend=alt.Legend() if legend else None
            ),
            strokeDash=alt.StrokeDash(
                series,
                type="nominal",
                title=None,
                scale=dash_scale,
                legend=alt.Legend() if legend else None,
            ),
            tooltip=list(tooltip),
        )
    )
    return chart


def vertical_markers(
    data: pd.DataFrame,
    *,
    x: str,
    label: str,
    flip_above: float | None = None,
    color: str = MUTED,
) -> alt.LayerChart:
    """Dashed vertical rules, each labelled on its own line at the top so labels of nearby
    markers (a threshold next to a break-even) never print over each other. Labels of markers
    right of ``flip_above`` are written to the left of their rule, so they stay inside."""
    data = data.assign(_label_y=[4 + 15 * i for i in range(len(data))])
    rules = (
        alt.Chart(data)
        .mark_rule(strokeDash=[4, 3], color=color)
        .encode(x=alt.X(x, type="quantitative"), tooltip=[alt.Tooltip(label, type="nominal")])
    )
    layers: list[alt.Chart] = [rules]
    right = data[x] > flip_above if flip_above is not None else data[x] != data[x]
    sides: tuple[tuple[pd.DataFrame, Literal["left", "right"], int], ...] = (
        (data[~right], "left", 4),
        (data[right], "right", -4),
    )
    for part, align, dx in sides:
        if not len(part):
            continue
        encoding: dict[str, Any] = {
            "x": alt.X(x, type="quantitative"),
            "y": alt.Y("_label_y", type="quantitative", scale=None),
            "text": alt.Text(label, type="nominal"),
        }
        # A white outline under each label keeps it legible where it crosses another
        # marker's rule or a data line (Vega draws a text's stroke over its fill, so the
        # halo is a layer of its own, drawn first).
        styles: tuple[dict[str, Any], ...] = ({"stroke": "#ffffff", "strokeWidth": 4}, {})
        for style in styles:
            mark = alt.MarkDef(
                type="text", align=align, baseline="top", dx=dx, fontSize=11, color=INK, **style
            )
            layers.append(alt.Chart(part, mark=mark).encode(**encoding))
    return alt.LayerChart(layer=layers)


def stacked_bar(
    data: pd.DataFrame,
    *,
    category: str,
    amount: str,
    part: str,
    title: str,
    subtitle: str,
    description: str,
    amount_axis: alt.Axis,
) -> alt.Chart:
    """Horizontal stacked bars: how a total splits into parts."""
    chart: alt.Chart = (
        alt.Chart(
            data,
            title=alt.Title(title, subtitle=subtitle),
            description=description,
            height=alt.Step(36),
        )
        .mark_bar()
        .encode(
            y=alt.Y(category, type="nominal", title=None),
            x=alt.X(amount, type="quantitative", axis=amount_axis, stack="zero"),
            color=alt.Color(part, type="nominal", title=None),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip(part, type="nominal"),
                alt.Tooltip(amount, type="quantitative", format="$,.0f"),
            ],
        )
    )
    return chart


def tornado(
    data: pd.DataFrame,
    *,
    parameter: str,
    low: str,
    high: str,
    baseline: float,
    title: str,
    subtitle: str,
    description: str,
    value_axis: alt.Axis,
    log_x: bool = True,
) -> alt.LayerChart:
    """Sensitivity bars from each input's low to high outcome around a baseline."""
    scale = alt.Scale(type="log") if log_x else alt.Scale()
    order = alt.SortField(field="swing", order="descending")
    base = alt.Chart(data, title=alt.Title(title, subtitle=subtitle), description=description)
    bars = base.mark_bar(height=14, color=PALETTE[0], opacity=0.85).encode(
        y=alt.Y(parameter, type="nominal", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X(low, type="quantitative", scale=scale, axis=value_axis),
        x2=alt.X2(high),
        tooltip=[
            alt.Tooltip(parameter, type="nominal"),
            alt.Tooltip(low, type="quantitative", format=",.0f"),
            alt.Tooltip(high, type="quantitative", format=",.0f"),
        ],
    )
    rule = (
        alt.Chart(pd.DataFrame({"baseline": [baseline]}))
        .mark_rule(color=PALETTE[1], strokeWidth=2)
        .encode(x=alt.X("baseline", type="quantitative"))
    )
    return alt.LayerChart(layer=[bars, rule])


def frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """A DataFrame from row dicts (a seam so playbooks need not import pandas for this)."""
    return pd.DataFrame(list(rows))


class Table:
    """A DataFrame shown as a plain HTML table (no index, no inline styles) in notebooks and
    on the site, where the theme styles it."""

    def __init__(self, data: pd.DataFrame, caption: str = "") -> None:
        self.data = data
        self.caption = caption

    def _repr_html_(self) -> str:
        html = self.data.to_html(index=False, border=0, escape=True)
        # A bare <table> is what the site's theme styles (it skips tables with a class).
        html = re.sub(r"<table[^>]*>", "<table>", html, count=1)
        html = re.sub(r' style="[^"]*"', "", html)
        if self.caption:
            html = html.replace(">", f"><caption>{_escape(self.caption)}</caption>", 1)
        return html


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _default_rows(slug: str) -> dict[str, Any]:
    """The input rows a record of ``slug`` has when nothing is given."""
    from tradeoffs._catalog import by_slug

    module = by_slug(slug).load()
    return {row.key: row for row in module.SPEC.input_rows(module.scenario())}


def inputs_table(record: Any, measured: Sequence[str] = ()) -> Table:
    """A decision record's inputs: value used, the registry claim (or stated default) it came
    from and its verdict. Inputs named in ``measured`` were measured by the playbook itself."""
    from tradeoffs.evidence import load_registry

    claims = load_registry().claims
    defaults = _default_rows(record.slug)
    rows = []
    for row in record.inputs:
        default = defaults.get(row.key)
        if row.source == "given" and default is not None and default.value == row.value:
            row = default  # the playbook's literal is the declared default: cite its source
        claim = claims.get(row.claim)
        if row.key in measured:
            source = "measured here"
        elif row.source == "given":
            source = "your value"
        else:
            source = row.source  # a claim id, or the default it is ("handbook default")
        rows.append(
            {
                "Parameter": row.label,
                "Value used": row.shown,
                "Source of the default": source,
                "Verdict": claim.verdict.label if claim else "",
            }
        )
    return Table(frame(rows), "Inputs: a claim id means the registry default is in use")
