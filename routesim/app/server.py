"""Start the Solara server for the app: check the port and the assets, print the URL when ready."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from types import FrameType

from routesim.app import DEFAULT_PORT
from routesim.app.assets import asset_dir, check_assets, server_environment
from routesim.errors import RoutesimError

PAGE = "routesim.app.page"
#: How long to wait for the server to answer before printing its URL regardless.
READY_TIMEOUT_S = 120.0


def port_is_free(host: str, port: int) -> bool:
    """Whether a server can listen on `port` of `host`.

    Binds as uvicorn does, with ``SO_REUSEADDR``: connections of a stopped server still in
    TIME-WAIT do not hold the port then, only a socket listening on it.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that nothing listens on now (for tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def answers(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on `port` of `host` now."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def server_command(host: str, port: int) -> list[str]:
    """The command that runs the Solara server for the app's page."""
    return [
        sys.executable, "-m", "solara", "run", PAGE,
        "--host", host, "--port", str(port), "--production", "--no-open",
        # Solara would offer its newest release, which the pinned assets do not match.
        "--no-check-version",
    ]  # fmt: skip


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> int:
    """Run the app's server until interrupted; print its URL once it answers.

    Args:
        host: Address to listen on.
        port: Port to listen on.

    Returns:
        The server's exit status.

    Raises:
        RoutesimError: If the port is taken or the page's browser assets are missing.
    """
    if not port_is_free(host, port):
        raise RoutesimError(
            f"port {port} on {host} is in use (another routesim app?); pick another with --port"
        )
    folder = asset_dir()
    check_assets(folder)
    local = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    shown = f"[{local}]" if ":" in local else local
    # A `kill` stops the server too, as Ctrl-C does, rather than leave it holding the port.
    signal.signal(signal.SIGTERM, _interrupt)
    process = subprocess.Popen(server_command(host, port), env=server_environment(folder))
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while process.poll() is None and not answers(local, port) and time.monotonic() < deadline:
            time.sleep(0.2)
        if process.poll() is None:
            print(f"routesim app: http://{shown}:{port}/", flush=True)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()


__all__ = ["answers", "free_port", "port_is_free", "serve", "server_command"]
