"""Packaging reads the one table of trade-offs: each one's playbook ships inside the wheel
(``tradeoffs/_playbook_sources/<module>.py``) so that ``tradeoffs notebook`` works from an
installed package. No list of playbooks is kept by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _catalog(root: Path) -> Any:
    """``tradeoffs._catalog`` loaded from the source tree (standard library only)."""
    path = root / "src" / "tradeoffs" / "_catalog.py"
    spec = importlib.util.spec_from_file_location("_tradeoffs_catalog", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


class PlaybooksHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":  # a checkout reads playbooks/ directly
            return
        root = Path(self.root)
        for tradeoff in _catalog(root).TRADEOFFS:
            source = f"playbooks/{tradeoff.playbook}"
            build_data["force_include"][str(root / source)] = (
                f"tradeoffs/_playbook_sources/{tradeoff.playbook}"
            )
