"""Write every playbook as the notebook a reader downloads, for nbmake to execute.

``make test`` runs ``pytest --nbmake`` on the folder this writes (default ``.cache/notebooks``):
the notebooks are exactly what ``tradeoffs notebook`` writes and the site offers, install
cell and parameter check included, so CI executes what readers execute.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tradeoffs._catalog import TRADEOFFS
from tradeoffs._notebook import write_notebook


def main(folder: str = ".cache/notebooks") -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.ipynb"):
        old.unlink()
    for tradeoff in TRADEOFFS:
        write_notebook(tradeoff.slug, out / f"{tradeoff.module}.ipynb", force=True)
    print(f"wrote {len(TRADEOFFS)} notebooks to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
