"""``routesim lesson``: the teaching lessons listed, shown, or written as a handout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from routesim.cli.options import Default, Subparsers, add_run_options
from routesim.errors import RoutesimError


def add_lesson(subparsers: Subparsers) -> None:
    """Register ``routesim lesson``."""
    parser = subparsers.add_parser(
        "lesson",
        help="list the teaching lessons, show one, or write its handout (HTML)",
        description=(
            "Without NAME, list the lessons ($ROUTESIM_PATH folders' and bundled). With NAME, "
            "show the lesson's question and presets; with --handout, rerun its checked comparison "
            "and write a self-contained HTML handout: text, fresh figures and references."
        ),
    )
    parser.add_argument("name", nargs="?", default=None, metavar="NAME", help="lesson name")
    parser.add_argument(
        "--handout", type=Path, default=None, metavar="FILE", help="HTML file to write"
    )
    add_run_options(
        parser,
        replicates=Default(None, "the lesson's own; each setting runs them, on the same seeds"),
        scale=Default(None, "the lesson's own"),
        workers=Default(None, "one per CPU, at most one per run"),
    )
    parser.set_defaults(handler=_lesson)


def _lesson(args: argparse.Namespace) -> int:
    from routesim.lessons import available_lessons, load_lesson

    if args.name is None:
        if args.handout is not None:
            raise RoutesimError(
                "--handout needs a lesson NAME (run `routesim lesson` to list them)"
            )
        for name in available_lessons():
            lesson = load_lesson(name)
            print(f"{name}\n  {lesson.title}\n  {lesson.question}")
        return 0
    lesson = load_lesson(args.name)
    if args.handout is None:
        print(f"{lesson.title}\n\n{lesson.question}\n\npresets:")
        for name, preset in lesson.presets.items():
            command = " ".join(["routesim run", lesson.scenario_name, *lesson.set_options(name)])
            command = " ".join(filter(None, [command, lesson.what_if_note(name)]))
            print(f"  {name}: {preset.label}\n    {command}")
        print(f"\nchecked: {lesson.config.check.claim}\ntext: {lesson.folder / 'lesson.md'}")
        return 0
    from routesim.handouts import write_handout

    run = lesson.comparison().run.resized(args.replicates, args.scale)

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    print(write_handout(lesson, args.handout, run, args.workers, progress))
    return 0
