"""Shared fixtures: a built site (once per test session) and a local server for it."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests._browser import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parents[1]

# Test workers run side by side; one thread per numeric library keeps them (and the notebook
# kernels they start, which inherit this environment) from oversubscribing the cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`mkdocs build --strict` into a temporary folder, once for all test workers (a lock
    file lets the first worker build while the others wait); fails on any warning."""
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent  # common to every xdist worker
    out = shared / "site"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").is_file():
            _build(out)
    return out


def _build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not warnings, "\n".join(warnings)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    bytes_sent = 0
    """Bytes of files served since the last reset: what a first visit transfers."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        start = source.tell()
        super().copyfile(source, outputfile)
        type(self).bytes_sent += source.tell() - start

    def end_headers(self) -> None:
        # Lets linkchecker send more than ten requests a second to this (local) server.
        self.send_header("LinkChecker", "allowed")
        super().end_headers()


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    """A static server for ``directory`` on 127.0.0.1, on a free port, in a thread."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port) for the browser and link tests."""
    server = serve(built_site)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture()
def served_bytes() -> Any:
    """Reset, then read, the count of bytes the test server has sent."""

    class Counter:
        def reset(self) -> None:
            _QuietHandler.bytes_sent = 0

        @property
        def value(self) -> int:
            return _QuietHandler.bytes_sent

    return Counter()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"Debian's chromium is required at {CHROMIUM}: run `make test`, which installs it"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
