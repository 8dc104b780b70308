"""`routesim app`'s start-up checks: the port, and the browser assets the install brings."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from routesim.app.assets import PACKAGES, asset_dir, check_assets, missing_assets
from routesim.app.server import port_is_free, serve
from routesim.errors import RoutesimError

HOST = "127.0.0.1"


@pytest.fixture
def listening() -> Iterator[int]:
    """A port something listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind((HOST, 0))
        server.listen()
        yield server.getsockname()[1]


def _time_wait_port() -> int:
    """A port no one listens on any more, whose last connection is in TIME-WAIT on its side.

    The side that closes a TCP connection first keeps it in TIME-WAIT for a minute: a
    server stopped while browsers were connected leaves its port so.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((HOST, 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection((HOST, port))
        accepted, _ = server.accept()
        accepted.close()  # the server's side closes first
        client.recv(1)  # the client has seen the close ...
        client.close()  # ... and answers it
    return port


def test_a_port_in_time_wait_is_free() -> None:
    port = _time_wait_port()
    # A bind without SO_REUSEADDR, as the check made before, still finds it taken.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as plain, pytest.raises(OSError):
        plain.bind((HOST, port))
    assert port_is_free(HOST, port)


def test_a_port_something_listens_on_is_not_free(listening: int) -> None:
    assert not port_is_free(HOST, listening)


def test_serve_refuses_a_taken_port_naming_it_and_the_option(listening: int) -> None:
    with pytest.raises(RoutesimError, match=rf"port {listening} .*in use.*--port"):
        serve(HOST, listening)


def test_the_install_brings_every_asset_the_page_loads() -> None:
    assert missing_assets(asset_dir()) == []
    check_assets(asset_dir())


def test_packages_are_the_ones_solaras_page_asks_for() -> None:
    import solara.server
    from solara.server.settings import assets

    template = Path(solara.server.__file__).parent / "templates" / "solara.html.j2"
    html = template.read_text() + "{{cdn}}" + assets.fontawesome_path
    asked = set(re.findall(r"\{\{cdn\}\}/((?:@[\w-]+/)?[\w-]+@[\w.-]+)/", html))
    # The Vue 3 app is for ipyvue >= 2, which the app does not use.
    assert {spec for spec in asked if "vuetify3" not in spec} == set(PACKAGES)


def test_missing_assets_stop_the_server_saying_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(RoutesimError, match=r"missing from .*pip install --force-reinstall"):
        check_assets(tmp_path)
