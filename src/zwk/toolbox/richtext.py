"""The small formatting a municipal user can type without HTML, rendered to safe HTML.

Supported (and nothing else), documented in docs/toolbox.md and next to every field:

- paragraphs: separated by an empty line
- bullet lists: lines starting with "- " (or "* ")
- numbered lists: lines starting with "1. ", "2. ", ... (or "1) ")
- **fett**, *kursiv*
- links: [Text](https://…), also http:// and mailto:

Typed HTML is removed first (tags stripped, script/style with their content), the rest is
HTML-escaped, so nothing a user types becomes markup; the few tags we generate are then
ALWAYS passed through nh3 with an allowlist (p, ul, ol, li,
strong, em, a[href] with http/https/mailto only, rel="noopener noreferrer"). `plain_text` gives
the words without any markup, for the search representation and short previews.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = ("http://", "https://", "mailto:")

_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^\s()<>\"]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")


def _href_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(ALLOWED_SCHEMES) else None
    return value


def sanitise(markup: str) -> str:
    """The one gate every rendered text passes: nh3 with our allowlist."""
    return nh3.clean(markup, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, attribute_filter=_href_filter,
                     link_rel="noopener noreferrer", strip_comments=True)


def strip_html(source: str) -> str:
    """The source without any typed HTML: tags dropped (script/style with their content),
    text kept; "<10 Jahre" stays text."""
    return html.unescape(nh3.clean(source, tags=set(), strip_comments=True))


def render_inline(text: str) -> str:
    """Links, bold and italic in one line of already-unescaped source (escapes it first)."""
    out = html.escape(text, quote=True)
    links: list[str] = []

    def keep_link(match: re.Match) -> str:
        # the URL is already escaped; emphasis inside the link text is allowed
        links.append(f'<a href="{match.group(2)}">{match.group(1)}</a>')
        return f"\x00{len(links) - 1}\x00"

    out = _LINK.sub(keep_link, out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    for i, link in enumerate(links):
        label_start = link.index(">") + 1
        label = link[label_start:-4]
        label = _EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", label))
        out = out.replace(f"\x00{i}\x00", link[:label_start] + label + "</a>")
    return out


def _blocks(source: str) -> list[str]:
    """Paragraphs and lists as HTML strings (unsanitised)."""
    source = strip_html(source)
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    kind = ""  # "ul" or "ol" while a list is open

    def close_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + "\n".join(render_inline(x) for x in paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal kind
        if items:
            blocks.append(f"<{kind}>\n" + "\n".join(f"<li>{x}</li>" for x in items)
                          + f"\n</{kind}>")
            items.clear()
        kind = ""

    for raw in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            close_paragraph()
            close_list()
            continue
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        if marker := bullet or number:
            close_paragraph()
            new_kind = "ul" if bullet else "ol"
            if kind != new_kind:
                close_list()
                kind = new_kind
            items.append(render_inline(marker.group(1).strip()))
        elif items and raw[:1].isspace():
            items[-1] += " " + render_inline(line.strip())  # an indented continuation line
        else:
            close_list()
            paragraph.append(line.strip())
    close_paragraph()
    close_list()
    return blocks


def render(source: str, *, bare_paragraph: bool = False) -> str:
    """Safe HTML for a multi-line text field. With `bare_paragraph`, a text that is one
    paragraph comes without its <p> (for a value inside a sentence or list item)."""
    if not source or not source.strip():
        return ""
    blocks = _blocks(source)
    if bare_paragraph and len(blocks) == 1 and blocks[0].startswith("<p>"):
        return sanitise(blocks[0][3:-4])
    return sanitise("\n".join(blocks))


def render_steps(source: str) -> str:
    """Safe HTML for the "one step per line" field: an ordered list, each line a step, inline
    formatting inside; a typed "- " or "1. " in front of a line is taken as its marker."""
    steps = []
    for line in strip_html(source or "").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        marker = _BULLET.match(line) or _NUMBER.match(line)
        steps.append(render_inline(marker.group(1).strip() if marker else line))
    if not steps:
        return ""
    return sanitise("<ol>\n" + "\n".join(f"<li>{s}</li>" for s in steps) + "\n</ol>")


_MARKUP = re.compile(r"[*\[<>&]|^\s*(?:[-*]|\d{1,3}[.)])\s", re.MULTILINE)


def plain_text(source: str) -> str:
    """The words of a formatted text without any markup (link targets dropped)."""
    if not source or not source.strip():
        return ""
    if not _MARKUP.search(source):
        return source.strip()  # nothing to render: the common case, and the index's hot path
    text = nh3.clean(render(source), tags=set(), strip_comments=True)
    return html.unescape(text).strip()
