"""Figures quoted in lesson texts match the stored results they come from.

A lesson's checked comparison is stored beside its text: ``verdicts.csv`` holds, per
view and target, the mean of each setting over the paired seeds (``low``, ``high``),
their paired difference, its 90% band and t (written with ``results.csv`` by
``python experiments/lessons/make_figures.py NAME``). Every number in a lesson's "What
you should observe" is listed here with the stored value it quotes, so a figure left
behind by a regenerated comparison fails rather than misleads. A number matches when
the stored value rounded to the number's last significant digit gives it ("71,800" to
the hundred, "68,000" to the thousand, "0.90%" to the hundredth). Phrases ("about two
fifths", "more than double") are held to the range stated beside them. Nothing is rerun
here: whether the comparison still holds on today's model is `tests/test_lessons.py`'s
job.

Figures of earlier versions of the model are in
``tests/reference/lesson_figures_earlier.csv`` (with the command that read each);
observed figures come from ``routesim/data/observed/history-2015-2023.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from routesim.lessons import Lesson, available_lessons, load_lesson
from routesim.resources import bundled

EARLIER = Path(__file__).parent / "reference" / "lesson_figures_earlier.csv"
OBSERVED_HISTORY = "history-2015-2023.csv"
#: A quoted figure; years (1900-2099) are dates, not figures.
NUMBER = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d[\d,]*(?:\.\d+)?")

#: A stored value, read from one lesson's verdicts (and other stored tables).
Source = Callable[[str], float]


@cache
def _lesson(name: str) -> Lesson:
    # Loading resolves every preset's scenario: the history's take a second each.
    return load_lesson(name)


@cache
def _verdicts(lesson: str) -> pd.DataFrame:
    return pd.read_csv(_lesson(lesson).folder / "verdicts.csv").set_index(["view", "target"])


def _column(column: str, view: str, target: str, scale: float = 1.0) -> Source:
    return lambda lesson: scale * float(_verdicts(lesson).loc[(view, target), column])


def low(view: str, target: str, scale: float = 1.0) -> Source:
    """The mean of the comparison's low setting."""
    return _column("low", view, target, scale)


def high(view: str, target: str, scale: float = 1.0) -> Source:
    """The mean of the comparison's high setting."""
    return _column("high", view, target, scale)


def t(view: str, target: str) -> Source:
    """The paired t, unsigned as texts quote it."""
    return lambda lesson: abs(_column("t", view, target)(lesson))


def ratio(view: str, target: str) -> Source:
    """High over low."""
    return lambda lesson: high(view, target)(lesson) / low(view, target)(lesson)


def change(view: str, target: str, scale: float = 1.0) -> Source:
    """Relative change from low to high (negative for a fall), times ``scale``."""
    return lambda lesson: scale * (ratio(view, target)(lesson) - 1)


def difference(view: str, target: str, column: str = "difference") -> Source:
    """The paired difference high - low, or an end of its 90% band."""
    return _column(column, view, target)


def band_level(view: str, target: str) -> Source:
    """The band's level (%), from its half-width in standard errors (difference / t)."""

    def read(lesson: str) -> float:
        row = _verdicts(lesson).loc[(view, target)]
        z = (row["band_high"] - row["difference"]) * abs(row["t"] / row["difference"])
        return 100 * (2 * stats.norm.cdf(z) - 1)

    return read


def replicates(lesson: str) -> float:
    return float(_lesson(lesson).comparison().run.replicates)


def scale(lesson: str) -> float:
    return float(_lesson(lesson).comparison().run.scale)


def earlier_t(which: Callable[[pd.Series], float]) -> Source:
    """The smallest or largest |t| of the lesson's rows in the earlier versions' table."""

    def read(lesson: str) -> float:
        table = pd.read_csv(EARLIER, comment="#")
        return float(which(table[table["lesson"] == lesson]["t"].abs()))

    return read


def observed_eastern_med_2016(months: slice) -> Source:
    def read(_: str) -> float:
        path = bundled("observed") / OBSERVED_HISTORY
        table = pd.read_csv(path, comment="#")
        rows = table[(table["route"] == "eastern_med") & table["month"].str.startswith("2016")]
        return float(rows["detections"].iloc[months].sum())

    return read


@dataclass(frozen=True)
class Quote:
    """A passage of a lesson text and the stored value of each number in it, in order."""

    lesson: str
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Phrase:
    """Words that state a size, the stored value they describe and the range they mean."""

    lesson: str
    text: str
    source: Source
    meaning: tuple[float, float]


