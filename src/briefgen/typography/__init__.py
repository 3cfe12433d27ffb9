"""CJK typesetting rules, run on the text of a briefing between loading and rendering.

A tiny core in the manner of markdown-it-py's: an ordered list of named rules, each a pure
function ``(text, lang) -> text`` in a module of its own whose docstring shows before →
after, each run only for the languages it is written for, each switchable off by name
(``--no-rule NAME``). Rules see plain text and Markdown (never names, keywords or addresses:
the format's declaration says which fields are which), with code, addresses and link targets
hidden from them (:mod:`.masking`).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from ..model import Briefing, Spec, map_text, text_values
from .masking import can_mask, mask, unmask
from .matching import matching_blocks

CHINESE_AND_JAPANESE = frozenset({"zh-Hant", "zh-TW", "zh-HK", "zh-Hans", "zh-CN", "ja"})
EVERY_LANGUAGE = frozenset({*CHINESE_AND_JAPANESE, "ko", "en"})


@dataclass(frozen=True)
class Rule:
    name: str
    change: Callable[[str, str], str] | str
    """The rule, a function ``(text, lang) -> text``; for briefgen's own rules, the name of
    the module of this package that holds it under the same name, imported when a text
    first needs the rule: compiling the rules' expressions (long classes of CJK characters)
    took a fifth of `briefgen --help`, which only names them."""
    languages: frozenset[str]
    summary: str
    needs: re.Pattern[str] = re.compile("")  # by default: every text
    """What a text must hold for the rule to change anything (a straight quote, a run of
    dots…): most texts hold nothing any rule needs and are passed by without running the
    rules' long expressions over them, which took a fifth of ``briefgen check``'s time.
    It is asked of the text as the rules before it left it: in ``中, abc`` the space is
    only a segment break's business once the comma is full width."""

    def rewrite(self, text: str, lang: str) -> str:
        """``text`` as the rule changes it."""
        change = self.change
        return (_function(change) if isinstance(change, str) else change)(text, lang)


@cache
def _function(module: str) -> Callable[[str, str], str]:
    function: Callable[[str, str], str] = getattr(
        importlib.import_module(f".{module}", __name__), module
    )
    return function


#: The rules, in the order they run.
RULES: list[Rule] = [
    # Quotes first: the marks they become are wide, which the rules after them look for.
    Rule(
        "quotes",
        "quotes",
        CHINESE_AND_JAPANESE | {"ko"},
        "the locale's quotation marks for straight quotes around CJK text",
        re.compile("[\"']"),
    ),
    Rule(
        "unbreakables",
        "unbreakables",
        CHINESE_AND_JAPANESE,
        "two-em dashes and ellipses (—— ……) for the ASCII and stand-in ones in CJK text",
        # Each branch starts with a character, not a repeat (``\.\.\.``, not ``\.{3}``): the
        # engine then skips ahead to where one of those characters is, four times as fast.
        re.compile(r"\.\.\.|。。。|[…⋯]|--|──|－－|――"),
    ),
    Rule(
        "punctuation-width",
        "punctuation_width",
        CHINESE_AND_JAPANESE,
        "full-width , : ; ! ? ( ) and 。 in Chinese and Japanese text",
        re.compile(r"[,:;!?().]|[，、：；！？）。][ \t]"),
    ),
    Rule(
        "segment-breaks",
        "segment_breaks",
        EVERY_LANGUAGE,
        "no space for a line break or stray space between two CJK characters",
        # A space or a single line break right after a wide character (or after emphasis
        # markers closing it) and before text: paragraph breaks and the spaces between
        # Western words are passed by. Non-ASCII stands in for "wide", a cheaper test than
        # the rule's own; scanning from the whitespace keeps the search fast.
        re.compile(
            r"[ \t\n]"
            r"(?:(?<=[^\x00-\x7f][ \t\n])|(?<=[^\x00-\x7f][*_][ \t\n])"
            r"|(?<=[^\x00-\x7f][*_]{2}[ \t\n]))"
            r"(?:(?<=\n)[ \t]*|(?<!\n)[ \t]*\n?[ \t]*)"
            r"(?![-+*][ \t]|[0-9]+[.)][ \t]|#|>)[^ \t\n]"
        ),
    ),
]


