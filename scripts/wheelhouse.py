"""Download, once, the wheels a reader's fresh install needs, so that the test which installs
the handbook the way a reader does (tests/test_reader_install.py) runs offline.

The runtime dependencies and the ``notebook`` extra come from pyproject.toml, pinned by
requirements.lock where it pins them; Jupyter's kernel, client and server are added because
the test runs and serves the notebooks in that fresh environment. Needs the package index
(like creating .venv does); later runs find everything in the folder.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER = ("ipykernel", "nbclient", "jupyter-server")


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["notebook"], *JUPYTER]


def main(folder: str = ".cache/wheelhouse") -> None:
    out = ROOT / folder
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            "--dest",
            str(out),
            "--constraint",
            str(ROOT / "requirements.lock"),
            *requirements(),
        ],
        check=True,
    )
    (out / ".complete").write_text("\n".join(requirements()) + "\n")
    print(f"wheelhouse ready: {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