SR, DP, EU = "search-and-rescue", "departure-prevention", "eu-turkey-statement"
IC, SM, WB = "information-campaigns", "smuggling-market", "western-balkans"
LP, RN = "legal-pathways", "reading-the-numbers"
A23 = "2023 assumptions"
CM_DEAD = "dead_missing.central_med"
EM = "detections.eastern_med"

QUOTES = (
    Quote(
        DP,
        "about 19,000 more departures there in the checked run, t = 3.6",
        (difference(A23, "departures.libya"), t(A23, "departures.libya")),
    ),
    Quote(EU, "(8 paired seeds, 40 people per agent)", (replicates, scale)),
    Quote(
        EU,
        "about 71,800 against 68,000 as recorded, some 3,800 or 6% more",
        (high(A23, EM), low(A23, EM), difference(A23, EM), change(A23, EM, 100)),
    ),
    Quote(
        EU,
        "(90% band 3,000 to 4,600)",
        (band_level(A23, EM), difference(A23, EM, "band_low"), difference(A23, EM, "band_high")),
    ),
    Quote(
        EU,
        "Frontex counted about 182,000 detections on the route in 2016",
        (observed_eastern_med_2016(slice(0, 12)),),
    ),
    Quote(
        EU,
        "about 154,000 detections on the Eastern Mediterranean from January to March 2016",
        (observed_eastern_med_2016(slice(0, 3)),),
    ),
    Quote(EU, "about 28,000 from April to December", (observed_eastern_med_2016(slice(3, 12)),)),
    Quote(EU, "the model has about 68,000", (low(A23, EM),)),
    Quote(
        EU,
        "95,400 without the Statement against 95,700 as recorded in the checked run (t = 0.4)",
        (
            high(A23, "departures.eastern_med"),
            low(A23, "departures.eastern_med"),
            t(A23, "departures.eastern_med"),
        ),
    ),
    Quote(
        EU,
        "210 without the Statement against 180 as recorded",
        (high(A23, "dead_missing.eastern_med"), low(A23, "dead_missing.eastern_med")),
    ),
    Quote(
        IC,
        "about 7% in the checked comparison (t = 16.1)",
        (change("underestimate", "set_out", -100), t("underestimate", "set_out")),
    ),
    Quote(
        IC,
        "427,000 set out without the campaign and 469,000 with it (t = 7.4)",
        (
            low("overestimate", "set_out"),
            high("overestimate", "set_out"),
            t("overestimate", "set_out"),
        ),
    ),
    Quote(IC, "t between 0.9 and 2.4", (earlier_t(min), earlier_t(max))),
    Quote(SR, "(about 3,400 to 2,000)", (low("no_pull", CM_DEAD), high("no_pull", CM_DEAD))),
    Quote(
        SR,
        "(about 2,400 to 3,600, t = 5.1)",
        (low("pull", CM_DEAD), high("pull", CM_DEAD), t("pull", CM_DEAD)),
    ),
    Quote(
        SM,
        "about 1.2% of departures end dead or missing with no seizure, 3.9%",
        (low(A23, "death_rate.central_med", 100), high(A23, "death_rate.central_med", 100)),
    ),
    Quote(
        SM,
        "(0.79% to 0.90% in the checked comparison, t = 3.2)",
        (
            low(A23, "death_rate.all", 100),
            high(A23, "death_rate.all", 100),
            t(A23, "death_rate.all"),
        ),
    ),
    Quote(SM, "seed noise (t = 0.2)", (earlier_t(max),)),
)

