"""A layout cut short after some pages (briefgen/page_limit.py), on this thread alone."""

from __future__ import annotations

import threading

import weasyprint

from briefgen import page_limit

#: Five pages: each paragraph breaks the page before it.
FIVE_PAGES = "".join(f'<p style="break-before: page">{n}</p>' for n in range(5))


def pages() -> int:
    return len(weasyprint.HTML(string=FIVE_PAGES).render().pages)


def test_inside_the_layout_stops_at_the_count_and_outside_it_does_not():
    with page_limit.pages_at_most(2):
        assert pages() == 2
        with page_limit.pages_at_most(3):
            assert pages() == 3
        assert pages() == 2
    assert pages() == 5


def test_a_document_shorter_than_the_count_is_laid_out_whole():
    with page_limit.pages_at_most(9):
        assert pages() == 5


def test_another_threads_layouts_are_laid_out_whole():
    counted: list[int] = []
    with page_limit.pages_at_most(1):
        thread = threading.Thread(target=lambda: counted.append(pages()))
        thread.start()
        thread.join()
        assert pages() == 1
    assert counted == [5]
