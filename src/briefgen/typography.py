"""CJK typesetting rules, run on the text of a briefing between loading and rendering.

Each rule is a small pure function ``str → str`` registered under a name, in the order it
runs. The list is empty for now; rules land here one by one (see docs/roadmap), and the
briefing's text fields flow through :func:`apply` untouched until they do.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

from .model import Briefing, Event

Rule = Callable[[str], str]

#: Name → rule, in the order they run.
RULES: dict[str, Rule] = {}


def apply(briefing: Briefing, disabled: Sequence[str] = ()) -> Briefing:
    """The briefing with every enabled rule applied to each of its text fields."""
    rules = [rule for name, rule in RULES.items() if name not in disabled]
    if not rules:
        return briefing

    def fix(text: str | None) -> str | None:
        if text is None:
            return None
        for rule in rules:
            text = rule(text)
        return text

    return dataclasses.replace(
        briefing,
        title=fix(briefing.title), subtitle=fix(briefing.subtitle), summary=fix(briefing.summary),
        events=tuple(_fix_event(e, fix) for e in briefing.events),
        people=tuple(dataclasses.replace(p, role=fix(p.role)) for p in briefing.people),
        sources=tuple(dataclasses.replace(s, title=fix(s.title), note=fix(s.note))
                      for s in briefing.sources))


def _fix_event(event: Event, fix: Callable[[str | None], str | None]) -> Event:
    return dataclasses.replace(event, title=fix(event.title), body=fix(event.body),
                               when=fix(event.when), caption=fix(event.caption))
