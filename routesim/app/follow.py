"""Follow one boat: its story from putting to sea to its end, updating as the run plays.

A student picks the newest boat at sea (on the route shown). The panel tells where it
left from and for where, who is aboard, the boat and its load, the smuggler's price, and
then each thing that happened at sea (`routesim.app.story`): a partner coast guard,
distress and who was alerted, a rescue, a loss, a landing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import solara

from routesim.app.recording import Recording
from routesim.app.story import since
from routesim.boats import Boat


@dataclass(frozen=True)
class Followed:
    """The boat followed, and the recording it belongs to (another run has other boats)."""

    recording: Recording
    boat: Boat

    def story(self, day: int) -> list[tuple[str, str]]:
        """The boat's story up to the end of `day`, oldest first."""
        first = self.recording.first_line(self.boat)
        return [first, *since(self.recording.model, self.boat, self.recording.frame(day))]


def follow_newest(recording: Recording, day: int, route: str | None) -> Followed | None:
    """The newest boat at sea on `day` (on `route`, if given); None if there is none."""
    boat = recording.frame(day).newest(route)
    return Followed(recording, boat) if boat is not None else None


@solara.component
def FollowPanel(
    recording: Recording,
    day: solara.Reactive[int],
    route: str | None,
    current: Followed | None,
    follow: Callable[[Followed | None], None],
) -> None:
    """A button to follow the newest boat at sea, and that boat's story so far.

    Args:
        recording: The run the session plays.
        day: The day the session shows; the story is redrawn as it plays.
        route: The route shown, or None for all.
        current: The boat followed in this recording, if any.
        follow: Called with the boat picked (None if no boat is at sea).
    """
    missing = solara.use_reactive(False)

    def pick() -> None:
        picked = follow_newest(recording, day.value, route)
        missing.set(picked is None)
        follow(picked)

    solara.Button(
        "Follow the newest boat",
        on_click=pick,
        classes=["routesim-follow-pick"],
        small=True,
        outlined=True,
    )
    if missing.value and current is None:
        solara.Text(
            "No boat at sea on this route now: step a day and try again.",
            style={"font-size": "13px", "color": "#555", "display": "block"},
        )
    if current is not None:
        Story(current, day)


@solara.component
def Story(followed: Followed, day: solara.Reactive[int]) -> None:
    """The followed boat's story to the day shown, redrawn every frame."""
    items = "".join(
        f"<li><b>{escape(when)}</b> — {escape(what)}</li>"
        for when, what in followed.story(day.value)
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f'<ol class="routesim-follow" style="padding-left:18px;margin:6px 0">{items}</ol>',
        style="font-size:13px",
    )


__all__ = ["FollowPanel", "Followed", "Story", "follow_newest"]
