"""The one-sheet handout's text: each event's first sentence, and the refusal when the
events do not fit on the front and back of one sheet."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from .errors import BuildError, display_path
from .markdown import first_block, to_text
from .options import PAPERS, points

#: The pages of one sheet: front and back.
SHEET_PAGES = 2

#: The end of a sentence: a full-width stop (。！？, with any closing quote or bracket after it),
#: or a Western one followed by a space or the end of the text. The curly quotes too, which
#: Simplified Chinese, Korean and English quote with: 他宣布：“停火。” ends as 「走吧！」 does,
#: where the stop inside them was passed over for the next one outside, a sentence later.
_SENTENCE_END = re.compile(r"[。！？][」』）〕】》〉”’]*|[.!?][\"')\]”’]*(?=\s|$)")


def first_sentence(body: str) -> str:
    """The first sentence of an event's body, as plain text ("" for an empty body).

    >>> first_sentence("金正恩抵達。雙方會談。")
    '金正恩抵達。'
    >>> first_sentence("He came. They met.")
    'He came.'
    >>> first_sentence("1. 雙方同意停火。")
    '雙方同意停火。'
    """
    text = " ".join(to_text(first_block(body)).split())
    ends = [found.end() for found in _SENTENCE_END.finditer(text)]
    if not ends:
        return text
    # A stop inside a quotation or brackets ends the quoted sentence, not the reader's:
    # 知事は「遅れは遺憾だ。国に求めたい」と話した。 was cut after 遺憾だ。, its 「 left
    # open. The first stop outside them, then; the first of all where they never close.
    return text[: next((end for end in ends if _outside_quotes(text[:end])), ends[0])]


#: Quotation marks and brackets that open and close: a sentence ends outside them.
_OPENING = "「『（〔【《〈“‘("
_CLOSING = "」』）〕】》〉”’)"


def _outside_quotes(text: str) -> bool:
    """Whether every quotation and bracket opened in ``text`` is closed by its end (a
    straight double quote opens and closes by turns; ’ is also an apostrophe, so a
    closing mark without an opening one counts for nothing)."""
    depth = 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
    return depth == 0 and text.count('"') % 2 == 0


#: How far short of a larger paper's capacity the estimate from the areas can fall. An A5
#: sheet sets its events in one column below the same title and timeline, which take a
#: larger share of it, and holds less for its area than the larger papers' two columns: 19
#: events of a line or two where an A4 sheet holds 45, not the 38 its area would say. The
#: shorter the events, the more the columns gain: of events with a one-line text, A5 holds
#: 26, B5 68 (1.74 times its estimate of 39) and A4 80 (1.54 times 52). A larger paper whose
#: estimate, this many times over, reaches every event is laid out to see.
_SHORTFALL = 2.0


def overflow_error(
    overflowed: int,
    total: int,
    paper: str,
    source: Path | None,
    fitted_on: Callable[[str], int] | None = None,
) -> SheetOverflow:
    """What a user reads when the handout would need more than one sheet: how many events
    overflowed, and the larger papers that would take them all. ``fitted_on(paper)`` lays
    the handout out on a larger paper and counts the events that fit; it is asked for the
    papers that might take them all, estimated from how many fitted on this one, in
    proportion to the paper's area (the estimate alone, without it)."""
    verb = "does" if overflowed == 1 else "do"
    fitted = total - overflowed
    estimates = {
        name: fitted * _area(name) / _area(paper) for name in PAPERS if _area(name) > _area(paper)
    }
    counted = {
        name: fitted_on(name)
        for name, estimate in estimates.items()
        if fitted_on is not None and estimate * _SHORTFALL >= total
    }
    # The smallest first: the least change to what the handout is printed on.
    larger = sorted(
        (name for name in estimates if counted.get(name, estimates[name]) >= total), key=_area
    )
    # Named as the command line gives the settings, and as a library call does.
    hint, keywords = "", ""
    if larger:
        hint = f"try --paper {_either(larger)}, or "
        quoted = [f'"{name}"' for name in larger]
        keywords = f"try paper={_either(quoted)}, or "
    else:
        largest = max(PAPERS, key=_area)
        if largest == paper:
            room = ""
        elif largest in counted:
            room = f", and one {largest} sheet {counted[largest]}"
        else:
            room = f", and one {largest} sheet about {int(estimates[largest])}"
        hint = keywords = f"split the briefing (one {paper} sheet holds {fitted} events{room}), or "
    where = f"{display_path(source)}: " if source else ""
    refusal = (
        f"{where}the one-sheet handout does not fit: {overflowed} of the {total} events {verb} not "
        f"fit on the front and back of one {paper} sheet\n    hint: "
    )
    return SheetOverflow(refusal, keywords, hint)


_FULL = " for the full layout"


class SheetOverflow(BuildError):
    """The refusal of a one-sheet handout that does not fit (:func:`overflow_error`). It
    ends by telling the user to do without the handout as they asked for it: by the library
    call's keyword, the command line's flag, or, where briefgen.toml set it, the file's key
    (told there to leave out --handout sheet, a flag they never typed, a user looked for it
    in vain)."""

    def __init__(self, refusal: str, keywords: str = "", hint: str = ""):
        """``refusal``: what did not fit; ``keywords`` and ``hint``: what else to try, as a
        library call and as the command line say it."""
        super().__init__(
            f'{refusal}{keywords}leave out handout="sheet"{_FULL}',
            command_line=f"{refusal}{hint}leave out --handout sheet{_FULL}",
        )
        self.refusal, self.hint = refusal, hint

    def told(self, from_file: Mapping[str, str]) -> str:
        file = from_file.get("handout")
        if file is None:
            return self.told_on_command_line()
        # As a clash of settings words a setting the file gave (errors.SettingsClash).
        return (
            f"{self.refusal}{self.hint}give --handout none (or remove handout from {file}){_FULL}"
        )


def _either(names: list[str]) -> str:
    """``A4``, ``B5 or A4``, ``B5, letter or A4``."""
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _area(paper: str) -> float:
    size = PAPERS[paper]
    return points(size.width) * points(size.height)
