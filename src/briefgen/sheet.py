"""The one-sheet handout's text: each event's first sentence, and the refusal when the
events do not fit on the front and back of one sheet."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import BuildError, display_path
from .markdown import to_text
from .options import PAPERS, points

#: The pages of one sheet: front and back.
SHEET_PAGES = 2

#: The end of a sentence: a full-width stop (。！？, with any closing quote or bracket after it),
#: or a Western one followed by a space or the end of the text.
_SENTENCE_END = re.compile(r"[。！？][」』）〕]*|[.!?][\"')\]]*(?=\s|$)")


def first_sentence(body: str) -> str:
    """The first sentence of an event's body, as plain text ("" for an empty body).

    >>> first_sentence("金正恩抵達。雙方會談。")
    '金正恩抵達。'
    >>> first_sentence("He came. They met.")
    'He came.'
    """
    paragraph = next((part for part in body.split("\n\n") if part.strip()), "")
    text = " ".join(to_text(paragraph).split())
    found = _SENTENCE_END.search(text)
    return text[: found.end()] if found else text


def overflow_error(overflowed: int, total: int, paper: str, source: Path | None) -> BuildError:
    """What a user reads when the handout would need more than one sheet: how many events
    overflowed, and the larger papers that would take them all, estimated from how many
    fitted on this one, in proportion to the paper's area."""
    verb = "does" if overflowed == 1 else "do"
    fitted = total - overflowed
    larger = [
        name
        for name in PAPERS
        if _area(name) > _area(paper) and fitted * _area(name) / _area(paper) >= total
    ]
    papers = ", ".join(larger[:-1]) + " or " + larger[-1] if len(larger) > 1 else "".join(larger)
    if larger:
        hint = f"try --paper {papers}, or "
    else:
        largest = max(PAPERS, key=_area)
        holds = int(fitted * _area(largest) / _area(paper))
        room = "" if largest == paper else f", and one {largest} sheet about {holds}"
        hint = f"split the briefing (one {paper} sheet holds {fitted} events{room}), or "
    where = f"{display_path(source)}: " if source else ""
    return BuildError(
        f"{where}the one-sheet handout does not fit: {overflowed} of the {total} events {verb} not "
        f"fit on the front and back of one {paper} sheet\n    hint: {hint}leave out "
        "--handout sheet for the full layout"
    )


def _area(paper: str) -> float:
    size = PAPERS[paper]
    return points(size.width) * points(size.height)
