"""Migration: the fates that the dated levers of past years need (closures, pushbacks) in
short runs of the model, and each decision and fate alone on a small stub world."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest
from stub_world import MigrationWorld
from test_model import geography

from routesim.errors import ModelSetupError
from routesim.migrants import State
from routesim.migration import MIN_MEANS, Migration
from routesim.model import RouteModel, simulate
from routesim.parameters import Origin
from routesim.routes import ROUTES
from routesim.scenario import load_scenario

START = dt.date(2023, 1, 1)


def _baseline(days: int, **overrides):
    settings = {
        "scenario.start": START,
        "scenario.days": days,
        "parameters.warmup_days": 30,
        **overrides,
    }
    return load_scenario("baseline-2023").with_overrides(settings)


def test_closures_delay_departures_rather_than_cancel_them(tmp_path):
    """Everyone held at home in January weighs a move again in the months after."""
    path = tmp_path / "closed.toml"
    path.write_text(
        f'[scenario]\nname = "t"\nstart = {START}\ndays = 300\n'
        "[parameters]\nwarmup_days = 30\n"
        '[[timeline]]\ndate = 2023-01-01\nset = { "levers.covid_closures" = 1.0 }\n'
        '[[timeline]]\ndate = 2023-02-01\nset = { "levers.covid_closures" = 0.0 }\n',
        encoding="utf-8",
    )
    model = RouteModel(load_scenario(path), seed=4, scale=200, geography=geography())
    drawn, weighing = Counter(), Counter()
    after_closures = model.migration._after_closures

    def counted(origin, people):
        month = model.date.month if model.date.year == 2023 else 0
        drawn[month] += people
        weighing[month] += (out := after_closures(origin, people))
        return out

    model.migration._after_closures = counted
    daily = model.run()
    assert weighing[1] == 0 and drawn[1] > 0
    late = sum(weighing[m] - drawn[m] for m in range(2, 13))
    assert late + model.migration.postponed.sum() == drawn[1]
    assert late > 0.97 * drawn[1]  # 1 - exp(-269 / 60) of them by the end
    # Only people already on their way, moving on to another crossing, set out in January.
    january = daily["date"] < "2023-02-01"
    assert daily.loc[january, "set_out"].sum() < 0.02 * daily["set_out"].sum()


def test_people_turned_back_at_sea_are_intercepted_but_not_detected():
    every_boat_intercepted = {"parameters.eu_sea_interception.eastern_med": 1.0}
    totals = {}
    for pushbacks in (0.0, 4.0):
        scenario = _baseline(60, **every_boat_intercepted, **{"levers.sea_pushbacks": pushbacks})
        daily = simulate(scenario, seed=2, scale=100, geography=geography())
        aegean = daily[daily["route"] == "eastern_med"]
        totals[pushbacks] = aegean[["eu_interceptions", "detections"]].sum()
    # Landed, every intercepted person is a detection; turned back, none is.
    assert totals[0.0]["eu_interceptions"] <= totals[0.0]["detections"]
    turned_back = totals[4.0]["eu_interceptions"] - totals[4.0]["detections"]
    assert turned_back > 0.2 * totals[4.0]["eu_interceptions"]


def test_police_take_people_from_the_border_hubs_far_away_and_they_come_back():
    """Serbia's police clear its border hubs: the people go to Preševo, then back or elsewhere."""
    clearing = {f"parameters.camp_clearing.{iso3}": 0.0 for iso3 in ("BIH", "TUR", "MAR")}
    scenario = _baseline(40, **clearing, **{"parameters.camp_clearing.SRB": 0.3})
    model = RouteModel(scenario, seed=5, scale=20, geography=geography())
    migration, j = model.migration, model.journeys
    serbian = {c.index for c in model.land_crossings if c.country == "SRB"}
    presevo = j.place_index["presevo"]
    moved_rows: list = []
    move_away = migration.move_away

    def watched(crossings, shares):
        before = {c.index: int(migration.lines.lengths[c.index]) for c in crossings}
        size = migration.migrants.size
        move_away(crossings, shares)
        m = migration.migrants
        rows = np.flatnonzero(m.place[:size] == presevo)
        rows = rows[(m.state[rows] == State.SENT_BACK) & (m.since[rows] == model.day)]
        moved_rows.append(rows)
        # Only people waiting at a Serbian hub are taken, and no more than were waiting.
        assert set(m.crossing[rows].tolist()) <= serbian
        assert m.headcount(rows) <= sum(before[c] for c in serbian)

    migration.move_away = watched
    daily = model.run()
    moved = np.unique(np.concatenate(moved_rows))
    relocated = daily.groupby("route")["relocated"].sum()
    assert relocated["western_balkans"] > 0
    assert relocated.drop("western_balkans").sum() == 0
    # Days later, some of those taken away are waiting at a border hub again, or left for
    # another crossing; none is still held where they were taken on the last day.
    m = migration.migrants
    back = np.isin(m.state[moved], [State.WAITING, State.TRAVELLING, State.ARRIVED])
    assert back.any()


