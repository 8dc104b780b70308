"""Many browser sessions playing at once on one app server (issue 17's twenty-session target).

    python experiments/bench/app_sessions.py [--sessions 20] [--seconds 60] [--speed "10 d/s"]

Starts `routesim app` on a free port, opens the sessions as pages of one headless Debian
Chromium (Playwright, ``executable_path=/usr/bin/chromium``), presses play in each at the
chosen speed, and lets them play. Each page notes, every 50 ms, when its status line
shows a new day. Prints per session the simulated days per second and the worst gap
between two updates, then the server's CPU time per session-frame (one update of one
session: a day stepped, its map overlay and charts drawn and sent) and the CPU time of
the sessions' band workers (other seeds, in worker processes) beside it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import psutil
from playwright.sync_api import sync_playwright

from routesim.app.server import free_port

CHROMIUM = "/usr/bin/chromium"
#: Polled in each page: (ms since play, day) whenever the status line's day changes.
RECORDER = """() => {
  window.__days = [];
  let last = -1;
  const start = performance.now();
  window.__timer = setInterval(() => {
    const m = /day (\\d+) of/.exec(document.querySelector('.routesim-status')?.innerText ?? '');
    const day = m ? Number(m[1]) : -1;
    if (day !== last) { window.__days.push([performance.now() - start, day]); last = day; }
  }, 50);
}"""


def start_server(port: int, log: Path) -> subprocess.Popen:
    """`routesim app --port PORT`, its output in `log`; returns once it answers."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "routesim", "app", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while "routesim app: http" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the app server did not start:\n{log.read_text()}")
        time.sleep(0.3)
    return process


def server_cpu_seconds(process: subprocess.Popen) -> tuple[float, float]:
    """CPU time so far of Solara's process, and of the rest (band workers, their forkserver)."""
    root = psutil.Process(process.pid)
    solara, rest = 0.0, 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            is_solara = "solara" in proc.cmdline()[1:4]
        except psutil.NoSuchProcess:
            continue
        if is_solara:
            solara += times.user + times.system
        else:
            rest += times.user + times.system
    return solara, rest


def main() -> None:
    """Open the sessions, play them together, and print what each managed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they play")
    parser.add_argument("--speed", default="10 d/s", help="a speed button's label")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")

    with TemporaryDirectory() as folder:
        port = free_port()
        server = start_server(port, Path(folder) / "server.log")
        url = f"http://127.0.0.1:{port}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                pages = []
                for k in range(args.sessions):
                    page = browser.new_page(viewport={"width": 1280, "height": 720})
                    page.goto(url)
                    page.wait_for_selector(".routesim-flows svg", timeout=300_000)
                    pages.append(page)
                    print(f"session {k + 1} of {args.sessions} open", file=sys.stderr)
                for page in pages:
                    button = page.locator(".routesim-speed button", has_text=args.speed)
                    if "v-item--active" not in (button.get_attribute("class") or ""):
                        button.click()
                cpu_before = server_cpu_seconds(server)
                for page in pages:
                    page.evaluate(RECORDER)
                    page.click(".routesim-play")
                time.sleep(args.seconds)
                (solara_after, band_after), (solara_before, band_before) = (
                    server_cpu_seconds(server),
                    cpu_before,
                )
                cpu, band_cpu = solara_after - solara_before, band_after - band_before
                records = [page.evaluate("() => window.__days") for page in pages]
                for page in pages:  # as a closed tab does: the server ends the session
                    page.goto("about:blank")
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    print(
        f"{args.sessions} sessions at {args.speed}, {args.seconds:g} s of play, "
        f"{os.cpu_count()} cores:"
    )
    print(f"{'session':>7} {'days/s':>7} {'worst gap (ms)':>15} {'updates':>8}")
    frames = 0
    worst_overall = 0.0
    rates = []
    for k, days in enumerate(records, start=1):
        playing = [(t, d) for t, d in days if d >= 0]
        if len(playing) < 2:
            print(f"{k:>7} {'-':>7} {'no update':>15} {0:>8}")
            continue
        (t0, d0), (t1, d1) = playing[0], playing[-1]
        rate = (d1 - d0) / ((t1 - t0) / 1000) if t1 > t0 else 0.0
        gaps = [b[0] - a[0] for a, b in zip(playing, playing[1:], strict=False)]
        worst = max(gaps)
        frames += len(playing) - 1
        worst_overall = max(worst_overall, worst)
        rates.append(rate)
        print(f"{k:>7} {rate:>7.1f} {worst:>15.0f} {len(playing) - 1:>8}")
    if rates:
        median = sorted(rates)[len(rates) // 2]
        print(
            f"days/s per session: min {min(rates):.1f}, median {median:.1f}; "
            f"worst gap {worst_overall:.0f} ms; Solara process CPU {cpu:.1f} s, "
            f"{1000 * cpu / max(frames, 1):.1f} ms per session-frame ({frames} frames); "
            f"band workers {band_cpu:.1f} s"
        )


if __name__ == "__main__":
    main()