#: The rules applied while the PDF is laid out (briefgen/justify.py), not to the text:
#: switched off by name all the same. Browsers and e-book readers are asked for the same
#: with CSS (text-autospace, text-spacing-trim).
LAYOUT_RULES: dict[str, str] = {
    "han-latin-spacing": "a quarter em between Han or kana and Latin letters or figures",
    "punctuation-squeeze": (
        "two adjacent full-width marks in an em and a half (」， 。「), and a paragraph's "
        "last mark half width where that takes a short last line up"
    ),
}


def rule_names() -> list[str]:
    """Every rule's name: the text rules in their order, then the layout rules."""
    return [rule.name for rule in RULES] + list(LAYOUT_RULES)


def run(text: str, lang: str, disabled: Sequence[str] = ()) -> str:
    """``text`` with every enabled rule for ``lang`` applied, in order."""
    rules = [rule for rule in RULES if rule.name not in disabled and lang in rule.languages]
    # Masking leaves only the text's own characters and the placeholders' (which no rule
    # needs), so a text that holds nothing a rule needs is left as it is, unmasked. Each
    # rule is asked again below, of the text as the rules before it left it: a mark one
    # rule makes full width can be what the next one needs.
    if not any(rule.needs.search(text) for rule in rules) or not can_mask(text):
        return text
    masked, spans = mask(text)
    # Again while a pass changes anything: a change one rule makes can be what a rule
    # before it needs (`說:"Why not?"`: the quotes are CJK text's once the colon is full
    # width). Run once, a second build, or `check` after `check --fix`, found more to do.
    for _ in range(_MOST_PASSES):
        before = masked
        for rule in rules:
            if rule.needs.search(masked):
                masked = rule.rewrite(masked, lang)
        if masked == before:
            break
    return unmask(masked, spans)


#: How many times at most the rules run over a text (see run): each pass after the first
#: finds only what the one before made possible, which two or three passes exhaust.
_MOST_PASSES = 4


def apply(briefing: Briefing, disabled: Sequence[str] = ()) -> Briefing:
    """The briefing with the rules applied to each of its typeset text fields (plain text and
    Markdown; names, keywords and addresses are left as written)."""

    def fix(text: str, spec: Spec) -> str:
        return run(text, briefing.lang, disabled) if spec.kind.is_typeset else text

    return map_text(briefing, fix)


@dataclass(frozen=True)
class Finding:
    """One change a rule would make to the text of a field."""

    field: str
    rule: str
    offset: int
    """Where the change starts in the field's text as loaded."""
    before: str
    after: str


def findings(briefing: Briefing, disabled: Sequence[str] = ()) -> Iterator[Finding]:
    """Every change the rules make to the text as written, each named by the rule that
    makes it (or, one finding each, by the rules that make it together), so that a writer
    can mend the source (``briefgen check`` lists them)."""
    return _findings(text_values(briefing), briefing.lang, disabled)


#: A change to a text: where it starts and ends in the text, and what it becomes.
_Change = tuple[int, int, str]


def _findings(
    values: Iterable[tuple[str, Spec, str]], lang: str, disabled: Sequence[str]
) -> Iterator[Finding]:
    rules = [rule for rule in RULES if rule.name not in disabled and lang in rule.languages]
    # Each rule alone: every other one, of any language, switched off.
    others = {rule.name: [name for name in rule_names() if name != rule.name] for rule in rules}
    for field, spec, text in values:
        if not spec.kind.is_typeset:
            continue
        alone = {
            rule.name: set(_changes(text, run(text, lang, others[rule.name])))
            for rule in rules
            if rule.needs.search(text)  # else run() would leave the text as it is
        }
        if not any(alone.values()):
            continue
        # What the build makes of the text, with every rule in turn: a change one rule
        # makes possible for the next (a mark made full width, then the line break after
        # it joined) is one change, which no rule alone makes.
        together = run(text, lang, disabled)
        # What the text becomes without each rule, asked once per text: asked again for
        # each change no rule makes alone, it took minutes for a long body with many.
        without: dict[str, set[_Change]] = {}
        for change in _changes(text, together):
            names = [name for name, changes in alone.items() if change in changes]
            if not names:  # the rules whose absence would undo or alter it
                if not without:
                    without = {
                        rule.name: set(_changes(text, run(text, lang, [*disabled, rule.name])))
                        for rule in rules
                    }
                names = [rule.name for rule in rules if change not in without[rule.name]]
            for name in names:
                yield _finding(field, name, text, change)