PHRASES = (
    Phrase(
        DP,
        "Departures from Tunisia fall sharply** (by about a third",
        change(A23, "departures.tunisia", -1),
        (0.3, 0.37),
    ),
    Phrase(
        DP,
        "Tunisia's partner interceptions more than double",
        ratio(A23, "partner_interceptions.tunisia"),
        (2, float("inf")),
    ),
    Phrase(
        DP,
        "Central Mediterranean departures fall, but by less than Tunisia's",
        lambda ls: (
            change(A23, "departures.central_med", -1)(ls)
            / change(A23, "departures.tunisia", -1)(ls)
        ),
        (0, 1),
    ),
    Phrase(EU, "some 3,800 or 6% more", change(A23, EM), (0.055, 0.065)),
    Phrase(
        EU,
        "the record fell by more than 80% from the first quarter to the rest of the year",
        lambda ls: (
            1
            - observed_eastern_med_2016(slice(3, 12))(ls)
            / observed_eastern_med_2016(slice(0, 3))(ls)
        ),
        (0.8, 1),
    ),
    Phrase(LP, "legal arrivals rise several-fold", ratio(A23, "legal_pathway"), (3, float("inf"))),
    Phrase(
        LP,
        "by about as many as the extra legal arrivals",
        lambda ls: -difference(A23, "set_out")(ls) / difference(A23, "legal_pathway")(ls),
        (0.8, 1.25),
    ),
    Phrase(RN, "drops from about three in ten", low(A23, "undetected_share"), (0.25, 0.35)),
    Phrase(RN, "to about one in ten", high(A23, "undetected_share"), (0.05, 0.15)),
    Phrase(
        SR,
        "`no-rescue` against `strong-rescue`, several-fold",
        lambda ls: min(1 / ratio(v, "death_rate.central_med")(ls) for v in ("no_pull", "pull")),
        (3, float("inf")),
    ),
    Phrase(
        SR,
        "fall by two fifths under the no-pull view",
        change("no_pull", CM_DEAD, -1),
        (0.35, 0.45),
    ),
    Phrase(
        SR,
        "nearly five times more people set off",
        ratio("pull", "departures.central_med"),
        (4.5, 5),
    ),
    Phrase(
        SM,
        "the mean cost of a boat launched falls by about two fifths",
        change(A23, "boat_cost", -1),
        (0.35, 0.45),
    ),
    Phrase(SM, "rises by about two fifths", change(A23, "boat_risk"), (0.35, 0.45)),
    Phrase(
        WB, "from about one half", low(A23, "detections_per_person.western_balkans"), (0.45, 0.55)
    ),
    Phrase(
        WB,
        "to more than two",
        high(A23, "detections_per_person.western_balkans"),
        (2, float("inf")),
    ),
    Phrase(
        WB,
        "The share of attempts that are repeats doubles",
        ratio(A23, "repeat_share.western_balkans"),
        (1.75, 2.5),
    ),
    Phrase(
        WB,
        "the mean wait before getting through more than doubles",
        ratio(A23, "mean_wait.western_balkans"),
        (2, float("inf")),
    ),
)


def _prose(lesson: str) -> str:
    # Passages are quoted as read: markdown line breaks fold into spaces.
    return " ".join(_lesson(lesson).text.split())


def _matches(written: str, stored: float) -> bool:
    number = float(written.replace(",", ""))
    if "." in written:
        unit = 10.0 ** -len(written.split(".")[1])
    else:
        digits = written.replace(",", "")
        unit = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if number else 1.0
    return abs(stored - number) <= unit / 2 + 1e-9 * unit


@pytest.mark.parametrize("quote", QUOTES, ids=[f"{q.lesson}: {q.text}" for q in QUOTES])
def test_quoted_numbers_are_the_stored_results(quote: Quote) -> None:
    assert quote.text in _prose(quote.lesson), f"{quote.lesson}: passage not in the text"
    written = NUMBER.findall(quote.text)
    assert len(written) == len(quote.sources), "one source per number in the passage"
    stored = [source(quote.lesson) for source in quote.sources]
    wrong = [(w, round(s, 4)) for w, s in zip(written, stored, strict=True) if not _matches(w, s)]
    assert not wrong, f"{quote.lesson}: quoted (text, stored) {wrong}"


@pytest.mark.parametrize("phrase", PHRASES, ids=[f"{p.lesson}: {p.text}" for p in PHRASES])
def test_phrases_of_size_fit_the_stored_results(phrase: Phrase) -> None:
    assert phrase.text in _prose(phrase.lesson), f"{phrase.lesson}: passage not in the text"
    value = phrase.source(phrase.lesson)
    lowest, highest = phrase.meaning
    assert lowest <= value <= highest, f"{phrase.lesson}: {phrase.text!r} but stored {value:.3g}"


@pytest.mark.parametrize("lesson", available_lessons())
def test_every_number_observed_is_quoted_here(lesson: str) -> None:
    # A number added to "What you should observe" must name its stored source above.
    section = " ".join(_lesson(lesson).sections["What you should observe"].split())
    for passage in (*QUOTES, *PHRASES):
        if passage.lesson == lesson:
            section = section.replace(passage.text, "")
    assert not NUMBER.findall(section), f"{lesson}: numbers with no stored source"


@pytest.mark.parametrize(
    ("written", "stored", "matches"),
    [
        ("71,800", 71_835, True),
        ("68,000", 68_499, True),
        ("68,000", 68_501, False),
        ("0.90", 0.901, True),
        ("0.90", 0.906, False),
        ("7", 6.88, True),
        ("210", 216, False),
    ],
)
def test_a_number_matches_to_its_last_significant_digit(
    written: str, stored: float, matches: bool
) -> None:
    assert _matches(written, stored) is matches
