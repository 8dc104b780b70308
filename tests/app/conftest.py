"""Fixtures for the app's browser tests: a server on a free port, a fresh Chromium per test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from routesim.app.assets import cache_dir, fetch_assets
from routesim.app.server import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI installs it: its absence there is a failure, not a skip
    pytest.skip(message)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a running `routesim app`, with the offline assets and no route to the internet."""
    _need_chromium()
    assets = fetch_assets(cache_dir(), quiet=True)
    port = free_port()
    env = dict(os.environ)
    # The server must not reach any CDN: every asset has to come from the local cache.
    env |= {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    log = tmp_path_factory.mktemp("app") / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "routesim", "app", "--port", str(port), "--assets", str(assets)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                pytest.fail(f"app server did not start:\n{log.read_text()}")
            time.sleep(0.3)
    yield url
    # `routesim app` runs Solara as a child: stop the whole group, or the child lives on.
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def browser_page(tmp_path: Path):
    """A page in a headless Debian Chromium with a fresh profile; records problems.

    Yields:
        ``(page, problems)``: problems collects console errors, page errors, failed
        requests, HTTP errors and any request that leaves 127.0.0.1.
    """
    _need_chromium()
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1440, "height": 1000},
        )

        def guard(route) -> None:
            if route.request.url.startswith("http://127.0.0.1"):
                route.continue_()
            else:
                problems.append(f"external request: {route.request.url}")
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.on(
            "console",
            lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
        page.on(
            "response",
            lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )
        try:
            yield page, problems
        finally:
            context.close()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
