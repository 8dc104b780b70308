"""Push by nationality: would-be migrants per origin hub and month, from detections.

`derive_push` turns a table of Frontex detections by year, route and nationality
(columns ``year,route_id,border_type,nationality_iso3,detections``, any years) into
the model's push, ``origin,month,people``: how many would-be migrants each origin hub
has in each month. `write_push` stores it as CSV with a provenance header, `read_push`
reads it back, validated, and `yearly_people` gives one year's people per hub, the
values of ``parameters.origins.<hub>.people_per_year``.

Only each nationality's total over all routes in a year is used, never its split
between routes: shuffling ``route_id`` among a nationality's rows of a year leaves the
result unchanged. (The routes are the model's output; deriving its input from them
would build the answer in.) The steps, per year:

1. Each listed nationality's detections go to its hubs by the shares of the shipped
   mapping (``routesim/data/push/nationality-hubs.toml``, each entry with its reason);
   nationalities mapped to no hub (Albanians, Kosovars, Ukrainians: routes the model
   does not have) are dropped. Unknown nationalities (``OOO``, ``OOS``) and any the mapping
   does not list are unattributed.
2. Double counts: for the years the mapping lists (2015 and 2016), a fixed share of
   the year's detections, the Western Balkans' share of all detections that year, is
   taken as second counts of people already detected entering Greece or Bulgaria. The
   share is a constant of the mapping file (from Frontex's route totals over all
   nationalities), not read from the table's route split. They are removed from the
   unattributed detections first (the Hungarian and Croatian registrations of 2015-16
   seldom recorded a nationality), then from the Türkiye-Greece corridor hubs in
   proportion to their detections. Other years get no correction.
3. What is left unattributed is spread over the hubs in proportion to the attributed
   detections of the year, dropped ones included (so that the dropped share of the
   unknown is dropped too).
4. Scale: detections are fewer than would-be migrants (some stay, are stopped by
   partners, or are never detected). Each hub's people in a year are its people in
   the baseline scenario (the calibrated 2023 set) times its detections that year over
   its 2023 detections (the mapping's ``[anchor]``, derived by these same steps from the
   2015-2023 table). So the push of 2023 is the calibrated baseline, hub for hub, and
   other years move each hub by its own nationalities' detections. A single global
   factor would have moved 2023 itself off the calibration (the baseline's people per
   hub are not proportional to the detections of the hub's nationalities). Hubs no
   nationality maps to (``athens``: people already in Greece) are not in the push;
   they keep their configured people.
5. Months: people are spread over the months of a year by their number of days, flat.
   The model sets out a hub's people at a constant daily rate and applies seasonality
   in route choice, per route, fitted to the monthly detections (``seasonal_*``
   parameters, `routesim.migration`); a seasonal push would count the season twice,
   and the table is yearly anyway.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator, model_validator

from routesim import resources, schema
from routesim.configs import ConfigModel, read_toml
from routesim.errors import RoutesimError
from routesim.parameters import MAX_PEOPLE_PER_YEAR, Parameters
from routesim.scenario import load_scenario

#: The shipped mapping of nationalities to origin hubs (``push/<name>.toml``).
DEFAULT_MAPPING = "nationality-hubs"
#: The scenario whose origins give each hub's people in the anchor year.
ANCHOR_SCENARIO = "baseline-2023"
#: The columns of a detections table, in order.
TABLE_COLUMNS = ("year", "route_id", "border_type", "nationality_iso3", "detections")
#: The columns of a push table, in order.
PUSH_COLUMNS = ("origin", "month", "people")
#: Shares of a nationality's hubs add up to 1 within this.
SHARE_TOLERANCE = 1e-6

_ISO3 = re.compile(r"[A-Z]{3}")
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")

#: A nationality's share going to one hub.
Share = Annotated[float, Field(gt=0, le=1)]


class Nationality(ConfigModel):
    """Where one nationality's would-be migrants set out from, and why."""

    hubs: dict[str, Share]
    why: str = Field(min_length=1)

    @field_validator("hubs")
    @classmethod
    def _shares_add_up(cls, hubs: dict[str, float]) -> dict[str, float]:
        if hubs and abs(sum(hubs.values()) - 1) > SHARE_TOLERANCE:
            raise ValueError(f"shares add up to {sum(hubs.values()):g} (expected 1)")
        return hubs


