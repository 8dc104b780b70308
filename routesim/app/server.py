"""Start the Solara server for the app: pick the port, set up offline assets, print the URL."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from routesim.app.assets import cache_dir, missing_assets, server_environment
from routesim.errors import RoutesimError

DEFAULT_PORT = 8765
PAGE = "routesim.app.page"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_is_free(host: str, port: int) -> bool:
    """Whether `port` can be bound on `host`."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def server_command(host: str, port: int) -> list[str]:
    """The command that runs the Solara server for the app's page."""
    return [
        sys.executable, "-m", "solara", "run", PAGE,
        "--host", host, "--port", str(port), "--production", "--no-open",
    ]  # fmt: skip


def serve(host: str = "127.0.0.1", port: int | None = None, assets: Path | None = None) -> int:
    """Run the app's server until interrupted; print its URL first.

    Args:
        host: Address to listen on.
        port: Port to listen on; `DEFAULT_PORT`, or a free one if that is taken, when None.
        assets: The offline asset cache; `cache_dir()` by default.

    Returns:
        The server's exit status.

    Raises:
        RoutesimError: If the requested port is taken.
    """
    folder = cache_dir() if assets is None else assets
    if port is None:
        port = DEFAULT_PORT if port_is_free(host, DEFAULT_PORT) else free_port(host)
    elif not port_is_free(host, port):
        raise RoutesimError(f"port {port} on {host} is in use; pick another with --port")
    missing = missing_assets(folder)
    if missing:
        print(
            f"note: offline assets missing in {folder} ({', '.join(missing)}); the page needs the "
            "internet until you run `routesim app --fetch-assets`",
            file=sys.stderr,
        )
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    print(f"routesim app: http://{shown}:{port}/", flush=True)
    env = server_environment(folder)
    env.setdefault("SOLARA_APP_LOG_LEVEL", "warning")
    process = subprocess.Popen(server_command(host, port), env=env)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()


__all__ = ["DEFAULT_PORT", "free_port", "port_is_free", "serve", "server_command"]
