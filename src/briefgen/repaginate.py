"""Fewer pages laid out again by WeasyPrint 70 for the contents' page numbers.

WeasyPrint lays a document out, then lays out again each page whose generated text may have
changed, until nothing changes. The contents' page numbers are such text
(``target-counter(attr(href), page)``), and WeasyPrint 70 lays each contents page out three
times, for two reasons mended here:

* The text is filed under the target it waits for, so that the target's page, once known,
  marks the text's page for another layout. For a target given as ``attr(href)`` it is
  filed under ``None`` instead (``formatting_structure/build.py`` names the target from the
  token before the attribute is read), so the news never arrives. The contents only got
  their numbers because of the second reason, one pass late. Here the text is filed under the
  anchor that ``attr()`` names for its box, as ``TargetCollector.lookup_target`` reads it.
* Whether such text must be made again is decided by comparing all the page counters it was
  made with, the total page count (``pages``) included, which is 0 in the first pass and the
  real count after it: every page with such text (and every page with a target of it) was
  laid out once more to make the same text again. Here ``pages`` is left out of those
  comparisons where the text does not use it: for a lookup whose own counters do not include
  ``pages``, and for a target none of whose lookups asks for its ``pages``. Text that shows
  the page count (``counter(pages)``, ``target-counter(…, pages)``) is compared as before.

The PDF is the same, byte for byte (tests/test_repaginate.py); the contents pages are laid
out twice instead of three times (at 1,000 events some thirty pages of layout fewer).
Installed once per process, for WeasyPrint 70: ``css/targets.py``
(``TargetCollector.lookup_target``, ``collect_missing_counters`` and
``cache_target_page_counters``; ``CounterLookupItem.cached_page_counter_values`` and
``missing_counters``; ``anchor_name_from_token``) and ``layout/page.py: make_page``, which
compares ``page_counter_values != counter_lookup.cached_page_counter_values``.
"""

from __future__ import annotations

import copy
from typing import Any

from weasyprint.css import targets
from weasyprint.urls import get_url_tuple

from .once import once

#: The counter WeasyPrint sets to the document's page count.
PAGES = "pages"


def _without_pages(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name != PAGES}


class _CachedCounters(dict):  # type: ignore[type-arg]
    """A lookup's cached page counters, equal to another set of counters that differs only
    in ``pages`` as long as the lookup's text does not use ``pages``.

    ``make_page`` writes ``page_counter_values != lookup.cached_page_counter_values``: as a
    subclass of ``dict`` on the right, this class's ``__ne__`` is the one Python asks."""

    def __init__(self, values: dict[str, Any], lookup: Any):
        super().__init__(values)
        self.lookup = lookup

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, dict):
            return NotImplemented
        if PAGES in self.lookup.missing_counters:
            return dict.__eq__(self, other)
        return _without_pages(self) == _without_pages(other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __deepcopy__(self, memo: dict[int, Any]) -> _CachedCounters:
        return _CachedCounters(copy.deepcopy(dict(self), memo), self.lookup)


def _get_cached(lookup: Any) -> Any:
    return lookup.__dict__.get("cached_page_counter_values")


def _set_cached(lookup: Any, values: dict[str, Any]) -> None:
    lookup.__dict__["cached_page_counter_values"] = _CachedCounters(values, lookup)


def _pages_wanted(collector: Any, anchor_name: str) -> bool:
    """Whether some text asks for the ``pages`` counter of the target ``anchor_name``."""
    wanted = collector.__dict__.get("_briefgen_pages_wanted")
    if wanted is None:
        wanted = {
            anchor
            for (_, token), lookup in collector.counter_lookup_items.items()
            if token == "content"
            for anchor, names in lookup.missing_target_counters.items()
            if PAGES in names
        }
        collector.__dict__["_briefgen_pages_wanted"] = wanted
    return anchor_name in wanted


def _attr_anchor(anchor_token: Any, source_box: Any) -> str | None:
    """The anchor an ``attr()`` token names for ``source_box``, as ``lookup_target`` finds it."""
    attr_name, type_, fallback = anchor_token[1]
    value = source_box.element.get(attr_name, fallback)
    if type_ == "url":
        token = ("url", get_url_tuple(value, source_box.style.base_url))
    else:
        token = ("string", value)
    name: str | None = targets.anchor_name_from_token(token)
    return name


@once
def install() -> None:
    """Put both mends in place (once per process)."""
    original_lookup = targets.TargetCollector.lookup_target
    original_collect = targets.TargetCollector.collect_missing_counters
    original_cache = targets.TargetCollector.cache_target_page_counters

    def lookup_target(
        self: Any, anchor_token: Any, source_box: Any, css_token: str, parse_again: Any
    ) -> Any:
        if self.collecting and anchor_token[0] == "attr()":
            named = self.__dict__.setdefault("_briefgen_attr_anchors", {})
            named.setdefault((id(source_box), css_token), set()).add(
                _attr_anchor(anchor_token, source_box)
            )
        return original_lookup(self, anchor_token, source_box, css_token, parse_again)

    def collect_missing_counters(
        self: Any,
        parent_box: Any,
        css_token: str,
        parse_again: Any,
        missing_counters: list[str],
        missing_target_counters: dict[str | None, list[str]],
    ) -> None:
        named = self.__dict__.get("_briefgen_attr_anchors", {}).pop(
            (id(parent_box), css_token), set()
        )
        if None in missing_target_counters and len(named) == 1 and None not in named:
            # Filed under None, news of the target's page would never reach this text.
            missing_target_counters[named.pop()] = missing_target_counters.pop(None)
        original_collect(
            self, parent_box, css_token, parse_again, missing_counters, missing_target_counters
        )

    def cache_target_page_counters(
        self: Any,
        anchor_name: str,
        page_counter_values: dict[str, Any],
        page_maker_index: int,
        page_maker: list[Any],
    ) -> None:
        item = self.target_lookup_items.get(anchor_name)
        if (
            not self.collecting
            and item is not None
            and item.state == "up-to-date"
            and item.cached_page_counter_values
            and item.cached_page_counter_values != page_counter_values
            and _without_pages(item.cached_page_counter_values)
            == _without_pages(page_counter_values)
            and not _pages_wanted(self, anchor_name)
        ):
            # Only the page count changed, and no text shows it: nothing to lay out again.
            item.page_maker_index = page_maker_index
            item.cached_page_counter_values = copy.deepcopy(page_counter_values)
            return
        original_cache(self, anchor_name, page_counter_values, page_maker_index, page_maker)

    targets.TargetCollector.lookup_target = lookup_target
    targets.TargetCollector.collect_missing_counters = collect_missing_counters
    targets.TargetCollector.cache_target_page_counters = cache_target_page_counters
    targets.CounterLookupItem.cached_page_counter_values = property(_get_cached, _set_cached)