def test_a_relocation_place_not_in_the_geodata_is_named():
    scenario = _baseline(10, **{"parameters.relocation_place.SRB": "nowhere"})
    with pytest.raises(ModelSetupError, match=r"parameters\.relocation_place\.SRB: 'nowhere'"):
        RouteModel(scenario, seed=1, scale=100, geography=geography())


# --- Migration's decisions and fates, one at a time, on a small world -----------------
# `MigrationWorld` (stub_world.py): people from Sabha, two sea crossings from Libya, the
# real `Migration`. Statistical checks draw thousands of people and allow about four
# standard deviations, so that they fail on a wrong chance and not by bad luck.

ZUWARA, TRIPOLI = "zuwara__lampedusa", "tripoli__pozzallo"


def people_in(world: MigrationWorld, state: State) -> int:
    return world.migrants.headcount(np.flatnonzero(world.migrants.state == state))


def where(world: MigrationWorld, rows: np.ndarray) -> set[tuple[State, str]]:
    """The states and places (ids) that people of `rows` are in."""
    m = world.migrants
    return {
        (State(state), world.journeys.place_ids[place])
        for state, place in zip(m.state[rows].tolist(), m.place[rows].tolist(), strict=True)
    }


def everyone_sets_out(**parameters) -> MigrationWorld:
    """A world where 300 people a day weigh a move and nobody prefers to stay."""
    world = MigrationWorld(stay_utility=-50.0, **parameters)
    world.migration.per_day = [300.0]
    return world


def test_people_setting_out_travel_to_a_crossing_and_are_counted():
    world = everyone_sets_out()
    world.migration.set_out()
    m = world.migrants
    assert m.size > 200
    assert (m.state == State.TRAVELLING).all()
    assert set(m.crossing.tolist()) == {0, 1}, "both crossings are within reach of Sabha"
    assert world.counts["central_med", "set_out"] == m.headcount(np.arange(m.size))


def test_nobody_sets_out_when_staying_is_far_better():
    world = MigrationWorld(stay_utility=50.0)
    world.migration.per_day = [300.0]
    world.migration.set_out()
    assert world.migrants.size == 0
    assert world.counts == {}


def test_a_crossing_out_of_reach_is_never_chosen():
    world = everyone_sets_out()
    zuwara = world.crossing(ZUWARA).index
    world.journeys.distance_km[world.place("sabha"), zuwara] = np.inf
    world.migration.set_out()
    assert world.migrants.size > 200
    assert zuwara not in world.migrants.crossing


@pytest.mark.parametrize("cheap", [ZUWARA, TRIPOLI])
def test_people_choose_the_crossing_they_can_afford(cheap):
    world = everyone_sets_out()
    # Fifty times the median means: its price term outweighs any taste shock.
    world.prices_today[:] = 75_000.0
    world.prices_today[world.crossing(cheap).index] = 500.0
    world.migration.set_out()
    assert world.migrants.size > 200
    assert set(world.migrants.crossing.tolist()) == {world.crossing(cheap).index}


def test_resettlement_places_go_to_people_who_would_have_set_out():
    world = everyone_sets_out(
        origins={"sabha": Origin(people_per_year=0.0, resettlement_share=1.0)}
    )
    # About 100 places a day, against 300 people setting out.
    world.levers = world.levers.model_copy(update={"resettlement_places": 36_500.0})
    world.migration.set_out()
    legal = people_in(world, State.LEGAL_PATHWAY)
    assert 50 < legal < 150
    assert world.counts["central_med", "legal_pathway"] == legal
    assert world.counts["central_med", "set_out"] == people_in(world, State.TRAVELLING)