class Unknown(ConfigModel):
    """Codes that stand for no known nationality."""

    codes: list[str]
    why: str = Field(min_length=1)


class DoubleCount(ConfigModel):
    """Second counts of the same people, per year, and the hubs they are taken from."""

    corridor: list[str] = Field(min_length=1)
    why: str = Field(min_length=1)
    # A TOML key is text: a year key "2015" is read as the number it spells.
    repeat_share: dict[Annotated[int, Field(strict=False)], Annotated[float, Field(ge=0, lt=1)]]


class Anchor(ConfigModel):
    """Each hub's detections in the year whose push is the calibrated baseline."""

    year: int
    detections: dict[str, Annotated[float, Field(gt=0)]]


class NationalityHubs(ConfigModel):
    """A mapping of nationalities to origin hubs (``routesim/data/push/*.toml``)."""

    nationalities: dict[str, Nationality]
    unknown: Unknown
    double_count: DoubleCount
    anchor: Anchor

    @field_validator("nationalities")
    @classmethod
    def _iso3_keys(cls, nationalities: dict[str, Nationality]) -> dict[str, Nationality]:
        for code in nationalities:
            if not _ISO3.fullmatch(code):
                raise ValueError(f"{code!r}: expected an ISO3 code of three capitals ('SYR')")
        return nationalities

    @model_validator(mode="after")
    def _hubs_are_origins(self) -> NationalityHubs:
        origins = anchor_people()
        named = {hub for entry in self.nationalities.values() for hub in entry.hubs}
        for where, hubs in (
            ("nationalities", named),
            ("double_count.corridor", self.double_count.corridor),
            ("anchor.detections", self.anchor.detections),
        ):
            unknown = sorted(set(hubs) - origins.keys())
            if unknown:
                raise ValueError(
                    f"{where}: {unknown[0]!r} is not an origin of the {ANCHOR_SCENARIO} "
                    f"scenario (expected one of {', '.join(origins)})"
                )
        missing = sorted(named - self.anchor.detections.keys())
        if missing:
            raise ValueError(f"anchor.detections: no entry for hub {missing[0]!r}")
        listed = sorted(set(self.unknown.codes) & self.nationalities.keys())
        if listed:
            raise ValueError(f"unknown.codes: {listed[0]!r} is also listed in [nationalities]")
        return self


@dataclass(frozen=True)
class Push:
    """A derived push and how it was made.

    Attributes:
        people: ``origin,month,people``, one row per hub and month.
        years: Per year: the table's ``detections``, the ``unattributed`` ones (unknown
            or unlisted nationality), those ``dropped`` (nationalities outside the
            model), the ``second_counts`` removed, the detections ``at_hubs`` after
            all that, and the ``people`` of the push.
        unlisted: Codes the mapping does not list, with their detections, largest first.
        provenance: ``key: value`` lines for the output's header.
    """

    people: pd.DataFrame
    years: pd.DataFrame
    unlisted: dict[str, int]
    provenance: dict[str, str]


