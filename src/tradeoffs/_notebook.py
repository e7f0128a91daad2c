"""Turn a trade-off's percent-format playbook into a Jupyter notebook a reader can run.

Installed wheels carry the playbooks inside the package (``_playbook_sources``); a source
checkout (editable install) reads them from the repository's ``playbooks/`` folder.
"""

from __future__ import annotations

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


def notebook(slug: str) -> Any:
    """The playbook as an (unexecuted) nbformat notebook with a Python 3 kernelspec."""
    import jupytext

    nb = jupytext.reads(playbook_source(slug), fmt="py:percent")
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # stable ids: the same playbook gives the same notebook
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.setdefault("jupytext", {}).pop("text_representation", None)
    return nb


def write_notebook(slug: str, path: Path | None = None, *, force: bool = False) -> Path:
    """Write the playbook for ``slug`` as ``.ipynb`` and return where it went."""
    import jupytext

    target = path or Path(f"{module_name(slug)}.ipynb")
    if target.exists() and not force:
        raise FileExistsError(f"{target} exists; pass --force to overwrite it.")
    jupytext.write(notebook(slug), target, fmt="ipynb")
    return target
