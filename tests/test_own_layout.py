"""briefgen.own_layout: briefgen's mends to WeasyPrint change briefgen's PDFs alone, not the
documents a program lays out with WeasyPrint itself in the same process."""

from __future__ import annotations

from conftest import printed

# In a fresh process, whose WeasyPrint briefgen has not mended yet: a document of the
# program's own laid out twice before briefgen builds a PDF, and once after. Korean text
# and a web address (where word_breaks would break lines elsewhere), a link and text in
# other languages (where tagging would describe the link, mark the languages and leave out
# the annotation of a span inside the link).
OWN_DOCUMENT = """
import weasyprint
import briefgen

HTML = '''<html lang="ko"><head><style>@page { size: A6; margin: 1cm }</style></head><body>
<p>1950년 6월 25일 조선인민군이 남침하면서 한국전쟁이 시작되었다. 자세한 내용은
https://www.example-news.org/world/korea/kim-jong-un-visit.html 참조.</p>
<p lang="en">See <a href="https://example.com/a">the <span>report</span></a>
by <span lang="ru">Ivan</span>.</p>
</body></html>'''


def own() -> bytes:
    return weasyprint.HTML(string=HTML).write_pdf(pdf_tags=True, uncompressed_pdf=True)


first, again = own(), own()
briefgen.render_pdf(briefgen.loads("title: 測試\\nevents: [{start: 1950, title: 事件}]\\n"))
print(first == again, own() == first)
"""


def test_a_document_of_the_programs_own_is_laid_out_as_without_briefgen():
    assert printed(OWN_DOCUMENT).split() == ["True", "True"]