def derive_push(
    table_path: Path,
    mapping: str | Path = DEFAULT_MAPPING,
    years: Iterable[int] | None = None,
    *,
    scaled: bool = True,
) -> Push:
    """Derive would-be migrants per origin hub and month from detections by nationality.

    Args:
        table_path: A CSV of detections (`TABLE_COLUMNS`), any years.
        mapping: A mapping's name (``push/<name>.toml``, see `routesim.resources`) or path.
        years: The years to derive; by default every year in the table.
        scaled: False gives each hub's detections (steps 1-3 of the module docstring,
            flat over months) instead of would-be migrants: the mapping's anchor is
            these for its year.

    Returns:
        The push, a summary per year and its provenance.

    Raises:
        RoutesimError: The table or the mapping is malformed, a year asked for is not in
            the table, or the double-count rule removes more than there is; one line
            naming the file and the row, column or key.
    """
    hubs, mapping_path, mapping_shown = read_mapping(mapping)
    table = read_detections(table_path)
    chosen = _chosen_years(table, years, table_path)
    # The one aggregation the derivation reads: nationality totals, over all routes.
    totals = table.groupby(["year", "nationality_iso3"])["detections"].sum()
    summary, unlisted, frames = [], dict[str, int](), []
    for year in chosen:
        at_hubs, row, missing = _hub_detections(totals.loc[year], hubs, year, table_path)
        for code, count in missing.items():
            unlisted[code] = unlisted.get(code, 0) + count
        if scaled:
            people = anchor_people()
            yearly = {h: people[h] * d / hubs.anchor.detections[h] for h, d in at_hubs.items()}
        else:
            yearly = at_hubs
        row["people"] = sum(yearly.values())
        summary.append(row)
        frames.append(_monthly(yearly, year))
    return Push(
        people=pd.concat(frames, ignore_index=True),
        years=pd.DataFrame(summary).set_index("year"),
        unlisted=dict(sorted(unlisted.items(), key=lambda item: -item[1])),
        provenance={
            "input": f"{table_path} (sha256 {_sha256(table_path)})",
            "mapping": f"{mapping_shown} (sha256 {_sha256(mapping_path)})",
            "scale": (
                f"people per hub of scenario {ANCHOR_SCENARIO} times detections over the "
                f"{hubs.anchor.year} anchor"
                if scaled
                else "none: detections at hubs"
            ),
        },
    )


def _hub_detections(
    totals: pd.Series, hubs: NationalityHubs, year: int, table_path: Path
) -> tuple[dict[str, float], dict[str, Any], dict[str, int]]:
    """One year's detections per hub from its nationality totals (steps 1-3).

    Returns:
        Detections per hub, the year's summary row, and the unlisted codes' detections.
    """
    at_hubs: dict[str, float] = {}
    dropped = unattributed = 0.0
    unlisted: dict[str, int] = {}
    for code, count in totals.items():
        entry = hubs.nationalities.get(str(code))
        if entry is None:
            unattributed += count
            if code not in hubs.unknown.codes and count > 0:
                unlisted[str(code)] = int(count)
            continue
        if not entry.hubs:
            dropped += count
        for hub, share in entry.hubs.items():
            at_hubs[hub] = at_hubs.get(hub, 0.0) + count * share
    total = float(totals.sum())
    second = hubs.double_count.repeat_share.get(year, 0.0) * total
    from_corridor = max(second - unattributed, 0.0)
    left = unattributed - (second - from_corridor)
    corridor = sum(at_hubs.get(hub, 0.0) for hub in hubs.double_count.corridor)
    if from_corridor > corridor:
        raise RoutesimError(
            f"{table_path}: year {year}: the double-count rule removes {from_corridor:,.0f} "
            f"second counts from the corridor hubs, which have only {corridor:,.0f} detections"
        )
    if from_corridor > 0:
        for hub in hubs.double_count.corridor:
            if hub in at_hubs:
                at_hubs[hub] *= 1 - from_corridor / corridor
    attributed = sum(at_hubs.values()) + dropped
    if left > 0 and attributed == 0:
        raise RoutesimError(
            f"{table_path}: year {year}: no detection of a nationality the mapping lists, "
            "so the unknown ones cannot be spread over the hubs"
        )
    spread = 1 + left / attributed if attributed else 1.0
    at_hubs = {hub: count * spread for hub, count in at_hubs.items()}
    row = {
        "year": year,
        "detections": total,
        "unattributed": unattributed,
        "dropped": dropped * spread,
        "second_counts": second,
        "at_hubs": sum(at_hubs.values()),
    }
    return at_hubs, row, unlisted


def _monthly(yearly: dict[str, float], year: int) -> pd.DataFrame:
    """A year's people per hub spread over its months by their days."""
    days = np.array([calendar.monthrange(year, month)[1] for month in range(1, 13)])
    weights = days / days.sum()
    hubs = sorted(yearly)
    return pd.DataFrame(
        {
            "origin": np.repeat(hubs, 12),
            "month": [f"{year}-{month:02d}" for _ in hubs for month in range(1, 13)],
            "people": np.concatenate([yearly[hub] * weights for hub in hubs]),
        }
    )


