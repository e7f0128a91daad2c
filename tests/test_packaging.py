"""An installed wheel carries what a downloaded notebook needs: the registry and playbooks."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tradeoffs._catalog import SLUGS, TRADEOFFS

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_registry_data_and_playbooks(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tradeoffs-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for slug in SLUGS:
        assert f"tradeoffs/evidence/data/claims/{slug}.toml" in names
        assert f"tradeoffs/evidence/data/sources/{slug}.toml" in names
    for tradeoff in TRADEOFFS:
        assert f"tradeoffs/_playbook_sources/{tradeoff.playbook}" in names
    assert "tradeoffs/data/rules.toml" in names
    assert not any("conftest" in n for n in names)