def _changes(before: str, after: str) -> list[_Change]:
    """What difflib's comparison of the two texts lists as not equal (its opcodes), from
    the same blocks in common found faster (see .matching)."""
    if before == after:
        return []
    changes = []
    start = new_start = 0
    for end, new_end, size in [*matching_blocks(before, after), (len(before), len(after), 0)]:
        if start < end or new_start < new_end:
            changes.append((start, end, after[new_start:new_end]))
        start, new_start = end + size, new_end + size
    return changes


def _finding(field: str, rule: str, before: str, change: _Change) -> Finding:
    # One character of context on each side makes a change readable and findable.
    start, end, replacement = change
    context_start, context_end = max(start - 1, 0), min(end + 1, len(before))
    shown_before = before[context_start:context_end]
    shown_after = before[context_start:start] + replacement + before[end:context_end]
    return Finding(field, rule, start, shown_before, shown_after)


def lint(briefing: Briefing, disabled: str | Sequence[str] = ()) -> list[str]:
    """The findings as the lines ``briefgen check`` prints:
    ``file:line:col: field: rule-name: before → after`` (the names of all the rules that
    make the same change, comma-separated), but those of the rules named in ``disabled``.

    The briefing is held to a file's rules first, as a build holds it: one made in Python
    with a wrong value raises :class:`~briefgen.errors.BriefingError`, where the rules,
    finding nothing to change in it, would have returned no findings, and a pipeline
    checking before it builds would have taken that for a briefing with nothing to mend.
    An unknown rule name raises :class:`~briefgen.errors.UsageError` (a misspelt name
    would switch nothing off)."""
    from ..options import given_rules  # the options import the rules' names from here
    from ..verify import verify

    return listed(verify(briefing), given_rules(disabled, "disabled"))


def listed(briefing: Briefing, disabled: Sequence[str] = ()) -> list[str]:
    """:func:`lint` of a briefing already checked (loaded from its file, or verified) and
    of rule names already known."""
    values = list(text_values(briefing))  # walked once: 6,000 records at 1,000 events
    texts = {field: text for field, _, text in values}
    file = briefing.shown_name
    # One change that two rules each make (a space after 。 is both a half-width gap and a
    # break between segments) is one line, naming both rules.
    rules_by_change: dict[tuple[str, int, str, str], list[str]] = {}
    for finding in _findings(values, briefing.lang, disabled):
        change = (finding.field, finding.offset, finding.before, finding.after)
        rules_by_change.setdefault(change, []).append(finding.rule)
    located = []
    for (field, offset, before, after), rules in rules_by_change.items():
        position = briefing.positions.get(field)
        at = position.at(texts[field], offset) if position else None
        where = f"{file}:{at.line}:{at.column}" if at else file
        line = f"{where}: {field}: {', '.join(rules)}: {_visible(before)} → {_visible(after)}"
        located.append(((at.line, at.column) if at else (0, 0), line))
    # In file order, as an editor shows them; sorted() keeps one spot's rules in their order.
    return [line for _, line in sorted(located, key=lambda item: item[0])]


def _visible(text: str) -> str:
    """A snippet on one line, its line breaks and tabs shown as ``\\n`` and ``\\t``."""
    return text.replace("\n", "\\n").replace("\t", "\\t")
