"""What a reader does: a fresh virtual environment with only Jupyter's kernel, client and
server; the notebooks the site offers; the install cell fetching the wheel the site serves;
every notebook executed there, its charts drawn without a CDN, and each one opened through
the Jupyter server's contents API.

Offline: the dependencies come from the wheelhouse ``make test`` fills once
(scripts/wheelhouse.py); the wheel is served by a local HTTP server at the address the
notebooks' install cell names, as the published site serves it. Slow (a fresh install of
the scientific stack); it runs in ``make test``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import nbformat

from tests.conftest import serve
from tradeoffs._catalog import TRADEOFFS
from tradeoffs._notebook import notebook, wheel_name

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = ROOT / ".cache" / "wheelhouse"
JUPYTER = ("ipykernel", "nbclient", "jupyter-server")


def _offline_pip(env: dict[str, str]) -> dict[str, str]:
    return env | {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(path)
    python = path / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *JUPYTER],
        check=True,
        env=_offline_pip(dict(os.environ)),
    )
    return python


EXECUTE = """
import sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
nbformat.write(nb, sys.argv[1])
"""


def _charts(nb: nbformat.NotebookNode) -> tuple[int, list[str]]:
    """Static chart images, and HTML outputs that would load a script from elsewhere."""
    images, remote = 0, []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            images += "image/svg+xml" in data or "image/png" in data
            html = data.get("text/html", "")
            if "<script" in html and "src=" in html:
                remote.append(html[:120])
    return images, remote


def test_a_reader_installs_from_the_site_and_runs_every_notebook(tmp_path: Path) -> None:
    assert (WHEELHOUSE / ".complete").is_file(), "run `make test`: it fills .cache/wheelhouse"
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(site / "dist")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert (site / "dist" / wheel_name()).is_file()
    server = serve(site)  # the site's dist/ folder, at the address the install cell names
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        python = _fresh_venv(tmp_path / "venv")
        folder = tmp_path / "notebooks"
        folder.mkdir()
        env = _offline_pip(dict(os.environ)) | {"TRADEOFFS_TIMINGS": "", "PYTHONPATH": ""}
        for tradeoff in TRADEOFFS:
            path = folder / f"{tradeoff.module}.ipynb"
            nbformat.write(notebook(tradeoff.slug, url), path)
            run = subprocess.run(
                [str(python), "-c", EXECUTE, str(path)], env=env, capture_output=True, text=True
            )
            assert run.returncode == 0, f"{tradeoff.slug}: {run.stderr[-2000:]}"
            images, remote = _charts(nbformat.read(path, as_version=4))
            assert images >= 2 and not remote, (tradeoff.slug, images, remote)
        listed = subprocess.run(
            [str(python), "-c", "import tradeoffs._site"], capture_output=True, text=True
        )
        assert listed.returncode != 0, "the site build's code is not shipped in the wheel"
        _open_through_the_contents_api(python, folder)
    finally:
        server.shutdown()


def _open_through_the_contents_api(python: Path, folder: Path) -> None:
    port, token = _free_port(), "reader-test"
    log = folder.parent / "jupyter-server.log"
    server = subprocess.Popen(
        [
            str(python),
            "-m",
            "jupyter_server",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",  # CI containers run as root
            f"--ServerApp.root_dir={folder}",
        ],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # a cold start on a busy machine takes a while
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert server.poll() is None, f"the server exited: {log.read_text()[-2000:]}"
                assert time.monotonic() < deadline, f"no server: {log.read_text()[-2000:]}"
                time.sleep(0.5)
        for tradeoff in TRADEOFFS:
            name = f"{tradeoff.module}.ipynb"
            with urllib.request.urlopen(f"{base}/api/contents/{name}?token={token}") as reply:
                assert reply.status == 200
                model = json.load(reply)
            assert model["type"] == "notebook" and model["content"]["cells"], name
    finally:
        server.terminate()
        server.wait(timeout=30)