def test_visa_alignment_keeps_people_who_would_fly_in_visa_free_at_home():
    world = everyone_sets_out(origins={"sabha": Origin(people_per_year=0.0, visa_free_entry=True)})
    world.levers = world.levers.model_copy(update={"visa_alignment": 1.0})
    world.migration.set_out()
    assert world.migrants.size == 0


def test_closures_hold_people_at_home_and_they_leave_once_the_closures_end():
    world = MigrationWorld(postponed_departure_days=1.0)
    migration = world.migration
    world.levers = world.levers.model_copy(update={"covid_closures": 1.0})
    assert migration._after_closures(0, 100) == 0
    assert migration.postponed.tolist() == [100]
    world.levers = world.levers.model_copy(update={"covid_closures": 0.0})
    # Over a mean of one day: all of them on the first day the borders are open.
    assert migration._after_closures(0, 10) == 110
    assert migration.postponed.tolist() == [0]


def test_a_push_table_sets_the_would_be_migrants_of_the_origins_and_months_it_has():
    world = MigrationWorld(origins={"sabha": Origin(people_per_year=365.0)})
    table = {("sabha", 2023, 2): 5.0}
    push = SimpleNamespace(per_day=lambda hub, date: table.get((hub, date.year, date.month)))
    migration = Migration(world, push)
    migration.follow_push(dt.date(2023, 2, 10))
    assert migration.per_day == [5.0]
    migration.follow_push(dt.date(2023, 3, 1))
    assert migration.per_day == [1.0], "a month the table lacks: people_per_year / 365"


def test_an_origin_not_in_the_geodata_is_named():
    with pytest.raises(ModelSetupError, match=r"parameters\.origins\.atlantis: not a place"):
        MigrationWorld(origins={"atlantis": Origin(people_per_year=1.0)})


def test_travellers_reach_the_hub_after_the_overland_journey():
    world = everyone_sets_out(overland_km_per_day=100.0)
    world.migration.set_out()
    km = world.journeys.distance_km[world.place("sabha")]
    hub_days = world.bookings(60)["hub"]
    assert sum(n for _, n in hub_days) == world.migrants.headcount(np.arange(world.migrants.size))
    # Each crossing's distance at 100 km a day, give or take a fifth, and a day to settle.
    fastest, slowest = int(0.8 * km.min() / 100.0 + 1), int(1.2 * km.max() / 100.0 + 1)
    assert fastest >= 2
    assert all(fastest <= day <= slowest for day, _ in hub_days)


def test_travellers_reaching_the_hubs_join_their_crossings_lines_in_order():
    world = MigrationWorld()
    rows = np.concatenate(
        [world.people(1, leg, state=State.TRAVELLING) for leg in (ZUWARA, TRIPOLI) * 3]
    )
    world.migration.reach_hubs(rows)
    assert where(world, rows[0::2]) == {(State.WAITING, "zuwara")}
    assert where(world, rows[1::2]) == {(State.WAITING, "tripoli")}
    indices = [world.crossing(leg).index for leg in (ZUWARA, TRIPOLI)]
    lines = world.migration.lines.take(indices, [9, 9])
    assert [line.tolist() for line in lines] == [rows[0::2].tolist(), rows[1::2].tolist()]


def test_booking_splits_rows_into_pieces_and_books_every_person_once():
    world = MigrationWorld(scale=10.0)
    rows = world.people(30, ZUWARA, per_row=10)
    # Each row's pieces are due on a day of their own: row i on day i + 1.
    person_days = world.migration._book(rows, "release", lambda owner: owner + 1.0)
    booked = world.bookings(5)["release"]
    # 8 pieces per `scale` people: a row of 10 at scale 10 is split into 8.
    assert len(booked) == 3 * 8
    assert [sum(n for day, n in booked if day == d) for d in (1, 2, 3)] == [10, 10, 10]
    assert person_days[ROUTES.index("central_med")] == 10 * 1 + 10 * 2 + 10 * 3


def test_booking_never_splits_rows_below_an_eighth_of_the_scale():
    world = MigrationWorld(scale=80.0)
    rows = world.people(30, ZUWARA, per_row=10)
    world.migration._book(rows, "release", lambda owner: np.ones(len(owner)))
    assert world.bookings(1)["release"] == [(1, 10)] * 3


