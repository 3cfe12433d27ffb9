"""Which characters the EPUB sets in which shipped face, so that each subset holds only those.

The answer comes from the book's own stylesheet, applied to its documents: base.css sets
headings, names, dates and labels in the bold sans and the rest in the serif, and a user's
templates may set other things in either. Only ``font-family`` (and the ``font``
shorthand) is followed for the face: each shipped face is the one weight of its family, so
the family alone picks the face. ``content`` and ``text-emphasis`` are followed for what
the reader draws besides the text: the emphasis dot is drawn in the face of the text it
marks, the bold sans where emphasis is inside a heading or ``strong``. Text whose families
name no shipped face is counted for the fallback face, as the reader may have nothing
better for it.

Selectors are matched with cssselect2 (once per kind of element: selector_cache.py) and the
stylesheet read with tinycss2, both WeasyPrint's own dependencies (so always installed with
briefgen).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import cssselect2  # type: ignore[import-untyped]
import tinycss2  # type: ignore[import-untyped]

from .. import fonts
from .selector_cache import SignatureMatcher

log = logging.getLogger("briefgen")

_XHTML = "{http://www.w3.org/1999/xhtml}"
_SVG = "{http://www.w3.org/2000/svg}"
_BODY = f"{_XHTML}body"
#: Elements whose text is never drawn.
_NOT_DRAWN = {
    *(f"{_XHTML}{name}" for name in ("script", "style", "template")),
    *(f"{_SVG}{name}" for name in ("title", "desc", "metadata", "style", "script")),
}
#: What a ``counter()`` in generated content can draw.
_DIGITS = "0123456789"
#: The properties that set the emphasis mark (``-webkit-`` for WebKit's readers).
_EMPHASIS = frozenset(
    {"text-emphasis", "text-emphasis-style", "-webkit-text-emphasis", "-webkit-text-emphasis-style"}
)
#: The marks of ``text-emphasis-style``'s shapes, filled and open (CSS Text Decoration 3).
_MARKS = {
    "dot": ("\u2022", "\u25e6"),
    "circle": ("\u25cf", "\u25cb"),
    "double-circle": ("\u25c9", "\u25ce"),
    "triangle": ("\u25b2", "\u25b3"),
    "sesame": ("\ufe45", "\ufe46"),
}


class _Inherit:
    """``font-family: inherit`` (or ``unset``, the same for an inherited property)."""


_INHERIT = _Inherit()
#: A family list: the first shipped face it names, or None when it names none.
_Family = fonts.FontFace | None | _Inherit


@dataclass(frozen=True)
class _Declaration:
    """One ``font-family`` or ``content`` declaration of a style rule."""

    property: str
    """``"family"``, ``"content"`` or ``"emphasis"``."""
    important: bool
    family: _Family = None
    content: tuple[Any, ...] = ()
    """The tinycss2 tokens of a ``content`` value."""
    marks: str | None = ""
    """The emphasis marks a ``text-emphasis`` value may draw ("" for none, None to
    inherit)."""


def characters_by_face(
    documents: Iterable[str], css: str, fallback: fonts.FontFace
) -> dict[fonts.FontFace, set[str]]:
    """Every character the bodies of ``documents`` (XHTML) show, by the face ``css`` sets it
    in, ``::before`` and ``::after`` content included."""
    gathered = FaceCharacters(css, fallback)
    for xhtml in documents:
        gathered.add(xhtml)
    return gathered.found()


class FaceCharacters:
    """:func:`characters_by_face` gathered document by document, the stylesheet read once."""

    def __init__(self, css: str, fallback: fonts.FontFace) -> None:
        self.styles = _styles(css)
        self.fallback = fallback
        self.chars: dict[fonts.FontFace, set[str]] = {face: set() for face in fonts.FACES}
        self.by_signature: dict[int, _Rules] = {}

    def add(self, xhtml: str) -> None:
        """Add what the body of the document ``xhtml`` shows."""
        styles = self.styles
        root = ET.fromstring(xhtml)
        # The head shows nothing; the body inherits the root's family.
        root_key = styles.root_key(root)
        root_family = _family_or(self._rules(root, root_key).family, None)
        for body, key in styles.children(root, root_key):
            if body.tag == _BODY:
                root_marks = _marks_or(self._rules(root, root_key).emphasis, "")
                self._collect(body, key, root_family, self._chars_of(root_family), root_marks)

    def _collect(
        self,
        element: ET.Element,
        key: int,
        inherited: _Family,
        inherited_chars: set[str],
        inherited_marks: str,
    ) -> None:
        """Gather the text of ``element`` (signature ``key``) and everything in it, into
        ``inherited_chars`` (the set of the ``inherited`` family's face) where it sets no
        family of its own, as nearly every element; with the emphasis marks that its text
        takes (``inherited_marks`` where it sets none, as ``text-emphasis`` inherits)."""
        if element.tag in _NOT_DRAWN:
            return
        rules = self.by_signature.get(key) or self._rules(element, key)
        if "style" in element.attrib or element.tag.startswith(_SVG):
            family = _element_family(element, rules.family, inherited)
        else:  # _element_family's answer for the stylesheet alone: nearly every element
            family = _family_or(rules.family, inherited)
        chars = inherited_chars if family is inherited else self._chars_of(family)
        marks = _marks_or(rules.emphasis, inherited_marks)
        if marks and (element.text or len(element)):
            chars.update(marks)  # drawn in the face of the text they mark
        if element.text:
            chars.update(element.text)
        if len(element):
            for child, child_key in self.styles.children(element, key):
                self._collect(child, child_key, family, chars, marks)
                if child.tail:
                    chars.update(child.tail)
        for content, pseudo_family in rules.generated:
            text = _generated_text(content.content, element)
            self._chars_of(_family_or(pseudo_family, family)).update(text)

    def _chars_of(self, family: _Family) -> set[str]:
        """The characters found for the face ``family`` names (the fallback's for none)."""
        return self.chars[family if isinstance(family, fonts.FontFace) else self.fallback]

    def _rules(self, element: ET.Element, key: int) -> _Rules:
        """The declarations that win for ``element``: the same for every element of its
        signature (1,000 events: 23,000 elements, a few dozen signatures), so worked out
        once for each, unless the matcher matches every element on its own."""
        if not self.styles.cached:
            return _Rules.of(self.styles.match(element, key))
        rules = self.by_signature.get(key)
        if rules is None:
            rules = self.by_signature[key] = _Rules.of(self.styles.match(element, key))
        return rules

    def found(self) -> dict[fonts.FontFace, set[str]]:
        """The characters of every document added, by face."""
        for chars in self.chars.values():
            chars.difference_update("\n\r\t")  # line breaks in the source, never drawn
        return self.chars


def _styles(css: str) -> SignatureMatcher:
    matcher = cssselect2.Matcher()
    preludes = []
    for rule in _style_rules(tinycss2.parse_stylesheet(css, True, True)):
        declarations = list(_declarations(rule.content))
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError as error:
            log.debug("EPUB fonts: %s, rule ignored: %s", error, tinycss2.serialize(rule.prelude))
            continue
        preludes.append(rule.prelude)
        for selector in selectors:
            for declaration in declarations:
                matcher.add_selector(selector, declaration)
    return SignatureMatcher(matcher, preludes)


def _style_rules(rules: Iterable[Any]) -> Iterator[Any]:
    """The style rules, those inside ``@media`` and ``@supports`` too: whichever applies on a
    reader, its characters must be in the subsets."""
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            yield from _style_rules(tinycss2.parse_rule_list(rule.content or [], True, True))


def _declarations(content: list[Any] | str) -> Iterator[_Declaration]:
    """The declarations of a rule's block, or of a ``style`` attribute."""
    for item in tinycss2.parse_declaration_list(content, True, True):
        if item.type != "declaration":
            continue
        if item.lower_name in ("font-family", "font"):
            family = _family(item.value, shorthand=item.lower_name == "font")
            yield _Declaration("family", item.important, family=family)
        elif item.lower_name == "content":
            yield _Declaration("content", item.important, content=tuple(item.value))
        elif item.lower_name in _EMPHASIS:
            yield _Declaration("emphasis", item.important, marks=_emphasis_marks(item.value))


def _emphasis_marks(tokens: Sequence[Any]) -> str | None:
    """The marks a ``text-emphasis`` (or ``text-emphasis-style``) value draws: a string's
    own, or a shape's, filled unless ``open``; ``filled`` or ``open`` alone is a circle in
    horizontal text and sesame in vertical, so both. A colour in the shorthand draws
    nothing. None for ``inherit`` or ``unset``, which take the parent's marks."""
    words = [token.lower_value for token in tokens if token.type == "ident"]
    strings: list[str] = [token.value for token in tokens if token.type == "string"]
    if strings:
        return strings[0]
    if any(word in ("inherit", "unset") for word in words):
        return None
    index = 1 if "open" in words else 0
    shapes = [word for word in words if word in _MARKS]
    if shapes:
        return _MARKS[shapes[0]][index]
    if "filled" in words or "open" in words:
        return _MARKS["circle"][index] + _MARKS["sesame"][index]
    return ""  # none, initial, or a colour alone


def _family(tokens: Sequence[Any], shorthand: bool) -> _Family:
    names = _family_names(tokens, shorthand)
    if len(names) == 1 and names[0].lower() in ("inherit", "unset"):
        return _INHERIT
    by_name = {face.family.lower(): face for face in fonts.FACES}
    return next((by_name[name.lower()] for name in names if name.lower() in by_name), None)


def _family_names(tokens: Sequence[Any], shorthand: bool) -> list[str]:
    """The names in a family list. In the ``font`` shorthand the list follows the size (and
    line height), so the first name is what comes after the last token that is no name."""
    segments: list[list[Any]] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            segments.append([])
        elif token.type not in ("whitespace", "comment"):
            segments[-1].append(token)
    if shorthand:
        tail: list[Any] = []
        for token in segments[0]:
            tail = [*tail, token] if token.type in ("ident", "string") else []
        segments[0] = tail
    names = []
    for segment in segments:
        strings = [token.value for token in segment if token.type == "string"]
        names.append(strings[0] if strings else " ".join(str(token.value) for token in segment))
    return names


@dataclass(frozen=True)
class _Rules:
    """The declarations of the stylesheet that win for an element."""

    family: _Declaration | None
    """Its ``font-family``, if a rule sets one."""
    generated: tuple[tuple[_Declaration, _Declaration | None], ...]
    """For ``::before`` and then ``::after``, where a rule gives it ``content``: that
    ``content`` and the pseudo-element's ``font-family``."""
    emphasis: _Declaration | None = None
    """Its ``text-emphasis``, if a rule sets one."""

    @staticmethod
    def of(matches: list[Any]) -> _Rules:
        generated = []
        for pseudo in ("before", "after"):
            content = _winner(matches, "content", pseudo)
            if content is not None:
                generated.append((content, _winner(matches, "family", pseudo)))
        family = _winner(matches, "family", None)
        return _Rules(family, tuple(generated), _winner(matches, "emphasis", None))


def _element_family(element: ET.Element, rule: _Declaration | None, inherited: _Family) -> _Family:
    """The cascade for one element, whose stylesheet rules give ``rule``: a ``style``
    attribute beats the stylesheet's normal declarations (not its important ones); an SVG
    presentation attribute (``font-family="…"``) loses to every rule but beats
    inheritance."""
    inline = _inline_family(element.get("style"))
    if inline is not None and (rule is None or inline.important or not rule.important):
        rule = inline
    if rule is None and element.tag.startswith(_SVG) and "font-family" in element.attrib:
        tokens = tinycss2.parse_component_value_list(element.get("font-family", ""))
        rule = _Declaration("family", False, family=_family(tokens, shorthand=False))
    return _family_or(rule, inherited)


def _inline_family(style: str | None) -> _Declaration | None:
    """The family a ``style`` attribute sets, if any. Most elements have no ``style``, and
    most that have one set no font (the timeline's boxes give their places): only a
    ``style`` that says "font", or hides a name in a CSS escape (``f\\6f nt``), is
    parsed."""
    if not style or ("font" not in style.lower() and "\\" not in style):
        return None
    return next((d for d in _declarations(style) if d.property == "family"), None)


def _winner(matches: list[Any], property: str, pseudo: str | None) -> _Declaration | None:
    """The declaration of ``property`` that wins the cascade for the element (``pseudo`` None)
    or one of its pseudo-elements: important first, then specificity, then order."""
    best: tuple[bool, Any, int] | None = None
    winner = None
    for specificity, order, pseudo_element, declaration in matches:
        if pseudo_element != pseudo or declaration.property != property:
            continue
        key = (declaration.important, specificity, order)
        if best is None or key > best:
            best, winner = key, declaration
    return winner


def _family_or(declaration: _Declaration | None, inherited: _Family) -> _Family:
    """The family ``declaration`` sets, or ``inherited`` where it sets none or inherits."""
    if declaration is None or declaration.family is _INHERIT:
        return inherited
    return declaration.family


def _marks_or(declaration: _Declaration | None, inherited: str) -> str:
    """The emphasis marks ``declaration`` sets, or ``inherited`` where it sets none."""
    if declaration is None or declaration.marks is None:
        return inherited
    return declaration.marks


def _generated_text(tokens: Iterable[Any], element: ET.Element) -> str:
    """What a ``content`` value draws: its strings, the attributes it names, and digits for
    its counters (quotes and images are left to the reader)."""
    parts = []
    for token in tokens:
        if token.type == "string":
            parts.append(token.value)
        elif token.type == "function" and token.lower_name == "attr":
            name = next((t.value for t in token.arguments if t.type == "ident"), "")
            parts.append(element.get(name, ""))
        elif token.type == "function" and token.lower_name in ("counter", "counters"):
            parts.append(_DIGITS)
    return "".join(parts)
