"""Collect every percent-format playbook as a test: read with jupytext, run with nbclient.

nbmake only collects ``.ipynb`` files, and pytest would otherwise import ``playbooks/x.py``
as a module; this collector executes each playbook in a fresh kernel, as a reader would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".py" and file_path.name != "conftest.py":
        return PlaybookFile.from_parent(parent, path=file_path)
    return None


class PlaybookFile(pytest.File):
    def collect(self) -> Any:
        yield PlaybookItem.from_parent(self, name="executes")


class PlaybookItem(pytest.Item):
    def runtest(self) -> None:
        import jupytext
        import nbclient

        nb = jupytext.read(self.path)
        nbclient.NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            resources={"metadata": {"path": str(self.path.parent)}},
        ).execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, errors

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"playbook {self.path.name}"
