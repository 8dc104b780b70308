"""Config files other than scenarios: TOML read into a validated model, errors in one line.

Scenarios have their own, richer loader (`routesim.scenario`); observed figures and
stylised facts use this one, so that every config file fails the same way: one line
naming the file, the key and what was wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ValidationError

from routesim.errors import RoutesimError


def read_config[M: BaseModel](path: Path, model: type[M], what: str) -> M:
    """Read `path` as TOML and validate it as `model` (`what` names it if it is missing)."""
    try:
        return model.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise RoutesimError(f"{path}: no such {what}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RoutesimError(f"{path}: invalid TOML: {exc}") from None
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise RoutesimError(f"{path}: {key}: {error['msg']}") from None
