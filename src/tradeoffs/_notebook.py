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


def notebook(slug: str) -> Any:
    """The playbook as an (unexecuted) nbformat notebook with a Python 3 kernelspec."""
    import jupytext

    nb = jupytext.reads(playbook_source(slug), fmt="py:percent")
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index}"  # stable ids: the same playbook gives the same notebook
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    # No Jupytext pairing metadata: with it, JupyterLab's Jupytext extension looks for the
    # paired .py file and refuses to open the notebook ("Unable to read paired notebook").
    nb.metadata.pop("jupytext", None)
    return nb


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
