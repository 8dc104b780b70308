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
from contextlib import contextmanager
from pathlib import Path

import pytest

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
#: A proxy nothing listens on, for every proxy variable HTTP clients read.
UNREACHABLE = "http://127.0.0.1:9"
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = "Debian chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI installs it: its absence there is a failure, not a skip
    pytest.skip(message)


@contextmanager
def running_app(folder: Path, port: int) -> Iterator[tuple[str, Path]]:
    """`routesim app --port PORT` as on a fresh install: an empty home, no route to the internet.

    The empty home has no asset cache, and the unreachable proxy (which `requests`, and so
    Solara's CDN proxy, honours) makes any CDN download fail: every asset has to come with
    the install.

    Yields:
        ``(url, log)``: the app's URL once it answers, and the file collecting its output.
    """
    home = folder / "home"
    home.mkdir()
    env = dict(os.environ) | {name: UNREACHABLE for name in PROXIES}
    env |= {"NO_PROXY": "", "no_proxy": "", "HOME": str(home)}
    log = folder / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "routesim", "app", "--port", str(port)],
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
    try:
        yield url, log
    finally:
        # `routesim app` runs Solara as a child: stop the whole group, or the child lives on.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Add the tail of the app server's output to the report of a failed app test."""
    report = yield
    server = getattr(item, "funcargs", {}).get("app_server")
    if report.failed and server is not None:
        lines = server[1].read_text(errors="replace").splitlines()
        report.sections.append(("app server output (last 80 lines)", "\n".join(lines[-80:])))
    return report


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A running `routesim app` (see `running_app`): its URL and its output so far."""
    _need_chromium()
    with running_app(tmp_path_factory.mktemp("app"), free_port()) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(app_server: tuple[str, Path]) -> str:
    """URL of the module's running `routesim app`."""
    return app_server[0]


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
            # Leaving the page, as closing a tab does, sends Solara's close beacon, so the server
            # ends the session and stops its play loop and band; a bare context.close()
            # leaves them running (for Solara's 24 h cull timeout), starving later tests.
            for open_page in context.pages:
                open_page.goto("about:blank")
            context.close()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
