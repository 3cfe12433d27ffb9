"""No footnote or note styles for the elements of a document that can have neither.

WeasyPrint 70's user-agent stylesheet gives every element five pseudo-elements that only a
footnote (``float: footnote``) or a note (``position: note(…)``) ever shows:
``::footnote-call``, ``::footnote-marker``, ``::note-call``, ``::note-marker`` and
``::note-callback`` (``css/html5_ua.css``, rules that match every element). For each of
them ``css/__init__.py: StyleFor`` cascades the rule's declarations and makes a computed
style, for every element of the document: at 200 events, 27,700 styles beside the 5,544
of the elements themselves, about half of WeasyPrint's time on styles (0.6–1.0 s of CPU of a
7–9 s layout). Only ``formatting_structure/build.py`` asks for them, and only for an
element that floats as a footnote or is placed as a note.

Here, before the styles are made, the document's stylesheets and ``style`` attributes are
read for a declaration that could make a footnote or a note: ``float: footnote``,
``position: note(…)``, or a ``float`` or ``position`` whose value is known only once
computed (``var()``). Where there is none, as in every briefing laid out from briefgen's own
templates, the user-agent stylesheet is used without the five rules: the other styles are
the same, so the PDF is the same, byte for byte (tests/test_note_styles.py). A document
with a footnote or a note, from a user's template, keeps them all.

Installed once per process, for WeasyPrint 70 (``css/__init__.py: StyleFor``; each
stylesheet's selectors are read from its cssselect2 ``Matcher``, whose entries end with
WeasyPrint's payload: the rule's declarations and its layer).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import cache
from typing import Any

from weasyprint import css as weasyprint_css
from weasyprint.html import UA_STYLESHEET

from .once import once

#: The pseudo-elements only footnotes and notes have.
NOTE_PSEUDO_ELEMENTS = frozenset(
    {"footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"}
)
#: What a ``style`` attribute must hold to make a footnote or a note: the keyword, the
#: function, a custom property, or an escape that may spell any of them.
_NOTE_SIGNS = ("footnote", "note(", "var(", "\\")


@once
def install() -> None:
    """Leave the five rules out for documents that cannot use them (once per process)."""
    original = weasyprint_css.StyleFor.__init__

    def __init__(self: Any, html: Any, sheets: list[Any], *args: Any, **kwargs: Any) -> None:
        if not may_hold_notes(html, sheets):
            sheets = [
                (_without_notes(sheet) if sheet is UA_STYLESHEET else sheet, *rest)
                for sheet, *rest in sheets
            ]
        original(self, html, sheets, *args, **kwargs)

    weasyprint_css.StyleFor.__init__ = __init__


def may_hold_notes(html: Any, sheets: list[Any]) -> bool:
    """Whether an element of ``html`` styled by ``sheets`` (WeasyPrint's ``(stylesheet,
    origin, specificity)`` list) may be a footnote or a note."""
    for sheet, *_ in sheets:
        try:
            if any(_may_make_a_note(name, value) for name, value in _declarations(sheet)):
                return True
        except (AttributeError, TypeError, ValueError):  # not the matcher this was written for
            return True
    return any(
        any(sign in style.lower() for sign in _NOTE_SIGNS)
        for element in html.etree_element.iter()
        if (style := element.get("style"))
    )


def _declarations(sheet: Any) -> Iterator[tuple[str, Any]]:
    """The name and value of every declaration of ``sheet``'s style rules."""
    for selectors in vars(sheet.matcher).values():
        if isinstance(selectors, dict):
            groups = list(selectors.values())
        elif isinstance(selectors, list):
            groups = [selectors]
        else:
            continue  # the count of selectors added
        for entries in groups:
            for entry in entries:
                declarations, _layer = entry[-1]
                for name, value, _important in declarations:
                    yield name, value


def _may_make_a_note(name: str, value: Any) -> bool:
    """Whether the declaration ``name: value`` may make a footnote or a note. A value
    that is not a keyword or a function WeasyPrint has read (one with ``var()``, known
    only once computed) may."""
    if name == "float":
        return not isinstance(value, str) or value == "footnote"
    if name == "position":
        if isinstance(value, tuple):
            return value[:1] != ("running()",)
        return not isinstance(value, str)
    return False


@cache
def _without_notes(sheet: Any) -> Any:
    """``sheet`` (WeasyPrint's ``CSS``) whose selectors match nothing of the five
    pseudo-elements; its page rules, layers and the order of its other rules as they are."""
    trimmed = copy.copy(sheet)
    trimmed.matcher = _MatcherWithoutNotes(sheet.matcher)
    return trimmed


class _MatcherWithoutNotes:
    """A cssselect2 ``Matcher``'s matches, less those for the five pseudo-elements."""

    def __init__(self, matcher: Any) -> None:
        self.matcher = matcher

    def match(self, element: Any) -> list[Any]:
        # Each match: (specificity, order, pseudo-element, payload).
        found = self.matcher.match(element)
        return [match for match in found if match[2] not in NOTE_PSEUDO_ELEMENTS]
