"""Many browser sessions playing at once on one app server (issue 17's twenty-session target).

    python experiments/bench/app_sessions.py [--sessions 20] [--seconds 60] [--speed "10 d/s"]
        [--distinct]

Starts `routesim app` on a free port, opens the sessions as pages of one headless Debian
Chromium (Playwright, ``executable_path=/usr/bin/chromium``), presses play in each at the
chosen speed, and lets them play: all on the default settings (a class on one lesson:
they share one recorded run), or with ``--distinct`` each on its own seed (each its own
run). Each page notes, every 50 ms, when its status line shows a new day. Prints per
session the simulated days per second and the worst gap between two updates, then the
CPU time used while playing: Solara's process per session-frame (one update of one
session: the days stepped, its map overlay, status and charts drawn and sent), the band
workers (other seeds, in worker processes) and the browser. The browser shares the
machine here; in a classroom each student's runs on their own.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
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


class CpuMeter:
    """CPU seconds used while playing by Solara's process, its workers, and the browser.

    Sampled twice a second, so that a band worker which ends while the sessions play
    still counts with the CPU it had used when last seen.
    """

    def __init__(self, server: subprocess.Popen) -> None:
        self.server = psutil.Process(server.pid)
        self.start: dict[int, float] = {}
        self.started_at = 0.0
        self.last: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def __enter__(self) -> CpuMeter:
        self.started_at = time.time()
        self.start = {pid: cpu for pid, (_, cpu) in self._sample().items()}
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def used(self, kind: str) -> float:
        """CPU seconds of one kind of process: "solara", "workers" or "browser"."""
        return sum(
            cpu - self.start.get(pid, 0.0) for pid, (k, cpu) in self.last.items() if k == kind
        )

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def _sample(self) -> dict[int, tuple[str, float]]:
        server = [self.server, *self.server.children(recursive=True)]
        ours = psutil.Process().children(recursive=True)
        seen = {}
        for proc in server + [p for p in ours if p not in server]:
            try:
                times = proc.cpu_times()
                if proc in server:
                    kind = "solara" if "solara" in proc.cmdline()[1:4] else "workers"
                else:
                    kind = "browser" if "chrom" in proc.name() else "driver"
                created = proc.create_time()
            except psutil.NoSuchProcess:
                continue
            cpu = times.user + times.system
            seen[proc.pid] = (kind, cpu)
            if self.start and proc.pid not in self.start:
                # Missed at the start (or started since): count from when it was started.
                self.start[proc.pid] = 0.0 if created >= self.started_at else cpu
        self.last.update(seen)
        return seen


def main() -> None:
    """Open the sessions, play them together, and print what each managed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they play")
    parser.add_argument("--speed", default="10 d/s", help="a speed button's label")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="give each session its own seed (own run), instead of the class all on one",
    )
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
                for k, page in enumerate(pages, start=1):
                    if args.distinct:
                        page.fill(".routesim-seed input", str(k))
                        page.press(".routesim-seed input", "Enter")
                        page.wait_for_selector(f".routesim-status:has-text('seed {k} ·')")
                    button = page.locator(".routesim-speed button", has_text=args.speed)
                    if "v-item--active" not in (button.get_attribute("class") or ""):
                        button.click()
                with CpuMeter(server) as meter:
                    for page in pages:
                        page.evaluate(RECORDER)
                        page.click(".routesim-play")
                    time.sleep(args.seconds)
                records = [page.evaluate("() => window.__days") for page in pages]
                for page in pages:  # as a closed tab does: the server ends the session
                    page.goto("about:blank")
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    runs = "each its own seed" if args.distinct else "all on the default settings"
    print(
        f"{args.sessions} sessions at {args.speed} ({runs}), {args.seconds:g} s of play, "
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
        cpu = meter.used("solara")
        print(
            f"days/s per session: min {min(rates):.1f}, median {median:.1f}; "
            f"worst gap {worst_overall:.0f} ms; Solara process CPU {cpu:.1f} s, "
            f"{1000 * cpu / max(frames, 1):.1f} ms per session-frame ({frames} frames); "
            f"band workers {meter.used('workers'):.1f} s; "
            f"browser {meter.used('browser'):.1f} s"
        )


if __name__ == "__main__":
    main()
