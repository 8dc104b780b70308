"""The column store of people: rows that carry a head count, split where people part."""

import numpy as np
import pytest

from routesim.migrants import (
    NO_ROUTE,
    Calendar,
    Migrants,
    State,
    WaitingLines,
)


def store(*people: int) -> tuple[Migrants, np.ndarray]:
    migrants = Migrants(capacity=2)
    rows = migrants.add(np.array(people), origin=3, place=3, state=State.WAITING, day=0)
    return migrants, rows


def test_rows_carry_people_and_counts_are_in_people():
    migrants, rows = store(5, 1, 200)
    assert migrants.headcount(rows) == 206
    assert migrants.counts[NO_ROUTE, State.WAITING] == 206
    migrants.move(rows[2:], State.AT_SEA, day=1)
    assert migrants.counts[NO_ROUTE, State.AT_SEA] == 200
    assert (migrants.counts == migrants.count_states()).all()


def test_peel_splits_people_off_and_keeps_everything_else():
    migrants, rows = store(10, 7)
    migrants.means[:] = [500.0, 900.0]
    new = migrants.peel(np.array([0, 0, 1]), np.array([3, 2, 6]))
    assert migrants.people.tolist() == [5, 1, 3, 2, 6]
    assert migrants.means[new].tolist() == [500.0, 500.0, 900.0]
    assert migrants.headcount(np.arange(migrants.size)) == 17
    assert (migrants.counts == migrants.count_states()).all()


def test_first_takes_exactly_n_people_splitting_the_last_row():
    migrants, rows = store(4, 4, 4)
    taken, whole, people = migrants.first(rows, 6)
    assert whole == 1 and people == 6
    assert migrants.headcount(taken) == 6
    assert migrants.people[rows].tolist() == [4, 2, 4]
    taken, whole, people = migrants.first(rows, 100)
    assert whole == 3 and migrants.headcount(taken) == 10


def test_draw_is_binomial_per_person_not_per_row():
    migrants, rows = store(*[100] * 200)
    rng = np.random.default_rng(1)
    hit, miss = migrants.draw(rows, 0.3, rng)
    share = migrants.headcount(hit) / 20_000
    # Whole rows would give a share in steps of 1/200 with a spread of 3.2 points.
    assert share == pytest.approx(0.3, abs=0.01)
    assert migrants.headcount(hit) + migrants.headcount(miss) == 20_000
    assert len(np.intersect1d(hit, miss)) == 0


def test_draw_takes_a_chance_per_row():
    migrants, rows = store(50, 50)
    hit, miss = migrants.draw(rows, np.array([0.0, 1.0]), np.random.default_rng(0))
    assert hit.tolist() == [1] and miss.tolist() == [0]


def test_share_out_gives_each_piece_its_own_row():
    migrants, rows = store(10, 3)
    pieces = migrants.share_out(rows, np.array([0, 0, 0, 1]), np.array([6, 3, 1, 3]))
    assert pieces[0] == rows[0] and pieces[3] == rows[1]
    assert migrants.people[pieces].tolist() == [6, 3, 1, 3]


def test_divide_splits_rows_into_even_pieces_in_order():
    migrants, rows = store(10, 1, 7)
    pieces, owner = migrants.divide(rows, np.array([3, 1, 7]))
    assert owner.tolist() == [0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2]
    assert migrants.people[pieces].tolist() == [4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1]
    assert pieces[[0, 3, 4]].tolist() == rows.tolist(), "a row's first piece stays in it"
    assert (migrants.counts == migrants.count_states()).all()


@pytest.mark.parametrize("people", [(5, 3, 50, 2), (1, 1, 1, 1, 1, 1, 1)])
def test_split_shares_rows_out_into_groups_of_the_sizes_in_order(people):
    migrants = Migrants(capacity=2)
    # Each row's origin is its place in line, which the pieces split off it keep.
    rows = migrants.add(
        np.array(people), origin=np.arange(len(people)), place=0, state=State.WAITING, day=0
    )
    sizes = np.array([4, 0, 2, sum(people) - 6])
    groups = migrants.split(rows, sizes)
    assert [migrants.headcount(g) for g in groups] == sizes.tolist()
    in_line = migrants.origin[np.concatenate(groups)]
    assert (np.diff(in_line) >= 0).all(), "people keep their order in line"
    assert migrants.count_states().sum() == sum(people)
    assert migrants.people.min() >= 1


