"""The Jinja environment: template lookup and the values every template can use.

Templates are found in the user's folders first, then in briefgen's own ``templates/``;
``!builtin/name`` always means briefgen's own copy, so a user template can extend it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Sequence

import jinja2

from . import __version__
from .i18n import language
from .markdown import to_html, to_text
from .model import Briefing, Event, PartialDate
from .resources import resource_path


@cache
def environment(template_dirs: tuple[Path, ...] = ()) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(resource_path("templates"))
    loader = jinja2.ChoiceLoader([
        *(jinja2.FileSystemLoader(folder) for folder in template_dirs),
        builtin,
        jinja2.PrefixLoader({"!builtin": builtin}, delimiter="/"),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,  # every template here is HTML, XHTML or XML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = to_html
    env.filters["plain"] = to_text
    return env


def context(briefing: Briefing, **extra: Any) -> dict[str, Any]:
    """What every template sees: the briefing, its language's labels, and helpers."""
    return {
        "briefing": briefing,
        "labels": language(briefing.lang),
        "event_id": event_id,
        "person_id": person_id,
        "appearances": appearances(briefing),
        "format_date": lambda day: language(briefing.lang).date(
            PartialDate(day.year, day.month, day.day)),
        "person_index": {person.name: index for index, person in enumerate(briefing.people)},
        "version": __version__,
        # Single-document outputs link within the page; the EPUB builder, which splits the
        # briefing into several files, overrides these two.
        "people_href": "",
        "events_href": lambda anchor: "",
        **extra,
    }


def event_id(index: int) -> str:
    """A stable anchor for the n-th event (ASCII, never starting with a digit)."""
    return f"event-{index + 1:02d}"


def person_id(index: int) -> str:
    return f"person-{index + 1:02d}"


def appearances(briefing: Briefing) -> dict[str, list[tuple[str, Event]]]:
    """Person name → the events they take part in, as ``(anchor, event)`` pairs."""
    found: dict[str, list[tuple[str, Event]]] = {p.name: [] for p in briefing.people}
    for index, event in enumerate(briefing.events):
        for name in event.people:
            found[name].append((event_id(index), event))
    return found


def render(template: str, briefing: Briefing, template_dirs: Sequence[Path] = (),
           **extra: Any) -> str:
    """Fill a template with a briefing."""
    env = environment(tuple(template_dirs))
    return env.get_template(template).render(context(briefing, **extra))
