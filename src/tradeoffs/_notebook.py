"""Turn a trade-off's percent-format playbook into a Jupyter notebook a reader can run.

Installed wheels carry the playbooks inside the package (``_playbook_sources``); a source
checkout (editable install) reads them from the repository's ``playbooks/`` folder.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from tradeoffs._catalog import SLUGS, by_slug
from tradeoffs._errors import InvalidParameterError

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def module_name(slug: str) -> str:
    """The fixed module/playbook name of a trade-off slug (``build-vs-buy`` -> ``build_vs_buy``)."""
    try:
        return by_slug(slug).module
    except KeyError:
        raise InvalidParameterError(
            f"slug must be one of {', '.join(SLUGS)}; got {slug!r}."
        ) from None


def playbook_source(slug: str) -> str:
    """The percent-format text of the playbook for ``slug``."""
    name = f"{module_name(slug)}.py"
    packaged = resources.files("tradeoffs") / "_playbook_sources" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "playbooks" / name
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise InvalidParameterError(f"slug {slug!r} has no playbook yet; got {slug!r}.")


LOCAL_SITE = "http://127.0.0.1:8000/"
"""Where ``make serve`` serves the handbook; the wheel's address when no other is known."""
SITE_URL_ENV = "TRADEOFFS_SITE_URL"
"""Set by the site build (from the deploy environment) to the published site's address."""

HOW_TO_RUN = """
**How to run it.** Run all cells (Run → Run All), then change the parameters cell and run
again. The first code cell installs the handbook's package (`tradeoffs[notebook]`) when this
kernel lacks it, from the wheel the handbook's site publishes; it does nothing otherwise.
Charts are static SVG images that draw offline in JupyterLab, Notebook 7, VS Code and Colab;
`charts.interactive()` switches to interactive charts, which load Vega from a CDN. Comments
above each parameter give its meaning, valid range and the source of its default."""

INSTALL_CELL = """\
# Installs the handbook's package when this kernel lacks it (Colab, a fresh venv); else no-op.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("tradeoffs") is None:
    WHEEL = "{wheel}"
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", WHEEL])
    importlib.invalidate_caches()  # so that the next cell imports what was just installed"""


def wheel_name() -> str:
    """The file name of this version's wheel, as hatchling builds it."""
    from importlib.metadata import version

    return f"tradeoffs-{version('tradeoffs')}-py3-none-any.whl"


def wheel_url(site_url: str | None = None) -> str:
    """Where the site publishes this version's wheel: ``dist/`` under the site's address (the
    deploy environment's, else the local server's)."""
    base = site_url or os.environ.get(SITE_URL_ENV) or LOCAL_SITE
    return f"tradeoffs[notebook] @ {base.rstrip('/')}/dist/{wheel_name()}"


def notebook(slug: str, site_url: str | None = None) -> Any:
    """The playbook as an (unexecuted) nbformat notebook a reader can open anywhere: a Python 3
    kernelspec, no Jupytext pairing metadata, how to run it, an install cell, and each
    parameter's meaning, range and default source written above it from the declaration."""
    import jupytext
    import nbformat

    new_code_cell: Any = nbformat.v4.new_code_cell  # untyped in nbformat
    nb = jupytext.reads(playbook_source(slug), fmt="py:percent")
    first = nb.cells[0]
    if first.cell_type == "markdown":
        first.source = first.source.rstrip() + "\n" + HOW_TO_RUN
    install = new_code_cell(INSTALL_CELL.format(wheel=wheel_url(site_url)))
    nb.cells.insert(1, install)
    params = _declared_params(slug)
    for index, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            # every name the notebook itself binds, in any cell: a reader who runs it twice
            # has them all in the namespace when this check runs again
            bound = sorted(
                set().union(*(_bound_names(c.source) for c in nb.cells)) | {"check_parameters"}
            )
            cell.source = annotated_parameters(cell.source, params)
            nb.cells.insert(index + 1, new_code_cell(CHECK_CELL.format(bound=bound)))
            break
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # stable ids: the same playbook gives the same notebook
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    # No Jupytext pairing metadata: with it, JupyterLab's Jupytext extension looks for the
    # paired .py file and refuses to open the notebook ("Unable to read paired notebook").
    nb.metadata.pop("jupytext", None)
    return nb