def released(world: MigrationWorld, n: int, leg: str = ZUWARA, **columns) -> np.ndarray:
    """Release `n` people held on crossing `leg` (one per row); return their rows."""
    rows = world.people(n, leg, state=State.SENT_BACK, **columns)
    world.migration.release(rows)
    return rows


def stay_on_their_crossing(world: MigrationWorld) -> MigrationWorld:
    world.assumptions = world.assumptions.model_copy(update={"route_switching": 0.0})
    return world


@pytest.mark.parametrize(
    ("attempts", "chance"),
    [(1, 0.1), (2, 0.2), (50, 0.9)],  # the chance grows with failures, up to MAX_GIVE_UP
)
def test_people_released_give_up_with_the_stated_chance(attempts, chance):
    world = stay_on_their_crossing(MigrationWorld(give_up_per_attempt=0.1))
    n = 20_000
    released(world, n, attempts=attempts)
    gave_up = people_in(world, State.GAVE_UP)
    # Binomial spread: at most 0.0035 of n; 0.015 is over four times that.
    assert gave_up / n == pytest.approx(chance, abs=0.015)
    assert world.counts["central_med", "gave_up"] == gave_up


def test_people_short_of_money_give_up_faster():
    world = stay_on_their_crossing(
        MigrationWorld(give_up_per_attempt=0.2, give_up_means_weight=1.0, price=1000.0)
    )
    n = 10_000
    broke = released(world, n, attempts=1, means=0.0)
    paid_up = released(world, n, attempts=1, means=5000.0)
    m = world.migrants
    # Short of the whole price: the chance doubles (1 + weight x 1); with the price: as is.
    assert (m.state[broke] == State.GAVE_UP).mean() == pytest.approx(0.4, abs=0.02)
    assert (m.state[paid_up] == State.GAVE_UP).mean() == pytest.approx(0.2, abs=0.02)


def test_without_route_switching_everyone_released_rejoins_their_own_line_at_once():
    world = stay_on_their_crossing(MigrationWorld(give_up_per_attempt=0.0))
    zuwara, tripoli = released(world, 70, ZUWARA), released(world, 30, TRIPOLI)
    lines = world.migration.lines.lengths
    assert lines[world.crossing(ZUWARA).index] == 70
    assert lines[world.crossing(TRIPOLI).index] == 30
    assert (world.migrants.state[np.concatenate([zuwara, tripoli])] == State.WAITING).all()
    assert world.counts["central_med", "switched_crossing"] == 0


def test_people_reconsidering_switch_to_a_crossing_they_can_afford():
    world = MigrationWorld(give_up_per_attempt=0.0)
    world.assumptions = world.assumptions.model_copy(update={"route_switching": 1.0})
    world.prices_today[world.crossing(TRIPOLI).index] = 75_000.0
    rows = released(world, 200, TRIPOLI, means=1500.0)
    m = world.migrants
    # They travel (via Sabha) to Zuwara rather than wait for a boat they cannot pay.
    assert (m.crossing[rows] == world.crossing(ZUWARA).index).all()
    assert (m.state[rows] == State.TRAVELLING).all()
    assert world.counts["central_med", "switched_crossing"] == 200
    assert world.migration.lines.lengths.sum() == 0


def test_people_short_of_means_work_for_the_price_or_give_up():
    world = stay_on_their_crossing(
        MigrationWorld(
            give_up_per_attempt=0.0,
            transit_earnings_per_day=10.0,
            max_earning_days=60.0,
            price=1000.0,
        )
    )
    working = released(world, 5, means=500.0)  # 50 days of work
    hopeless = released(world, 5, means=0.0)  # 100 days: past max_earning_days
    paid_up = released(world, 5, means=1000.0)
    m = world.migrants
    assert (m.state[hopeless] == State.GAVE_UP).all()
    assert (m.state[paid_up] == State.WAITING).all()
    assert world.migration.lines.lengths.sum() == 5, "only those who can pay are in line"
    assert (m.means[working] == 1000.0).all(), "they earn the price"
    assert world.bookings(60) == {"hub": [(50, 1)] * 5}


