"""Shared by the browser tests: Debian's Chromium and a recorded page visit."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Visit:
    """A page load with every request and console error recorded."""

    def __init__(
        self, browser: Browser, url: str, width: int = 1280, color_scheme: str = "light"
    ) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme=color_scheme,  # type: ignore[arg-type]
        )
        self.page: Page = self.context.new_page()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console_errors: list[str] = []

        def route(route: object) -> None:
            request = route.request  # type: ignore[attr-defined]
            if urlsplit(request.url).hostname in ("127.0.0.1", "localhost"):
                route.continue_()  # type: ignore[attr-defined]
            else:
                self.blocked.append(request.url)
                route.abort()  # type: ignore[attr-defined]

        self.page.route("**/*", route)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        self.page.goto(url, wait_until="networkidle")
        self.page.wait_for_timeout(300)  # the search worker fetches its index after load

    def close(self) -> None:
        self.context.close()
