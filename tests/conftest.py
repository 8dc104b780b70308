"""Settings every test shares."""

from __future__ import annotations

import pytest

from routesim.resources import PATH_VARIABLE


@pytest.fixture(autouse=True)
def _no_user_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own $ROUTESIM_PATH could shadow bundled scenarios the tests rely on.
    monkeypatch.delenv(PATH_VARIABLE, raising=False)