def test_people_who_think_it_hopeless_wait_before_joining_the_line():
    world = stay_on_their_crossing(MigrationWorld(give_up_per_attempt=0.0, wait_out_days=100.0))
    world.beliefs.success[world.place("sabha"), ROUTES.index("central_med")] = 0.75
    n = 4_000
    released(world, n)
    waiting_now = world.migration.lines.lengths.sum()
    booked = world.bookings(2_000)["hub"]
    assert waiting_now + sum(n for _, n in booked) == n
    # Mean wait 100 x (1 - 0.75) = 25 days, counted in whole days: 24.5 on average;
    # the spread of the mean of 4,000 waits is 0.4 days.
    mean_day = sum(day * people for day, people in booked) / n
    assert mean_day == pytest.approx(24.5, abs=1.6)


def held(world: MigrationWorld, days: int) -> float:
    """Mean days the people booked for release in the next `days` days are held."""
    booked = world.bookings(days)["release"]
    return sum(day * n for day, n in booked) / sum(n for _, n in booked)


def test_people_pushed_back_are_held_for_the_stated_mean_and_counted_waiting():
    world = MigrationWorld(retry_days=5.0)
    n = 20_000
    rows = world.people(n, ZUWARA, state=State.AT_SEA)
    world.migration.push_back(rows)
    assert where(world, rows) == {(State.SENT_BACK, "zuwara")}
    # A day and then 5 on average (whole days of the calendar: 5.5 on average): the
    # spread of the mean of 20,000 is 0.04 days.
    assert world.counts["central_med", "waiting_days"] / n == pytest.approx(6.0, abs=0.2)
    assert held(world, 500) == pytest.approx(5.5, abs=0.2)


@pytest.mark.parametrize("before_launch", [True, False])
def test_people_stopped_by_partners_are_counted_and_held_for_the_detention_days(before_launch):
    world = MigrationWorld(detention_days=20.0)
    n = 10_000
    rows = world.people(n, ZUWARA, state=State.WAITING if before_launch else State.AT_SEA)
    world.migration.partner_stop(rows, before_launch=before_launch)
    assert (world.migrants.state[rows] == State.SENT_BACK).all()
    assert world.counts["central_med", "partner_interceptions"] == n
    assert world.counts["LBY", "partner_interceptions"] == n
    assert world.counts["central_med", "departures_prevented"] == (n if before_launch else 0)
    # The spread of the mean of 10,000 is 0.2 days.
    assert held(world, 2_000) == pytest.approx(20.5, abs=0.8)


def test_a_failed_attempt_costs_its_share_of_the_price_down_to_the_least_means():
    world = MigrationWorld(failed_attempt_cost=0.5, price=1000.0)
    rich = world.people(3, ZUWARA, state=State.AT_SEA, means=2000.0)
    poor = world.people(3, ZUWARA, state=State.AT_SEA, means=300.0)
    world.migration.push_back(np.concatenate([rich, poor]))
    assert world.migrants.means[rich].tolist() == [1500.0] * 3
    assert world.migrants.means[poor].tolist() == [MIN_MEANS] * 3


def test_people_expelled_inland_travel_back_to_the_hub_when_released():
    world = stay_on_their_crossing(MigrationWorld(expulsion_inland=1.0, give_up_per_attempt=0.0))
    rows = world.people(10, TRIPOLI, state=State.AT_SEA)
    world.migration.push_back(rows)
    assert where(world, rows) == {(State.SENT_BACK, "sabha")}, "expelled to their origin hub"
    assert world.counts["central_med", "expelled"] == 10
    world.migration.release(rows)
    assert where(world, rows) == {(State.TRAVELLING, "sabha")}
    assert world.migration.lines.lengths.sum() == 0
    days = world.journeys.distance_km[world.place("sabha"), world.crossing(TRIPOLI).index] / (
        world.parameters.overland_km_per_day
    )
    booked = world.bookings(100)["hub"]
    assert all(0.8 * days <= day <= 1.2 * days + 1 for day, _ in booked)


def test_arrivals_are_counted_and_the_stated_share_is_booked_to_return():
    world = MigrationWorld(return_decision_share=0.5)
    world.levers = world.levers.model_copy(update={"return_effectiveness": 0.4})
    n = 20_000
    rows = world.people(n, ZUWARA, state=State.AT_SEA)
    world.migration.arrive(rows)
    assert where(world, rows) == {(State.ARRIVED, "lampedusa")}
    assert world.counts["central_med", "arrivals"] == n
    assert world.counts["LBY", "arrivals"] == n
    returning = sum(n for _, n in world.bookings(5_000)["return"])
    # 0.5 x 0.4 of them; the binomial spread is 0.003.
    assert returning / n == pytest.approx(0.2, abs=0.012)


