"""The same briefing for the other tools: minimal HTML, Markdown (Pandoc) and Typst.

Each holds what briefgen prints of a briefing's text (title, subtitle, summary, each event's
period, headline, body and people, the people and sources) with none of its furniture (no
contents, index, timeline or chips), set in the fonts briefgen ships. They are what "the same
content in a plain tool" means in docs/performance.md. A second plain HTML page,
:func:`same_text_html`, also holds the text of that furniture (the contents, the chips, the
index) in plain markup, for WeasyPrint alone.
"""

from __future__ import annotations

import html
from pathlib import Path

from briefgen.i18n import language
from briefgen.markdown import to_html, to_text
from briefgen.model import Briefing
from briefgen.resources import resource_path

FONT_FILES = ("NotoSerifCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf")


def font_css() -> str:
    """@font-face rules for the shipped fonts by file address, and a body that uses them."""
    serif, sans = (resource_path("fonts", name).as_uri() for name in FONT_FILES)
    return (
        f'@font-face {{ font-family: "Bench Serif"; src: url("{serif}"); }}\n'
        f'@font-face {{ font-family: "Bench Sans"; font-weight: 700; src: url("{sans}"); }}\n'
        "@page { size: A4; margin: 20mm; }\n"
        'body { font-family: "Bench Serif"; font-size: 10.5pt; line-height: 1.7; '
        "text-align: justify; }\n"
        'h1, h2, h3 { font-family: "Bench Sans"; font-weight: 700; }\n'
    )


def minimal_html(briefing: Briefing) -> str:
    """One plain HTML page of the briefing's text, with the shipped fonts."""
    labels = language(briefing.lang)
    parts = _opening(briefing)
    for event in briefing.events:
        parts.append(f"<h2>{html.escape(labels.period(event))} {html.escape(event.title)}</h2>")
        parts.append(to_html(event.body))
        if event.people:
            parts.append(f"<p>{html.escape('、'.join(event.people))}</p>")
    parts.append("<h2>People</h2><ul>")
    parts += [
        f"<li>{html.escape(person.name)} {html.escape(person.role or '')}</li>"
        for person in briefing.people
    ]
    parts.append("</ul><h2>Sources</h2><ul>")
    parts += [f"<li>{html.escape(s.title)}</li>" for s in briefing.sources]
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def _opening(briefing: Briefing) -> list[str]:
    """A plain page's head, title, subtitle and summary."""
    parts = [
        f'<!DOCTYPE html><html lang="{briefing.lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(briefing.title)}</title><style>{font_css()}</style></head><body>",
        f"<h1>{html.escape(briefing.title)}</h1>",
    ]
    if briefing.subtitle:
        parts.append(f"<p>{html.escape(briefing.subtitle)}</p>")
    parts.append(to_html(briefing.summary))
    return parts


def same_text_html(briefing: Briefing) -> str:
    """The minimal page with the rest of the text briefgen prints in plain markup: the
    contents (each event's period and headline), each event's people and tags as a line of
    text, and the people with their roles and the periods of their events. The text of
    briefgen's PDF with none of its layout (no tables, chips, links, running headers,
    timeline): what it costs plain WeasyPrint to set that much text."""
    labels = language(briefing.lang)
    escape = html.escape
    parts = _opening(briefing)
    parts.append(f"<h2>{escape(labels.contents)}</h2><ul>")
    parts += [f"<li>{escape(labels.period(e))} {escape(e.title)}</li>" for e in briefing.events]
    parts.append("</ul>")
    appearances: dict[str, list[str]] = {}
    for event in briefing.events:
        parts.append(f"<h2>{escape(labels.period(event))} {escape(event.title)}</h2>")
        parts.append(to_html(event.body))
        if event.people or event.tags:
            parts.append(f"<p>{escape('　'.join((*event.people, *event.tags)))}</p>")
        for name in event.people:
            appearances.setdefault(name, []).append(labels.period(event))
    parts.append(f"<h2>{escape(labels.people)}</h2>")
    for person in briefing.people:
        lines = [f"{person.name} {person.alt or ''}", person.role or ""]
        lines.append("、".join(appearances.get(person.name, [])))
        parts.append("<p>" + "<br>".join(escape(line) for line in lines if line.strip()) + "</p>")
    parts.append(f"<h2>{escape(labels.sources)}</h2><ul>")
    parts += [f"<li>{escape(s.title)}</li>" for s in briefing.sources]
    parts.append("</ul></body></html>")
    return "\n".join(parts)


def markdown(briefing: Briefing) -> str:
    """The briefing as Pandoc Markdown (the bodies are Markdown already)."""
    labels = language(briefing.lang)
    parts = [f'---\ntitle: "{briefing.title}"\nlang: {briefing.lang}\n---\n']
    if briefing.subtitle:
        parts.append(briefing.subtitle + "\n")
    parts.append(briefing.summary + "\n")
    for event in briefing.events:
        parts.append(f"# {labels.period(event)} {event.title}\n")
        parts.append(event.body + "\n")
        if event.people:
            parts.append("、".join(event.people) + "\n")
    parts.append("# People\n")
    parts += [f"- {p.name} {p.role or ''}" for p in briefing.people]
    parts.append("\n# Sources\n")
    parts += [f"- {s.title}" for s in briefing.sources]
    return "\n".join(parts) + "\n"


def typst(briefing: Briefing) -> str:
    """The briefing as a Typst document, its text as Typst strings (nothing read as markup)."""
    labels = language(briefing.lang)

    def text(value: str) -> str:
        return '#"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

    parts = [
        '#set page(paper: "a4", margin: 20mm)',
        f'#set text(font: "Noto Serif CJK TC", size: 10.5pt, lang: "{briefing.lang[:2]}")',
        "#set par(justify: true, leading: 0.9em)",
        '#show heading: set text(font: "Noto Sans CJK TC", weight: "bold")',
        f"= {text(briefing.title)}",
    ]
    if briefing.subtitle:
        parts.append(text(briefing.subtitle))
    parts += [text(paragraph) for paragraph in _paragraphs(briefing.summary)]
    for event in briefing.events:
        parts.append(f"== {text(labels.period(event) + ' ' + event.title)}")
        parts += [text(paragraph) for paragraph in _paragraphs(event.body)]
        if event.people:
            parts.append(text("、".join(event.people)))
    parts.append("== People")
    parts += [f"- {text(p.name + ' ' + (p.role or ''))}" for p in briefing.people]
    parts.append("== Sources")
    parts += [f"- {text(s.title)}" for s in briefing.sources]
    return "\n\n".join(parts) + "\n"


def _paragraphs(source: str) -> list[str]:
    return [to_text(block) for block in source.split("\n\n") if block.strip()]


def fonts_folder() -> Path:
    return resource_path("fonts")
