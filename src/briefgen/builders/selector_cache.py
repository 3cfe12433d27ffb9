"""Selector matching done once per kind of element, not once per element.

The EPUB's documents repeat a few shapes a thousand times (one per event), and matching every
selector of the stylesheet against every element took two fifths of the EPUB's time. Each
element gets a number, its *signature*, such that two elements with the same number match the
same selectors: the number stands for everything a selector can see from the element, and
nothing else. What a selector sees depends on the stylesheet (cssselect2 0.10's selectors):

- the element's tag, the names of its attributes (``:link`` asks whether there is an
  ``href``), and the values of those attributes a selector reads: ``class``, ``id`` when a
  selector names that id, ``lang`` (``:lang()``), ``type`` (``:checked``), any attribute in
  brackets (``[title]``), ``href`` for ``:local-link``;
- its ancestors and its previous siblings, each seen the same way (combinators look up and
  back only: ``a b``, ``a > b``, ``a + b``, ``a ~ b``; also ``:nth-child()``). Without ``~``
  and the pseudo-classes that count siblings, a selector sees no further back than one
  sibling per ``+`` in it (and whether there is one more, for ``:first-child``): only that
  many previous siblings are part of the signature, so that the items of a long list share
  theirs;
- only when the stylesheet asks for them: its following siblings (``:last-child``,
  ``:nth-last-child()``, ``:has()`` …) and what it holds (``:has()``, ``:empty``), also for
  every element on the way.

A pseudo-class this module does not know turns the cache off: every element is matched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

import cssselect2  # type: ignore[import-untyped]

#: Pseudo-classes that look at the siblings after an element.
_LOOK_AHEAD = frozenset(
    {
        "last-child",
        "only-child",
        "last-of-type",
        "only-of-type",
        "nth-last-child",
        "nth-last-of-type",
        "has",
    }
)
#: Pseudo-classes that look into an element.
_LOOK_INSIDE = frozenset({"has", "empty"})
#: Every other pseudo-class cssselect2 0.10 knows: they see the element's tag, its
#: attributes and previous siblings, and its ancestors.
_LOOK_AROUND = frozenset(
    {
        *("link", "any-link", "local-link", "enabled", "disabled", "checked"),
        *("root", "scope", "first-child", "first-of-type", "nth-child", "nth-of-type"),
        *("lang", "is", "where", "not"),
        # Never matched by cssselect2: nothing to see.
        *("visited", "hover", "active", "focus", "focus-within", "focus-visible", "target"),
        *("target-within", "current", "past", "future", "playing", "paused", "seeking"),
        *("buffering", "stalled", "muted", "volume-locked", "user-valid", "user-invalid"),
        "host",
    }
)
#: Pseudo-classes that count or search an element's previous siblings, however many.
_LOOK_FAR_BACK = frozenset(
    {"nth-child", "nth-of-type", "first-of-type", "enabled", "disabled", *_LOOK_AHEAD}
)
#: What the old one-colon syntax still names as pseudo-elements, not pseudo-classes.
_LEGACY_PSEUDO_ELEMENTS = frozenset({"before", "after", "first-line", "first-letter"})
#: Attributes whose values some pseudo-class reads (``lang`` for ``:lang()``, ``type`` for
#: ``:checked``), and ``class``, which every class selector reads.
_ALWAYS_READ = frozenset({"class", "lang", "type"})
_NO_ONE = -1
"""The signature of a missing neighbour (no previous sibling, say)."""


class SignatureMatcher:
    """A cssselect2 ``Matcher`` asked once per signature, for one stylesheet."""

    def __init__(self, matcher: Any, selectors: Iterable[Sequence[Any]]) -> None:
        """``selectors``: the tinycss2 tokens of every selector (list) given to
        ``matcher``."""
        self.matcher = matcher
        pseudo_classes: set[str] = set()
        self.ids: set[str] = set()
        self.read: set[str] = set(_ALWAYS_READ)
        most_adjacent, far_back = 0, False
        for tokens in selectors:
            combinators: list[str] = []
            self._note(tokens, pseudo_classes, combinators)
            most_adjacent = max(most_adjacent, combinators.count("+"))
            far_back = far_back or "~" in combinators
        if "local-link" in pseudo_classes:
            self.read.add("href")
        self.cached = pseudo_classes <= _LOOK_AHEAD | _LOOK_INSIDE | _LOOK_AROUND
        self.look_ahead = bool(pseudo_classes & _LOOK_AHEAD)
        self.look_inside = bool(pseudo_classes & _LOOK_INSIDE)
        far_back = far_back or bool(pseudo_classes & _LOOK_FAR_BACK)
        #: How many previous siblings a signature holds; None: all of them.
        self.look_back = None if far_back else most_adjacent + 1
        self._numbers: dict[Any, int] = {}
        self._child_keys: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
        """(An element's signature, its children's :meth:`_node`) → their signatures."""
        self._matches: dict[int, list[Any]] = {}
        self._reads_name: dict[str, bool] = {}
        self._inside: dict[ET.Element, int] = {}
        # Where each element of the document sits (parent, place among its elements), and
        # the cssselect2 wrappers made so far.
        self._places: dict[ET.Element, tuple[ET.Element, int]] = {}
        self._wrappers: dict[ET.Element, Any] = {}

    def _note(
        self, tokens: Sequence[Any], pseudo_classes: set[str], combinators: list[str]
    ) -> None:
        """Collect the ids, attribute names, pseudo-classes and sibling combinators
        ``tokens`` name, in brackets and function arguments too (``:not(#a)``,
        ``:nth-child(2 of [lang])``). A ``+`` in ``2n+1`` may count as a combinator: that
        only makes signatures hold more than they need."""
        for index, token in enumerate(tokens):
            colon = index > 0 and _is_colon(tokens[index - 1])
            twice = colon and index > 1 and _is_colon(tokens[index - 2])
            if token.type == "literal" and token.value in ("+", "~"):
                combinators.append(token.value)
            elif token.type == "hash":
                self.ids.add(token.value)
            elif token.type == "[] block":
                self.read.update(
                    t.lower_value for t in token.content if t.type == "ident"
                )  # the attribute's name, and perhaps an unquoted value: reading more is safe
            elif token.type in ("ident", "function") and colon and not twice:
                name = token.lower_value if token.type == "ident" else token.lower_name
                if name not in _LEGACY_PSEUDO_ELEMENTS:
                    pseudo_classes.add(name)
            if token.type == "function":
                self._note(token.arguments, pseudo_classes, combinators)

    def root_key(self, root: ET.Element) -> int:
        """The signature of a document's root element; its language may come from a
        ``<meta>`` inside. (A new document: what was known of the last one is let go.)"""
        self._inside.clear()
        self._places.clear()
        self._wrappers.clear()
        wrapper = self._wrappers[root] = cssselect2.ElementWrapper.from_xml_root(root)
        return self._number(("root", self._node(root), wrapper.lang))

    def children(self, element: ET.Element, key: int) -> Iterable[tuple[ET.Element, int]]:
        """The children of ``element`` (whose signature is ``key``) with their signatures."""
        children = [child for child in element if isinstance(child.tag, str)]
        nodes = tuple([self._node(child) for child in children])
        # The children's signatures follow from the parent's and their own numbers alone, and
        # the same parent with the same children comes back in every event: worked out once.
        keys = self._child_keys.get((key, nodes))
        if keys is None:
            keys = self._child_keys[key, nodes] = self._keys(key, nodes)
        places = self._places
        for index, child in enumerate(children):
            places[child] = (element, index)
        return zip(children, keys, strict=True)

    def _keys(self, key: int, nodes: tuple[int, ...]) -> tuple[int, ...]:
        """The signatures of the children ``nodes`` (:meth:`_node`) of an element whose
        signature is ``key``."""
        following = self._following(nodes) if self.look_ahead else [_NO_ONE] * len(nodes)
        previous = _NO_ONE
        window = (_NO_ONE,) * (self.look_back or 0)
        keys = []
        for node, after in zip(nodes, following, strict=True):
            keys.append(self._number((node, key, previous, after)))
            if self.look_back is None:
                previous = self._number((previous, node))
            else:
                window = (*window[1:], node)
                previous = self._number(window)
        return tuple(keys)

    def match(self, element: ET.Element, key: int) -> list[Any]:
        """What the matcher gives for ``element`` (signature ``key``), worked out once per
        signature."""
        if not self.cached:
            return self.matcher.match(self._wrapper(element))  # type: ignore[no-any-return]
        found = self._matches.get(key)
        if found is None:
            found = self._matches[key] = self.matcher.match(self._wrapper(element))
        return found

    def _wrapper(self, element: ET.Element) -> Any:
        """cssselect2's view of ``element``, made only for the elements matched: from the
        root down, each parent's children at once."""
        wrapper = self._wrappers.get(element)
        if wrapper is None:
            parent, index = self._places[element]
            siblings = list(self._wrapper(parent).iter_children())
            self._wrappers.update((sibling.etree_element, sibling) for sibling in siblings)
            wrapper = siblings[index]
        return wrapper

    def _following(self, nodes: Sequence[int]) -> list[int]:
        """For each sibling, a number for the siblings after it."""
        after = _NO_ONE
        following = []
        for node in reversed(nodes):
            following.append(after)
            after = self._number((node, after))
        return following[::-1]

    def _node(self, element: ET.Element) -> int:
        """A number for the element as a sibling or ancestor sees it: its tag and the
        attributes read, and, when the stylesheet looks inside, its content's."""
        items = element.items()
        own = self._number(
            (element.tag, *(self._attribute(*item) for item in items)) if items else element.tag
        )
        if not self.look_inside:
            return own
        inside = self._inside.get(element)
        if inside is None:
            children = [self._node(child) for child in element if isinstance(child.tag, str)]
            inside = self._inside[element] = self._number((own, bool(element.text), *children))
        return inside

    def _attribute(self, name: str, value: str) -> tuple[str, str | None]:
        reads = self._reads_name.get(name)
        if reads is None:
            local = name.rpartition("}")[2].lower()
            reads = self._reads_name[name] = local in self.read
        if reads or (name == "id" and value in self.ids):
            return name, value
        return name, None

    def _number(self, value: Any) -> int:
        return self._numbers.setdefault(value, len(self._numbers))


def _is_colon(token: Any) -> bool:
    return token.type == "literal" and token.value == ":"  # type: ignore[no-any-return]
