"""Crop marks for a print shop (``--marks``), drawn outside the bleed.

WeasyPrint's own ``marks: crop`` draws each mark from the sheet's edge to half-way to the
trim, inside the ``bleed`` it is given, so the marks lie in the very area the print shop
expects to be filled by the page's own ground, and a ground that bleeds covers them.
print.css instead gives WeasyPrint a bleed as wide as the marks' room (:data:`MEDIA_MM`,
the sheet's MediaBox), and this finisher then sets the BleedBox at :data:`BLEED_MM` past
the trim, clips the page's drawing to it, and draws the marks beyond it: each starts
:data:`OFFSET_MM` from the trim (a millimetre clear of the bleed, for the cutter's play)
and runs to the sheet's edge, on the line of the trim, as prepress tools place them.
"""

from __future__ import annotations

import pydyf

_MM = 72 / 25.4
#: How far past the trim the page's ground and pictures run, for the cut (BleedBox).
BLEED_MM = 3.0
#: Where each mark starts, counted out from the trim: clear of the bleed.
OFFSET_MM = 4.0
#: How far past the trim the sheet reaches (MediaBox, print.css's ``bleed``): the marks are
#: 5 mm long. The marks run to the sheet's edge as WeasyPrint made it.
MEDIA_MM = 9.0
#: The marks' stroke: the hairline prepress tools draw them in (pt).
_STROKE = 0.25


def add_crop_marks(pdf: pydyf.PDF) -> None:
    """Set each page's BleedBox :data:`BLEED_MM` past its TrimBox, keep the page's drawing
    inside it, and draw the crop marks between it and the MediaBox's edge. A page with no
    room past the marks' offset (a template's own, smaller bleed, or the footers a long PDF
    lays over its pages) is left as WeasyPrint made it."""
    for page in _pages(pdf):
        trim = [float(value) for value in page["TrimBox"]]
        media = [float(value) for value in page["MediaBox"]]
        room = min(trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3])
        if room <= OFFSET_MM * _MM:
            continue
        bleed = BLEED_MM * _MM
        left, bottom = trim[0] - bleed, trim[1] - bleed
        right, top = trim[2] + bleed, trim[3] + bleed
        page["BleedBox"] = pydyf.Array([left, bottom, right, top])
        contents = pdf.objects[int(page["Contents"].split()[0])]
        # The page's own drawing between q and Q, clipped to the bleed: it starts by
        # flipping the y axis and does not restore it, and what it paints past the bleed
        # (a page's ground) would cover the marks.
        clip = f"q {left:f} {bottom:f} {right - left:f} {top - bottom:f} re W n".encode()
        contents.stream[:0] = [clip]
        contents.stream.append(b"Q")
        contents.stream.append(_marks(trim, media))


def _pages(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    return [
        item
        for item in pdf.objects
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Page"
    ]


def _marks(trim: list[float], media: list[float]) -> bytes:
    """The eight strokes of the marks, on the lines of the trim, from :data:`OFFSET_MM`
    past it to the sheet's edge; an artifact, not text, for screen readers (PDF/UA)."""
    offset = OFFSET_MM * _MM
    x0, y0, x1, y1 = trim
    left, bottom, right, top = media
    strokes = []
    for y in (y0, y1):
        strokes.append((left, y, x0 - offset, y))  # the trim's bottom and top, at the left
        strokes.append((x1 + offset, y, right, y))  # and at the right
    for x in (x0, x1):
        strokes.append((x, bottom, x, y0 - offset))  # its left and right, below
        strokes.append((x, y1 + offset, x, top))  # and above
    drawn = [f"{a:f} {b:f} m {c:f} {d:f} l S".encode() for a, b, c, d in strokes]
    return b"\n".join([b"/Artifact BMC q", f"{_STROKE} w 0 0 0 RG".encode(), *drawn, b"Q EMC"])