CHECK_CELL = """\
# A parameter given from outside (papermill -p NAME VALUE) must be one this notebook reads.
from tradeoffs._notebook import check_parameters

check_parameters(globals(), {bound!r})"""

NOTEBOOK_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})
"""Names IPython itself puts in a notebook's namespace."""


def _bound_names(source: str) -> set[str]:
    """Every name a cell binds at its top level (imports, assignments, definitions)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell of IPython magics, say
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def check_parameters(namespace: dict[str, Any], bound: list[str]) -> None:
    """Refuse a name injected from outside that the notebook never reads: a misspelt
    parameter would otherwise be ignored silently and the defaults used."""
    unknown = sorted(
        name
        for name in namespace
        if not name.startswith("_") and name not in NOTEBOOK_NAMES and name not in bound
    )
    if unknown:
        raise InvalidParameterError(
            f"unknown parameter(s) {', '.join(unknown)}: this notebook's parameters are the "
            "names assigned in its parameters cell."
        )


def _declared_params(slug: str) -> dict[str, Any]:
    """The trade-off's declared inputs by name (its module's ``SPEC``)."""
    spec = by_slug(slug).load().SPEC
    return {p.name: p for p in spec.params}


ANNOTATION = "#:"
"""Marks the comment lines written from the declaration (the site's pages leave them out: the
option table on each page says the same)."""


def annotated_parameters(source: str, params: dict[str, Any]) -> str:
    """The parameters cell with, above each assignment of a declared input, a comment giving
    its meaning, valid range and default, read from the declaration so that it cannot drift
    from what the calculator accepts."""
    import ast
    import textwrap

    lines = source.splitlines()
    notes: dict[int, str] = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id in params:
            notes[node.lineno - 1] = str(params[target.id].help_text())
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in notes:
            out += textwrap.wrap(
                notes[index],
                96,
                initial_indent=f"{ANNOTATION} ",
                subsequent_indent=f"{ANNOTATION}   ",
                break_on_hyphens=False,
            )
        out.append(line)
    return "\n".join(out)


def write_notebook(slug: str, path: str | Path | None = None, *, force: bool = False) -> Path:
    """Write the playbook for ``slug`` as ``.ipynb`` and return where it went.

    The notebook is written to a temporary file in the target's folder and renamed over the
    target, so a failed write (a full disk, say) leaves any previous file whole. A symbolic
    link is never followed: overwriting through one could clobber a file elsewhere."""
    import jupytext

    chosen = f"{module_name(slug)}.ipynb" if path is None else path
    try:
        target = _checked_target(chosen, force=force)
    except OSError as exc:  # a name too long for the file system, say
        raise InvalidParameterError(
            f"output must be a file name this system accepts ({exc.strerror or exc}); "
            f"got {str(chosen)!r}."
        ) from None
    text = jupytext.writes(notebook(slug), fmt="ipynb")
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        temporary = Path(name)
        os.chmod(temporary, _file_mode(target))
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise InvalidParameterError(
            f"output could not be written ({exc.strerror or exc}); got {str(target)!r}."
        ) from None
    return target


def _file_mode(target: Path) -> int:
    """The mode a plain write would give: the old file's, else 0o666 less the umask."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _checked_target(path: str | Path, *, force: bool) -> Path:
    """The output path, or a one-line refusal naming what is wrong with it."""
    shown, target = str(path), Path(path)
    if not shown.strip() or "\0" in shown:
        raise InvalidParameterError(f"output must be a file name ending in .ipynb; got {shown!r}.")
    if target.suffix.lower() != ".ipynb":
        raise InvalidParameterError(
            f"output must be a file name ending in .ipynb (the notebook format); got {shown!r}."
        )
    if target.is_symlink():
        raise InvalidParameterError(
            f"output must not be a symbolic link (it is not followed); got {shown!r}."
        )
    if target.is_dir():
        raise InvalidParameterError(f"output must be a file, not a folder; got {shown!r}.")
    parent = target.parent
    if not parent.is_dir():
        raise InvalidParameterError(f"output must be in an existing folder; got {shown!r}.")
    if not os.access(parent, os.W_OK):
        raise InvalidParameterError(f"output must be in a folder you can write to; got {shown!r}.")
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; pass --force to overwrite it.")
    return target
