"""Tests of routesim.maps and of the ``routesim map`` command."""

import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from matplotlib.image import imread
from synthetic_geodata import feature, make_world, write_world

from routesim.cli import main
from routesim.geography import DEFAULT_GEODATA_DIR, load_geography
from routesim.maps import render_map

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def geodata_dir(tmp_path_factory) -> Path:
    return write_world(tmp_path_factory.mktemp("geodata"))


@pytest.fixture()
def broken_geodata_dir(tmp_path) -> Path:
    world = make_world()
    feature(world, "legs", "zuwara__lampedusa")["properties"]["to"] = "lampdusa"
    return write_world(tmp_path / "broken", world)


def _assert_is_a_real_map(path: Path) -> None:
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = imread(path)
    assert image.shape[:2] == (1500, 2400)  # 16 x 10 inches at 150 dpi
    assert image[..., :3].std() > 0.05  # not a blank canvas


def test_render_map_writes_a_png(geodata_dir, tmp_path):
    backend = matplotlib.get_backend()
    out = render_map(load_geography(geodata_dir), tmp_path / "maps" / "world.png")
    assert out == tmp_path / "maps" / "world.png"
    _assert_is_a_real_map(out)
    assert matplotlib.get_backend() == backend  # rendering leaves the backend alone


def test_render_map_for_one_route(geodata_dir, tmp_path):
    out = render_map(load_geography(geodata_dir), tmp_path / "central.png", route="central_med")
    _assert_is_a_real_map(out)


def test_render_map_refuses_an_unknown_route(geodata_dir, tmp_path):
    with pytest.raises(ValueError, match="unknown route 'northern'"):
        render_map(load_geography(geodata_dir), tmp_path / "x.png", route="northern")


def test_cli_map_writes_the_map_and_prints_its_path(geodata_dir, tmp_path, capsys):
    out = tmp_path / "cli.png"
    status = main(["map", "--geodata", str(geodata_dir), "--out", str(out)])
    assert status == 0
    assert capsys.readouterr().out.strip() == str(out)
    _assert_is_a_real_map(out)


def test_cli_map_default_output_name(geodata_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["map", "--geodata", str(geodata_dir), "--route", "central_med"]) == 0
    assert capsys.readouterr().out.strip() == "out/routesim-map.png"
    assert (tmp_path / "out" / "routesim-map.png").is_file()


def test_cli_malformed_geodata_gives_one_line_and_status_2(broken_geodata_dir, tmp_path, capsys):
    status = main(["map", "--geodata", str(broken_geodata_dir), "--out", str(tmp_path / "x.png")])
    assert status == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"routesim: error: {broken_geodata_dir}/legs.geojson: feature 'zuwara__lampedusa': "
        "field 'to' names unknown place 'lampdusa'\n"
    )
    assert not (tmp_path / "x.png").exists()


def test_cli_rejects_an_unknown_route(capsys):
    assert main(["map", "--route", "northern"]) == 2
    assert "invalid choice: 'northern'" in capsys.readouterr().err


def test_cli_needs_a_command(capsys):
    assert main([]) == 2
    assert "usage: routesim" in capsys.readouterr().err


def test_python_dash_m_routesim_reports_malformed_geodata_without_traceback(
    broken_geodata_dir, tmp_path
):
    result = subprocess.run(
        [sys.executable, "-m", "routesim", "map", "--geodata", str(broken_geodata_dir),
         "--out", str(tmp_path / "x.png")],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("routesim: error: ")
    assert "names unknown place 'lampdusa'" in result.stderr


def test_python_dash_m_routesim_draws_a_map(geodata_dir, tmp_path):
    out = tmp_path / "m.png"
    result = subprocess.run(
        [sys.executable, "-m", "routesim", "map", "--geodata", str(geodata_dir), "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    _assert_is_a_real_map(out)


def test_importing_routesim_does_not_import_matplotlib():
    code = "import sys, routesim, routesim.cli; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "False"


def test_render_map_of_the_real_layers(tmp_path):
    if not (DEFAULT_GEODATA_DIR / "legs.geojson").is_file():
        pytest.skip("the real geodata layers have not been built yet")
    _assert_is_a_real_map(render_map(load_geography(), tmp_path / "real.png"))
