"""Lighthouse on every page of the built site: performance and accessibility, mobile preset.

Run with `make lighthouse` (it installs the pinned npm package and builds the site first).
The site is served on 127.0.0.1 with gzip, as a static host would; Lighthouse drives Debian's
chromium. Prints a table, writes it to .cache/lighthouse.md, and exits 1 when a page scores
below the budget (95) in either category.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
BUDGET = 95
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".py", ".ipynb")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for clients that accept it (like any CDN or Pages)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def pages(site: Path) -> list[str]:
    found = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else p + "/" for p in found if not p.startswith("search")]


def audit(url: str, out: Path) -> dict[str, float]:
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    report = json.loads(out.read_text())
    scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
    failing = [
        a["id"]
        for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"
    ]
    scores["failing"] = failing  # type: ignore[assignment]
    return scores


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    if not (site / "index.html").is_file():
        print(f"no built site at {site}: run `make build` first", file=sys.stderr)
        return 2
    server, base = serve(site)
    rows = ["| Page | Performance | Accessibility | Failing audits |", "|---|---:|---:|---|"]
    worst = 100
    with tempfile.TemporaryDirectory() as tmp:
        for page in pages(site):
            print(f"lighthouse /{page} ...", file=sys.stderr)
            s = audit(f"{base}/{page}", Path(tmp) / "report.json")
            worst = min(worst, s["performance"], s["accessibility"])
            rows.append(
                f"| /{page} | {s['performance']} | {s['accessibility']} | "
                f"{', '.join(s['failing']) or '-'} |"
            )  # type: ignore[arg-type]
    server.shutdown()
    table = "\n".join(rows)
    print(table)
    out = ROOT / ".cache" / "lighthouse.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(table + "\n")
    if worst < BUDGET:
        print(f"below budget: a page scored {worst} (budget {BUDGET})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