def test_people_returned_from_the_eu_are_back_at_their_origin_and_counted():
    world = MigrationWorld()
    rows = world.people(4, ZUWARA, state=State.ARRIVED)
    world.migration.return_home(rows)
    assert where(world, rows) == {(State.AT_ORIGIN, "sabha")}
    assert world.counts["central_med", "returns"] == 4


@pytest.mark.parametrize(("state", "metric"), [(State.DEAD, "dead"), (State.MISSING, "missing")])
def test_people_lost_are_counted_and_their_origin_hears_of_it(state, metric):
    world = MigrationWorld()
    origin, route = world.place("sabha"), ROUTES.index("central_med")
    feared = world.beliefs.risk[origin, route]
    rows = world.people(50, ZUWARA, state=State.AT_SEA)
    world.migration.lose(rows, state)
    assert (world.migrants.state[rows] == state).all()
    assert world.counts["central_med", metric] == 50
    # The news reaches Sabha after the rumours' delay, and none came back: their risk moves
    # towards 1 by the weight of news from 50 people (Beliefs.update).
    world.beliefs.update(world.day + MigrationWorld.RUMOUR_DAYS - 1)
    assert world.beliefs.risk[origin, route] == feared, "not heard yet"
    world.beliefs.update(world.day + MigrationWorld.RUMOUR_DAYS)
    weight = 1.0 - (1.0 - world.parameters.belief_weight) ** (50 / 10)
    assert world.beliefs.risk[origin, route] == pytest.approx(feared + weight * (1.0 - feared))


def test_police_move_everyone_waiting_at_a_hub_to_the_relocation_place():
    world = MigrationWorld(relocation_days=7.0)
    n = 5_000
    world.migration.lines.join(world.people(n, ZUWARA), world.crossing(ZUWARA).index)
    world.migration.lines.join(world.people(20, TRIPOLI), world.crossing(TRIPOLI).index)
    world.migration.move_away([world.crossing(ZUWARA)], np.array([1.0]))
    m = world.migrants
    moved = np.flatnonzero(m.state == State.SENT_BACK)
    assert m.headcount(moved) == n
    assert where(world, moved) == {(State.SENT_BACK, "sabha")}
    assert world.counts["central_med", "relocated"] == n
    assert world.migration.lines.lengths[world.crossing(ZUWARA).index] == 0
    assert world.migration.lines.lengths[world.crossing(TRIPOLI).index] == 20
    # A day and then 7 on average: 7.5 in whole days; the spread of the mean is 0.1.
    assert held(world, 500) == pytest.approx(7.5, abs=0.4)


def test_people_leaving_a_line_count_their_wait_and_their_repeated_attempts():
    world = MigrationWorld()
    first_try = world.people(3, ZUWARA)
    again = world.people(2, ZUWARA, attempts=1)
    world.migration.lines.join(np.concatenate([first_try, again]), world.crossing(ZUWARA).index)
    world.run_for(4)
    world.migration.leave_lines([world.crossing(ZUWARA)], [5])
    assert world.counts["central_med", "waiting_days"] == 5 * 4
    assert world.counts["central_med", "repeat_attempts"] == 2


@pytest.mark.parametrize("scale", [1.0, 7.0, 1000.0])
def test_people_setting_out_together_make_even_rows_whatever_the_scale(scale):
    world = MigrationWorld(scale=scale)
    heads = world.migration.rows_of(50)
    assert heads.sum() == 50
    assert len(heads) == min(50, int(np.ceil(50 / scale)))
    assert heads.max() - heads.min() <= 1


def test_a_crowd_is_shared_out_among_its_crossings_hubs():
    world = MigrationWorld()
    crossings = [world.crossing(ZUWARA), world.crossing(TRIPOLI)]
    world.migration.crowd(crossings, 1000.0)
    lines = world.migration.lines.lengths
    assert lines.sum() == 1000
    assert 400 < lines[crossings[0].index] < 600
    assert people_in(world, State.WAITING) == 1000