def _chosen_years(table: pd.DataFrame, years: Iterable[int] | None, path: Path) -> list[int]:
    present = sorted(int(year) for year in table["year"].unique())
    if years is None:
        return present
    chosen = sorted(set(years))
    absent = [year for year in chosen if year not in present]
    if absent:
        have = ", ".join(map(str, present)) or "none"
        raise RoutesimError(f"{path}: no rows for year {absent[0]} (years in the table: {have})")
    return chosen


@cache
def anchor_people() -> dict[str, float]:
    """Would-be migrants per year of each origin hub in the anchor scenario."""
    origins = load_scenario(ANCHOR_SCENARIO).parameters.origins
    return {hub: origin.people_per_year for hub, origin in origins.items()}


def read_mapping(source: str | Path = DEFAULT_MAPPING) -> tuple[NationalityHubs, Path, str]:
    """Read and validate a nationality mapping.

    Returns:
        The mapping, its file and its name in messages.

    Raises:
        RoutesimError: One line naming the file and the key.
    """
    path, shown = resources.locate("push", source)
    try:
        raw = read_toml(path, shown)
    except FileNotFoundError:
        known = resources.listing("push", resources.names("push", "*.toml"))
        raise RoutesimError(f"{shown}: no such nationality mapping ({known})") from None
    try:
        return NationalityHubs.model_validate(raw), path, shown
    except ValidationError as exc:
        raise RoutesimError(f"{shown}: {schema.first_problem(exc, NationalityHubs)}") from None


def read_detections(path: Path) -> pd.DataFrame:
    """Read a detections table (`TABLE_COLUMNS`), checked row by row.

    Raises:
        RoutesimError: One line naming the file, and the line and column at fault.
    """
    raw = _read_csv(path, TABLE_COLUMNS)
    for column in ("route_id", "border_type"):
        _check(path, raw, column, raw[column].str.strip() != "", "empty")
    _check(path, raw, "year", raw["year"].str.fullmatch(r"\d{4}"), "expected a year (2024)")
    _check(
        path,
        raw,
        "nationality_iso3",
        raw["nationality_iso3"].str.fullmatch(_ISO3.pattern),
        "expected an ISO3 code of three capitals (SYR)",
    )
    _check(
        path,
        raw,
        "detections",
        raw["detections"].str.fullmatch(r"\d{1,12}"),
        "expected a whole number of detections, 0 or more",
    )
    return raw.astype({"year": int, "detections": np.int64})


