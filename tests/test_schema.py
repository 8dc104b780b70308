"""The one config base and the one error formatter: strict values, keys in TOML spelling."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from pydantic import BaseModel, Field, ValidationError

import routesim
from routesim import schema
from routesim.configs import ConfigModel


class _Boat(ConfigModel):
    seats: int = Field(10, ge=1, le=50)
    motor: bool = True


class _Config(ConfigModel):
    start: dt.date = dt.date(2023, 1, 1)
    boats: dict[str, _Boat] = Field(default_factory=dict)
    menu: list[_Boat] = Field(default_factory=list)
    values: list[float] | float | None = None


def _first(raw: dict) -> str:
    with pytest.raises(ValidationError) as info:
        _Config.model_validate(raw)
    return schema.first_problem(info.value, _Config)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"boats": {"dinghy": {"seats": "3"}}}, "boats.dinghy.seats: expected a whole number"),
        ({"boats": {"dinghy": {"seats": 5.0}}}, "boats.dinghy.seats: expected a whole number"),
        ({"boats": {"dinghy": {"motor": 1}}}, "boats.dinghy.motor: expected true or false, got 1"),
        ({"start": "2023-01-01"}, "start: expected a date like 2023-01-01 (no quotes)"),
        (
            {"menu": [{}, {"seats": 99}]},
            "menu[1].seats: expected a whole number from 1 to 50, got 99",
        ),
        ({"boats": {"a.b": {"seets": 3}}}, 'boats."a.b".seets: unknown key (did you mean'),
    ],
)
def test_values_of_the_wrong_kind_are_refused_and_named_by_their_toml_key(
    raw: dict, expected: str
) -> None:
    assert _first(raw).startswith(expected)


def test_union_members_name_no_key() -> None:
    # pydantic adds the member tried ("list[float]", "float") to the location.
    message = _first({"values": [1.0, "x"]})
    assert message.startswith("values")
    assert "list[float]" not in message.split(":")[0]


def test_more_problems_are_counted() -> None:
    assert _first({"start": "x", "boats": {"a": {"seats": 0}}}).endswith("(and 1 more)")


def test_every_config_model_derives_from_the_one_strict_base() -> None:
    """No config table is lax: each model in the package's config layer is a ConfigModel."""
    lax = []
    for info in pkgutil.walk_packages(routesim.__path__, "routesim."):
        if info.name.startswith(("routesim.app", "routesim.bench", "routesim.cli", "routesim.__")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseModel)
                and value.__module__ == info.name
                and not issubclass(value, ConfigModel)
            ):
                lax.append(f"{info.name}.{name}")
    assert lax == []
    assert ConfigModel.model_config.get("strict") is True
