"""CJK typesetting rules, run on the text of a briefing between loading and rendering.

Each rule is a small pure function ``str → str`` registered under a name, in the order it
runs. The list is empty for now; rules land here one by one (see docs/roadmap), and the
briefing's text fields flow through :func:`apply` untouched until they do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .model import Briefing, Spec, map_text

Rule = Callable[[str], str]

#: Name → rule, in the order they run.
RULES: dict[str, Rule] = {}


def apply(briefing: Briefing, disabled: Sequence[str] = ()) -> Briefing:
    """The briefing with every enabled rule applied to each of its typeset text fields (plain
    text and Markdown; names, keywords and addresses are left as written)."""
    rules = [rule for name, rule in RULES.items() if name not in disabled]
    if not rules:
        return briefing

    def fix(text: str, spec: Spec) -> str:
        if not spec.kind.is_typeset:
            return text
        for rule in rules:
            text = rule(text)
        return text

    return map_text(briefing, fix)