def test_waiting_line_counts_people_and_splits_the_front_row():
    migrants, rows = store(30, 30, 30)
    lines = WaitingLines(migrants, 1)
    lines.join(rows[:2], 0)
    lines.join(rows[2:], 0)
    assert lines.lengths[0] == 90
    (boat,) = lines.take([0], [45])
    assert migrants.headcount(boat) == 45
    assert lines.lengths[0] == 45
    (rest,) = lines.take([0], [100])
    assert migrants.headcount(rest) == 45 and lines.lengths[0] == 0
    assert lines.take([0], [10])[0].size == 0
    lines.join(boat, 0)
    assert lines.take([0], [100])[0].tolist() == boat.tolist(), "an emptied line fills again"


@pytest.mark.parametrize("per_row", [1, 7])
def test_taking_from_many_lines_at_once_takes_each_lines_front(per_row):
    migrants = Migrants(capacity=2)
    lines = WaitingLines(migrants, 4)
    for line, n in enumerate((30, 0, 20, 14)):
        rows = migrants.add(
            np.full(n // per_row, per_row), origin=line, place=0, state=State.WAITING, day=0
        )
        lines.join(rows, line)
    wanted = [10, 5, 100, 3]
    taken = lines.take([0, 1, 2, 3], wanted)
    got = [migrants.headcount(rows) for rows in taken]
    expected = [
        min(w, n // per_row * per_row) for w, n in zip(wanted, (30, 0, 20, 14), strict=True)
    ]
    assert got == expected
    assert [migrants.origin[rows].tolist() for rows in taken] == [
        [line] * len(rows) for line, rows in enumerate(taken)
    ], "each line's people come from that line"
    assert lines.lengths.tolist() == [
        n // per_row * per_row - e for n, e in zip((30, 0, 20, 14), expected, strict=True)
    ]
    # What is left is still in line: taking it all gives everyone back exactly once.
    rest = lines.take([0, 1, 2, 3], [100] * 4)
    everyone = np.concatenate([*taken, *rest])
    assert len(set(everyone.tolist())) == len(everyone)
    assert migrants.headcount(everyone) == sum(n // per_row * per_row for n in (30, 0, 20, 14))


def test_rows_joining_many_lines_at_once_keep_their_order_in_each():
    migrants, rows = store(*[1] * 6)
    lines = WaitingLines(migrants, 2)
    lines.join(rows, np.array([1, 0, 1, 0, 0, 1]))
    assert [r.tolist() for r in lines.take([0, 1], [10, 10])] == [[1, 3, 4], [0, 2, 5]]


def test_waiting_line_at_one_person_per_row_is_first_come_first_served():
    migrants, rows = store(*[1] * 10)
    lines = WaitingLines(migrants, 1)
    lines.join(rows, 0)
    assert lines.take([0], [4])[0].tolist() == [0, 1, 2, 3]
    assert migrants.size == 10


def test_calendar_hands_out_each_booking_once_and_never_today():
    calendar = Calendar(capacity=2)
    assert calendar.pop(0) == {}
    # Booked on day 0 for day 0: handed out tomorrow, since today's list is gone.
    calendar.add(np.array([3.7, 1.0, 0.0]), np.array([0, 1, 5]), "hub")
    assert calendar.pop(1)["hub"].tolist() == [1, 5]
    calendar.add(np.array([0.5]), np.array([2]), "release")
    assert calendar.pop(2)["release"].tolist() == [2]
    assert calendar.pop(3)["hub"].tolist() == [0]
    assert calendar.pop(3) == {}


def test_booking_again_replaces_a_booking():
    calendar = Calendar(capacity=2)
    calendar.add(np.array([5.0, 5.0, 6.0]), np.array([0, 1, 2]), "hub")
    calendar.add(np.array([8.0, 5.0]), np.array([0, 2]), "release")
    due = calendar.pop(5)
    assert due["hub"].tolist() == [1] and due["release"].tolist() == [2]
    assert calendar.pop(6) == {}, "row 2's booking for day 6 was replaced"
    assert calendar.pop(8)["release"].tolist() == [0]
