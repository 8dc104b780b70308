"""The app in a real browser: loads offline and clean, levers and play move the charts, compare.

The chart and projector tests take screenshots at 1024x768 and 1280x720; they go to the
test's temporary folder, or to docs/app/ with ``ROUTESIM_REFRESH_SCREENSHOT=1``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from routesim.app.live import LiveRun, LiveSettings
from routesim.app.page import chart_day
from routesim.lever_fields import THEMES
from routesim.levers import lever_specs
from routesim.routes import ROUTES

# The README's screenshot is refreshed on request only, so a test run leaves the tree clean.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "app-screenshot.png"
LEVER = "levers.partner_coast_guard.tunisia"
READY_MS = 60_000

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".routesim-map-overlay", timeout=READY_MS)
    page.wait_for_selector(".routesim-flows svg", timeout=READY_MS)


def _wait_until_day(page, day: int) -> None:
    """Wait while playing until the status line reads `day` or later.

    A slow machine plays fewer days a second (one day a frame at least), so the wait is
    long; the status line may be missing for a moment while Solara redraws.
    """
    page.wait_for_function(
        "(day) => Number(/day (\\d+) of/.exec("
        "document.querySelector('.routesim-status')?.innerText)?.[1] ?? -1) >= day",
        arg=day,
        timeout=3 * READY_MS,
    )


def _day(page) -> int:
    return int(re.search(r"day (\d+) of", page.inner_text(".routesim-status")).group(1))


def _detections(page) -> float:
    return float(page.get_attribute(".routesim-flow-panel[data-metric='detections']", "data-total"))


def test_page_loads_offline_with_no_console_errors(app_url, browser_page, tmp_path) -> None:
    page, problems = browser_page
    _open(page, app_url)
    assert "day 0 of 365" in page.inner_text(".routesim-status")
    # The map's base layer and overlay are there, and every lever has a control.
    assert page.locator(".routesim-map-base path").count() > 100
    assert (
        page.locator(".routesim-map-overlay .boat").count() > 0
    )  # boats already at sea after warm-up
    page.click(".routesim-play")
    _wait_until_day(page, 60)
    page.click(".routesim-play")  # pause
    page.wait_for_selector(".routesim-step:not([disabled])", timeout=READY_MS)
    assert page.locator(".routesim-flows polyline[stroke-dasharray]").count() == 5  # observed 2023
    page.set_viewport_size({"width": 1440, "height": 1750})
    page.wait_for_timeout(800)
    refresh = os.environ.get("ROUTESIM_REFRESH_SCREENSHOT") == "1"
    screenshot = DOCS_SCREENSHOT if refresh else tmp_path / "app.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    for title in THEMES.values():  # panels render their sliders when opened
        page.get_by_text(title, exact=True).click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.routesim-lever').length === {len(lever_specs())}",
        timeout=30_000,
    )
    assert problems == []


def test_a_fresh_install_renders_offline_and_prints_the_url_last(app_server, browser_page) -> None:
    # The server runs as after the README's install alone: no asset cache, no network.
    url, log = app_server
    page, problems = browser_page
    _open(page, url)
    assert page.locator(".routesim-map-base path").count() > 100
    assert page.locator(".routesim-play").is_visible()
    page.get_by_text(next(iter(THEMES.values())), exact=True).click()
    page.wait_for_selector(".routesim-lever", timeout=30_000)
    assert problems == []
    # A second page view, which printed Solara's cookie warning again (a reload aborts the
    # first view's close request, a failed request that is no problem).
    page.reload()
    _open(page, url)
    # Page views print nothing: the URL, printed once the port answered, stays the last line.
    assert log.read_text().splitlines()[-1] == f"routesim app: {url}"


def test_lever_and_play_change_the_charts(app_url, browser_page) -> None:
    page, problems = browser_page
    _open(page, app_url)
    assert _detections(page) == 0.0
    page.get_by_text("Partner-country cooperation").click()
    slider = page.locator(f".lever-{LEVER.replace('.', '-').replace('_', '-')} .v-slider")
    slider.locator(".v-slider__thumb-container").focus()
    page.keyboard.press("End")  # the slider's maximum: Tunisia's coast guard at 4x 2023
    page.wait_for_selector(".routesim-changes", timeout=30_000)
    page.click(".routesim-play")
    _wait_until_day(page, 40)
    page.click(".routesim-play")  # pause
    page.wait_for_selector(".routesim-step:not([disabled])", timeout=READY_MS)
    page.wait_for_timeout(500)
    day = _day(page)
    shown = _detections(page)
    assert shown > 0
    assert problems == []

    # The charts show this lever's run, drawn to the last whole week: the same settings
    # stepped in the test give the same detections to that day, the baseline other ones.
    drawn = chart_day(day, 365)
    assert drawn % 7 == 0 and day - 7 < drawn <= day
    assert _detections_to(LiveSettings(overrides=((LEVER, 4.0),)), drawn) == pytest.approx(shown)
    assert _detections_to(LiveSettings(), drawn) != pytest.approx(shown)


def _detections_to(settings: LiveSettings, day: int) -> float:
    """Detections over the first `day` days of a run (stepped one day more: see Recording.daily)."""
    run = LiveRun(settings)
    run.advance(day + 1)
    daily = run.daily()
    return float(daily[daily["day"] < day]["detections"].sum())


def test_compare_view_shows_two_runs(app_url, browser_page, tmp_path) -> None:
    page, problems = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    page.click(".routesim-tab-compare")
    # Three replicates: six runs in the server, next to the Simulate tab's band.
    page.click(".routesim-compare-replicates")
    page.locator(".menuable__content__active .v-list-item", has_text="3").click()
    page.click(".routesim-compare-run")
    page.wait_for_selector(".routesim-compare-table", timeout=300_000)
    assert page.locator("svg.routesim-compare-a polyline").count() >= 5
    assert page.locator("svg.routesim-compare-b polyline").count() >= 5
    text = page.inner_text(".routesim-compare-table")
    assert "A: baseline-2023" in text and "B: no-ngo-rescue" in text
    assert page.locator(".routesim-compare-table tr").count() == 7  # header, 5 routes, all
    assert page.locator(".routesim-compare-key .routesim-key").count() == 5
    assert page.locator("svg.routesim-compare-diff polygon.band").count() == 1
    # Fewer deaths in B are green, more red, whatever the sign of B − A.
    assert page.get_by_text("Green: better (fewer dead and missing)", exact=False).count() == 1
    page.locator("svg.routesim-compare-diff").scroll_into_view_if_needed()
    _shot(page, tmp_path, "compare-1280x720")
    assert problems == []


def test_what_if_compares_2016_without_the_eu_turkey_statement(
    app_url, browser_page, tmp_path
) -> None:
    from routesim.app.compare import SIMULATE_TAB
    from routesim.app.whatif import WHAT_IF

    page, problems = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    _pick_scenario(page, "history-2015-2023")
    for picker, years in (("first", "2016-2023"), ("last", "2016-2016")):
        _choose(page, f".routesim-{picker}-year", "2016")
        page.wait_for_function(
            "(years) => document.querySelector('.routesim-changes')?.innerText"
            ".includes(`Years ${years} of the history`)",
            arg=years,
            timeout=READY_MS,
        )
    page.click(".routesim-tab-compare")
    _choose(page, ".routesim-compare-pick-a", SIMULATE_TAB)
    _choose(page, ".routesim-compare-pick-b", WHAT_IF)
    _choose(page, ".routesim-compare-replicates", "3")
    page.wait_for_selector(".routesim-whatif-change", timeout=READY_MS)
    statement = "20 Mar 2016: EU-Turkey Statement"
    _choose(page, ".routesim-whatif-change", statement)
    page.click(".routesim-compare-run")
    page.wait_for_selector(".routesim-compare-table", timeout=300_000)
    text = page.inner_text(".routesim-compare-table")
    assert "A: history-2015-2023 2016-2016" in text
    assert "B: A without EU-Turkey Statement (20 Mar 2016)" in text
    assert page.locator("svg.routesim-compare-a polyline").count() >= 5
    assert page.locator("svg.routesim-compare-b polyline").count() >= 5
    # A has the Statement among its dated changes and B not: each chart keys its own.
    keys = page.locator(".routesim-compare-key ~ .routesim-timeline-key")
    assert keys.count() == 2
    assert statement in keys.nth(0).inner_text()
    assert "B: A without" in keys.nth(1).inner_text()
    assert statement not in keys.nth(1).inner_text()
    assert page.locator("svg.routesim-compare-diff polygon.band").count() == 1
    page.locator("svg.routesim-compare-diff").scroll_into_view_if_needed()
    _shot(page, tmp_path, "what-if-1280x720")
    assert problems == []


def test_lessons_panel_shows_a_lesson_and_loads_its_preset(app_url, browser_page) -> None:
    from routesim.lessons import load_lesson

    lesson = load_lesson("search-and-rescue")
    page, problems = browser_page
    _open(page, app_url)
    page.click(".routesim-lesson")
    page.locator(".menuable__content__active .v-list-item", has_text=lesson.title).click()
    page.wait_for_selector(".routesim-lesson-text", timeout=30_000)
    text = page.inner_text(".routesim-lesson-text")
    assert lesson.question in text and "References" in text and "Limits" in text
    _above_the_fold(page, ".routesim-play")  # not pushed down by the lesson's text
    page.click(".routesim-lesson-load-no-rescue")
    page.wait_for_function(
        "() => document.querySelector('.routesim-changes')?.innerText.includes('2 lever changes')",
        timeout=30_000,
    )
    changes = page.inner_text(".routesim-changes")
    assert f"Lesson preset: {lesson.title}: {lesson.presets['no-rescue'].label}" in changes
    assert "NGO" in changes
    page.get_by_text("Search and rescue (2 changed)", exact=True).click()
    ngo = page.locator(".lever-levers-ngo-vessels")
    ngo.wait_for(timeout=30_000)
    assert "0 vessels on station" in ngo.inner_text()
    assert "0 vessels on station" in page.inner_text(".lever-levers-sar-state-vessels-central-med")
    assert problems == []


DOCS_APP = Path(__file__).resolve().parents[2] / "docs" / "app"
#: The band's four runs take a minute or two on two shared cores.
BAND_MS = 300_000


def _shot(page, tmp_path: Path, name: str) -> Path:
    folder = DOCS_APP if os.environ.get("ROUTESIM_REFRESH_SCREENSHOT") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


def _above_the_fold(page, selector: str) -> None:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] + box["height"] <= height, (selector, box, height)


def _step(page) -> None:
    before = page.inner_text(".routesim-status")
    page.click(".routesim-step")
    page.wait_for_function(
        "(t) => (document.querySelector('.routesim-status')?.innerText ?? t) !== t", arg=before
    )


def test_band_observed_to_date_and_exports_at_1280x720(app_url, browser_page, tmp_path) -> None:
    page, problems = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    # Before the first day the charts say why they are empty, unless the band of other
    # seeds has come: the module's earlier sessions on these settings may have waited for
    # it, and it spans the year from day 0. One step gives the charts a rate.
    charts = page.inner_text(".routesim-flows")
    if page.locator(".routesim-band-key").count() == 0:
        assert "no day completed yet" in charts
    _step(page)
    # The status line moves on before the charts are redrawn, and with the band already
    # there the note is gone at day 0: wait for day 1's detections themselves.
    page.wait_for_function(
        "() => Number(document.querySelector(\".routesim-flow-panel[data-metric='detections']\")"
        "?.getAttribute('data-total') ?? 0) > 0",
        timeout=30_000,
    )
    assert "no day completed yet" not in page.inner_text(".routesim-flows")
    _above_the_fold(page, ".routesim-map")
    _above_the_fold(page, ".routesim-flow-panel")
    assert "observed 2023 to the same date" in page.inner_html(".routesim-totals")
    # The band arrives in the background and does not hold the run up.
    page.wait_for_selector(".routesim-band-key", timeout=BAND_MS)
    assert page.locator(".routesim-flows polygon.band").count() == 6 * 5
    assert page.locator(".routesim-totals .whisker").count() == 2 * 5
    _shot(page, tmp_path, "simulate-1280x720")

    with page.expect_download() as csv:
        page.locator(".routesim-flows .routesim-csv").first.click()
    text = Path(csv.value.path()).read_text()
    assert text.splitlines()[0] == "period_start,route,simulated,observed_2023,band_low,band_high"
    with page.expect_download() as png:
        page.locator(".routesim-totals .routesim-png").first.click()
    assert png.value.suggested_filename == "routesim-detections-to-date.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Under the 470 x 190 chart, at twice its size: the caption's two lines (the run,
    # and "Levers: as in the scenario"), 14 px each and 6 px of margin.
    assert Image.open(png.value.path()).size == (2 * 470, 2 * (190 + 2 * 14 + 6))
    caption = page.locator(".routesim-totals .routesim-png").first.get_attribute("data-caption")
    assert json.loads(caption or "")[1] == "Levers: as in the scenario"
    assert problems == []


def _fits(page, selector: str) -> bool:
    """Whether an element shows all of its content: nothing cut off or scrolled out of sight."""
    return page.evaluate(
        "(s) => { const e = document.querySelector(s); return e.scrollWidth <= e.clientWidth; }",
        selector,
    )


def _controls_fit(page) -> None:
    # The four speeds, "30 d/s" last, within the narrow controls column; the date box's
    # label whole while the box is empty.
    assert _fits(page, ".routesim-speed")
    last = page.locator(".routesim-speed .v-btn").last
    assert last.inner_text() == "30 d/s"
    right = page.locator(".routesim-speed").bounding_box()
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= right["x"] + right["width"]
    assert page.input_value(".routesim-jump-date input") == ""
    assert _fits(page, ".routesim-jump-date label")


def test_projector_mode_and_lever_status_at_1024x768(app_url, browser_page, tmp_path) -> None:
    page, problems = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    _open(page, app_url)
    assert page.locator(".routesim-route-key div").count() == 5
    _controls_fit(page)
    page.click(".routesim-projector-toggle")
    page.wait_for_selector(".routesim-projector", timeout=READY_MS)
    _controls_fit(page)
    size = page.evaluate(
        "() => getComputedStyle(document.querySelector('.routesim-flow-panel text')).fontSize"
    )
    assert size == "15px"
    _above_the_fold(page, ".routesim-map")
    _above_the_fold(page, ".routesim-flow-panel")
    # Solara's banner covered axes and the CSV/PNG links in the bottom right corner.
    assert page.get_by_text("This website runs on").count() == 0
    _shot(page, tmp_path, "projector-1024x768")

    page.get_by_text("Partner-country cooperation").click()
    slider = page.locator(".lever-levers-partner-coast-guard-tunisia .v-slider")
    slider.locator(".v-slider__thumb-container").focus()
    page.keyboard.press("End")
    page.wait_for_selector(".routesim-changes", timeout=30_000)
    assert "1 lever change:" in page.inner_text(".routesim-changes")
    assert "Tunisia" in page.inner_text(".routesim-changes")
    # The observed figures stay, faint and named as a reference only.
    assert "a reference only" in page.inner_text(".routesim-legend")
    assert page.locator(".routesim-flows polyline[stroke-opacity]").count() == 5
    assert problems == []


def test_follow_a_boat_from_setting_out_to_its_end_at_1280x720(
    app_url, browser_page, tmp_path
) -> None:
    page, problems = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    page.click(".routesim-follow-pick")
    page.wait_for_selector(".routesim-follow li", timeout=READY_MS)
    first = page.locator(".routesim-follow li").first.inner_text()
    assert "put to sea from" in first and "the smuggler charged €" in first
    assert page.locator(".routesim-follow li").last.inner_text().startswith("now")
    # The map's overlay and the story are separate widgets: each may update first.
    page.wait_for_selector(".routesim-map-overlay .followed", timeout=READY_MS)
    assert page.locator(".routesim-map-overlay .followed").count() == 1
    # Played on, the story grows until the boat's crossing ends, however it ends.
    page.click(".routesim-play")
    page.wait_for_function(
        "() => { const items = document.querySelectorAll('.routesim-follow li');"
        " return items.length >= 2 && !items[items.length - 1].innerText.startsWith('now'); }",
        timeout=3 * READY_MS,
    )
    page.click(".routesim-play")  # pause
    page.wait_for_selector(".routesim-map-overlay .followed", state="detached", timeout=READY_MS)
    assert page.locator(".routesim-follow li").first.inner_text() == first
    _shot(page, tmp_path, "follow-a-boat-1280x720")
    assert problems == []


def _one_line(page) -> None:
    """The status line takes one line of text, whatever its length."""
    height, line = page.evaluate(
        "() => { const s = document.querySelector('.routesim-status');"
        " return [s.offsetHeight, parseFloat(getComputedStyle(s).lineHeight)]; }"
    )
    assert height < 1.5 * line, (height, line)


def _choose(page, select: str, item: str) -> None:
    """Pick `item` from the drop-down list of the select with CSS selector `select`."""
    page.click(select)
    page.locator(".menuable__content__active .v-list-item", has_text=item).click()


def _pick_scenario(page, name: str) -> None:
    _choose(page, ".routesim-scenario", name)
    page.wait_for_function(
        "(name) => document.querySelector('.routesim-status')?.innerText.startsWith(name)",
        arg=name,
        timeout=READY_MS,
    )


@pytest.mark.parametrize("scenario", ["baseline-2023", "history-2015-2023"])
def test_opening_the_lever_panels_changes_no_lever(app_url, browser_page, scenario) -> None:
    # A slider whose step cannot hold its value snaps it, which reads as a lever change
    # and restarts the run; the history scenario starts some levers away from 2023's.
    page, problems = browser_page
    _open(page, app_url)
    if scenario != LiveSettings().scenario:
        _pick_scenario(page, scenario)
    _step(page)
    _step(page)  # day 2: a restart would show day 0
    status = page.inner_text(".routesim-status")
    shown = 0
    for theme, title in THEMES.items():
        page.get_by_text(title, exact=True).click()
        shown += sum(1 for spec in lever_specs() if spec.theme == theme)
        page.wait_for_function(
            f"() => document.querySelectorAll('.routesim-lever').length === {shown}",
            timeout=30_000,
        )
    page.wait_for_timeout(2_000)  # the snapped value came back within a second
    assert page.locator(".routesim-changes").count() == 0, page.inner_text(".routesim-changes")
    assert page.inner_text(".routesim-status") == status
    assert "day 2 of" in status
    if scenario == "history-2015-2023":
        # The open sliders move to the levers the timeline put in force by the day shown
        # (nine changes by July 2018, some to values no slider had shown): no user change.
        page.fill(".routesim-jump-date input", "2018-07-01")
        page.click(".routesim-jump")
        _wait_until_day(page, 1278)
        page.wait_for_function(
            "() => document.querySelector('.lever-levers-ngo-port-days')?.innerText"
            ".includes('now 10 days (change 9')",
            timeout=30_000,
        )
        page.wait_for_timeout(2_000)
        assert page.locator(".routesim-changes").count() == 0, page.inner_text(".routesim-changes")
        assert "day 1278 of" in page.inner_text(".routesim-status")
        assert "2 vessels on station" in page.inner_text(".lever-levers-ngo-vessels")
    assert problems == []


def test_history_has_year_axes_and_marks_and_names_its_dated_changes(
    app_url, browser_page, tmp_path
) -> None:
    from routesim.app.timeaxis import timeline_events
    from routesim.scenario import load_scenario

    events = timeline_events(load_scenario("history-2015-2023"))
    first, second = events[0], events[1]
    page, problems = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    _pick_scenario(page, "history-2015-2023")
    # Lever changes (the 2023 baseline has a one-off event only): the history's charts are drawn.
    page.wait_for_selector(
        ".routesim-flow-panel .event-mark:not(.low)", state="attached", timeout=READY_MS
    )
    panel = page.locator(".routesim-flow-panel").first
    assert panel.locator("text.x-tick").all_text_contents() == [str(y) for y in range(2015, 2024)]
    assert panel.locator(".event-mark:not(.low)").count() == len(events)
    # The one-off events beside them: Evros, Ceuta and Lampedusa, lettered and keyed apart.
    assert panel.locator(".event-mark.low").count() == 3
    assert (
        page.locator(".routesim-one-off-key")
        .all_inner_texts()[0]
        .startswith("A 28 Feb 2020: Crowd at the Evros border")
    )
    assert "latest change" not in page.inner_text(".routesim-status")
    # Played past the first change (and a week more, for the charts' weekly redraw),
    # short of the second: the status line and the key name the first.
    page.locator(".routesim-speed button", has_text="30 d/s").click()
    page.click(".routesim-play")
    _wait_until_day(page, first.day + 8)
    page.click(".routesim-play")  # pause
    page.wait_for_selector(".routesim-step:not([disabled])", timeout=READY_MS)
    assert first.day + 8 <= _day(page) < second.day
    assert f"latest change 1, {first.title}" in page.inner_text(".routesim-status")
    page.wait_for_function(
        "(label) => document.querySelector('.routesim-event-key.latest')?.innerText"
        ".includes(label)",
        arg=first.label,
        timeout=30_000,
    )
    assert page.locator(".routesim-event-key").count() == len(events)
    _one_line(page)
    page.locator(".routesim-timeline-key").scroll_into_view_if_needed()
    _shot(page, tmp_path, "history-1280x720")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(500)
    _one_line(page)
    _shot(page, tmp_path, "history-1024x768")
    assert problems == []


def test_history_jumps_to_a_date_beside_the_observed_months_and_runs_a_window(
    app_url, browser_page, tmp_path
) -> None:
    from routesim.app.history import jump_day
    from routesim.app.reference import observed_to_date, reference_for
    from routesim.app.timeaxis import latest_event, timeline_events
    from routesim.scenario import load_scenario

    start, days = dt.date(2015, 1, 1), 3287
    target = jump_day("2016-09-20", start, days)
    observed = reference_for(LiveSettings("history-2015-2023"), start, days)
    page, problems = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, app_url)
    _pick_scenario(page, "history-2015-2023")
    page.fill(".routesim-jump-date input", "2016-09-20")
    page.click(".routesim-jump")
    # Days not yet recorded are stepped first, with a progress bar, then the day is shown.
    page.wait_for_selector(".routesim-jump-progress", timeout=30_000)
    _wait_until_day(page, target)
    page.wait_for_selector(".routesim-jump-progress", state="detached", timeout=READY_MS)
    status = page.inner_text(".routesim-status")
    assert f"day {target} of {days} · 20 Sep 2016" in status
    latest = latest_event(timeline_events(load_scenario("history-2015-2023")), target)
    assert latest is not None and latest.date.year == 2016
    assert status.endswith(f"latest change {latest.number}, {latest.title}")
    _one_line(page)
    assert _fits(page, ".routesim-status")  # all of it on screen at 1280 wide
    # The sliders show the levers in force on the day shown: the NGO fleet of June 2016.
    page.get_by_text("Search and rescue", exact=True).click()
    page.wait_for_selector(".lever-levers-ngo-vessels", timeout=30_000)
    assert "10 vessels on station (change 4, 1 Jun 2016)" in page.inner_text(
        ".lever-levers-ngo-vessels"
    )

    # The observed months of 2015-2023 are dashed beside the simulated ones, each month a
    # step (two points), on the detections and on the dead and missing panel.
    detections = page.locator(".routesim-flow-panel[data-metric='detections']")
    lines = detections.locator("polyline[stroke-dasharray='5 3']")
    assert lines.count() == len(ROUTES)
    title = lines.first.locator("title").text_content()
    assert title == "observed, Central Mediterranean (Frontex)"
    assert len(lines.first.get_attribute("points").split()) == 2 * 108
    deaths = page.locator(".routesim-flow-panel[data-metric='dead_missing']")
    assert deaths.locator("polyline[stroke-dasharray='5 3']").count() == len(ROUTES)
    legend = page.inner_text(".routesim-legend")
    assert "events, not people" in legend and "a lower bound" in legend
    # The totals run to the day the charts are drawn to, observed and simulated alike.
    drawn = chart_day(target, days)
    expected = observed_to_date(observed.monthly["detections"]["central_med"], start, drawn)
    page.wait_for_function(
        "(text) => document.querySelector('.routesim-totals')?.innerHTML.includes(text)",
        arg=f"observed to the same date (Frontex, months pro rata): {expected:,.0f}",
        timeout=30_000,
    )
    assert "history-2015-2023.csv" in page.inner_text(".routesim-note")
    page.locator(".routesim-flows").scroll_into_view_if_needed()
    _shot(page, tmp_path, "history-jump-1280x720")

    # A window of three years: a run of its own, labelled by quarter, drawn by week.
    page.click(".routesim-first-year")
    page.locator(".menuable__content__active .v-list-item", has_text="2016").click()
    page.wait_for_function(
        "() => document.querySelector('.routesim-status')?.innerText.includes('day 0 of')",
        timeout=READY_MS,
    )
    page.click(".routesim-last-year")
    page.locator(".menuable__content__active .v-list-item", has_text="2018").click()
    page.wait_for_function(
        "() => document.querySelector('.routesim-changes')?.innerText"
        ".includes('Years 2016-2018 of the history')",
        timeout=READY_MS,
    )
    page.wait_for_function(
        "() => document.querySelector('.routesim-status')?.innerText.includes('day 0 of 1096')",
        timeout=READY_MS,
    )
    assert "starts 1 Jan 2016" in page.inner_text(".routesim-status")
    # The charts are redrawn after the status line (a render of their own): wait for the
    # window's axis instead of reading whichever axis is on screen at that moment.
    page.wait_for_function(
        "() => { const t = [...(document.querySelector('.routesim-flow-panel')"
        "?.querySelectorAll('text.x-tick') ?? [])].map(e => e.textContent);"
        " return t.includes('2018') && !t.includes('2019'); }",
        timeout=READY_MS,
    )
    ticks = page.locator(".routesim-flow-panel").first.locator("text.x-tick").all_text_contents()
    assert ticks[0] == "2016" and "2018" in ticks and "2019" not in ticks
    assert "per week" in page.inner_text(".routesim-flows")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(500)
    _one_line(page)
    _shot(page, tmp_path, "history-window-1024x768")
    assert problems == []


def test_a_typed_zero_is_zero_and_reset_all_levers_undoes_it(app_url, browser_page) -> None:
    # A click at a slider's start gave 0.02, not 0; Reset rewound the day but kept levers.
    page, problems = browser_page
    _open(page, app_url)
    page.get_by_text(THEMES["sar"], exact=True).click()
    box = page.locator(".lever-levers-ngo-vessels .routesim-lever-number input")
    box.fill("0")
    box.press("Enter")
    page.wait_for_selector(".routesim-changes", timeout=30_000)
    assert "NGO rescue vessels: 0 vessels on station (was 3)" in page.inner_text(
        ".routesim-changes"
    )
    page.wait_for_function(
        "() => document.querySelector('.lever-levers-ngo-vessels')?.innerText"
        ".includes('now 0 vessels')",
        timeout=30_000,
    )
    page.click(".routesim-reset-levers")
    page.wait_for_selector(".routesim-changes", state="detached", timeout=30_000)
    assert "now 3 vessels" in page.inner_text(".lever-levers-ngo-vessels")
    assert page.locator(".routesim-reset-levers[disabled]").count() == 1
    assert problems == []