def write_push(push: Push, path: Path, command: str) -> Path:
    """Write a push as CSV, its provenance (and `command`) as ``#`` lines above it."""
    lines = [
        "# routesim push: would-be migrants per origin hub and month (routesim/push.py)",
        *(f"# {key}: {value}" for key, value in push.provenance.items()),
        f"# command: {command}",
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write("\n".join(lines) + "\n")
            push.people.to_csv(handle, index=False, float_format="%.3f", lineterminator="\n")
    except OSError as exc:
        raise RoutesimError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def read_push(path: Path) -> pd.DataFrame:
    """Read a push written by `write_push`, checked row by row.

    Raises:
        RoutesimError: One line naming the file, and the line and column at fault.
    """
    raw = _read_csv(path, PUSH_COLUMNS, comment="#")
    origins = list(Parameters().origins)
    _check(
        path,
        raw,
        "origin",
        raw["origin"].isin(list(origins)),
        f"not an origin hub (expected one of {', '.join(origins)})",
    )
    _check(path, raw, "month", raw["month"].str.fullmatch(_MONTH.pattern), "expected YYYY-MM")
    people = pd.to_numeric(raw["people"], errors="coerce")
    _check(
        path,
        raw,
        "people",
        people.between(0, MAX_PEOPLE_PER_YEAR),
        f"expected a number of people from 0 to {MAX_PEOPLE_PER_YEAR:,}",
    )
    _check(
        path,
        raw,
        "month",
        ~raw.duplicated(["origin", "month"]),
        "a second row for this origin and month",
    )
    return raw.assign(people=people)


@dataclass(frozen=True)
class PushSchedule:
    """A push table as a run uses it: would-be migrants per origin hub and month.

    Attributes:
        people: People per (hub, year, month).
        first_year: The table's first year: months before it (a run's warm-up) take
            that year's same month, so that the warm-up fills the routes at the level
            the run starts with.
    """

    people: Mapping[tuple[str, int, int], float]
    first_year: int

    def per_day(self, hub: str, date: dt.date) -> float | None:
        """Would-be migrants a day at `hub` in the month of `date`; None if the table has none."""
        year = max(date.year, self.first_year)
        people = self.people.get((hub, year, date.month))
        if people is None:
            return None
        return people / calendar.monthrange(year, date.month)[1]


def push_schedule(path: Path) -> PushSchedule:
    """The push table at `path` (`read_push`), read once per process while it is unchanged."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise RoutesimError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return _schedule(path, stamp)


@cache
def _schedule(path: Path, stamp: int) -> PushSchedule:
    table = read_push(path)
    years = table["month"].str.slice(0, 4).astype(int)
    months = table["month"].str.slice(5, 7).astype(int)
    people = {
        (str(hub), int(year), int(month)): float(n)
        for hub, year, month, n in zip(table["origin"], years, months, table["people"], strict=True)
    }
    return PushSchedule(people, first_year=int(years.min()) if len(years) else 0)


def yearly_people(push: pd.DataFrame, year: int) -> dict[str, float]:
    """Each hub's would-be migrants in `year`: ``parameters.origins.<hub>.people_per_year``.

    Args:
        push: A push table (`read_push`, or `Push.people`).
        year: The year; every hub in it needs all twelve months.

    Raises:
        RoutesimError: The table has no row of `year`, or a hub lacks some month of it.
    """
    rows = push[push["month"].str.startswith(f"{year}-")]
    if rows.empty:
        raise RoutesimError(f"push table: no rows for {year}")
    months = rows.groupby("origin")["month"].nunique()
    short = months[months < 12]
    if not short.empty:
        raise RoutesimError(
            f"push table: {short.index[0]} has {short.iloc[0]} of the 12 months of {year}"
        )
    people = rows.groupby("origin")["people"].sum()
    return {str(hub): float(value) for hub, value in people.items()}


def _read_csv(path: Path, columns: Sequence[str], comment: str | None = None) -> pd.DataFrame:
    """A CSV as text columns, refused unless its header is exactly `columns`."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, comment=comment)
    except FileNotFoundError:
        raise RoutesimError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RoutesimError(f"{path}: is a folder, not a file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problem = " ".join(str(exc).split()) or type(exc).__name__
        raise RoutesimError(f"{path}: not a readable CSV table: {problem}") from None
    header = list(raw.columns)
    for column in columns:
        if column not in header:
            raise RoutesimError(
                f"{path}: column {column}: missing (expected columns {','.join(columns)})"
            )
    extra = [column for column in header if column not in columns]
    if extra:
        raise RoutesimError(
            f"{path}: column {extra[0]}: unexpected (expected columns {','.join(columns)})"
        )
    table = raw[list(columns)]
    # Lines of the file, for messages: the `#` lines above the header, then the header.
    table.attrs["first_line"] = _leading_comments(path, comment) + 2
    return table


def _leading_comments(path: Path, comment: str | None) -> int:
    if comment is None:
        return 0
    count = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith(comment):
                break
            count += 1
    return count


def _check(path: Path, raw: pd.DataFrame, column: str, ok: pd.Series, problem: str) -> None:
    """Raise for the first row where `ok` is not true, naming its line and value."""
    bad = np.flatnonzero(~ok.fillna(False).to_numpy(dtype=bool))
    if len(bad):
        row = int(bad[0])
        line = raw.attrs["first_line"] + row
        value = raw[column].iloc[row]
        raise RoutesimError(f"{path}: line {line}: column {column}: {problem}, got {value!r}")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
