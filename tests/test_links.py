"""linkchecker over the served site: no broken internal link or anchor, notebooks included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import serve

CONFIG = Path(__file__).with_name("linkcheckerrc")


def linkchecker(url: str) -> subprocess.CompletedProcess[str]:
    beside = Path(sys.executable).with_name("linkchecker")  # the virtual environment's own
    executable = str(beside) if beside.exists() else shutil.which("linkchecker")
    assert executable, "linkchecker is a pinned dev dependency: run `make test`"
    return subprocess.run(
        [executable, "-f", str(CONFIG), url], capture_output=True, text=True, check=False
    )


def test_no_broken_internal_links_or_anchors(site_url: str) -> None:
    result = linkchecker(f"{site_url}/")
    assert result.returncode == 0, result.stdout[-4000:]
    assert " 0 warnings found. 0 errors found." in result.stdout
    checked = int(result.stdout.split(" links in ")[0].rsplit("\n", 1)[-1].split()[-1])
    assert checked > 200  # every page, every evidence anchor


def test_linkchecker_catches_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><body><a href="other.html#missing">x</a></body></html>'
    )
    (tmp_path / "other.html").write_text('<html><body><p id="here">y</p></body></html>')
    server = serve(tmp_path)
    try:
        result = linkchecker(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
    assert result.returncode != 0
    assert "missing" in result.stdout
