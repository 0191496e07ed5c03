"""Words a municipal employee should never see (issue 11, items 9 and 10).

The demo is loaded and its pages are crawled as each role (bounded: a few pages per kind of
page). The visible text of every page, outside a "Methode" disclosure (<details>), must hold no
environment variable names, internal keys or slugs, unexplained method jargon, Django's
"---------" empty choice, the phase form's pipe syntax, wrong plurals, or large numbers without
thousands separators.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model

from zwk.core import demo
from zwk.profile.analysis import INDICATORS

pytestmark = pytest.mark.django_db

def any_word(words) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


JARGON = ("Silhouette", "Hauptkomponenten", "k-means", "Ward", "z-Wert", "Standardabweichung")
FORBIDDEN = [
    (re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+){2,}\b"), "environment variable name"),
    (re.compile(r"-{5,}"), "Django's empty choice"),
    (re.compile(r"(?<![\d.,])1 (?:neue|offene|weitere) [A-ZÄÖÜ]\w*(?:e|en|n)\b"),
     "plural after 1"),
    (re.compile(r"(?:Titel|Phase)[^.\n]{0,40}„\|“"), "pipe syntax"),
    (re.compile(r"(?<![\d.,/\-–])[1-9]\d{4,}(?![\d,/\-]|\.\d)"), "number without separators"),
    (any_word(JARGON), "method jargon outside a Methode disclosure"),
    (any_word(sorted((i.key for i in INDICATORS), key=len, reverse=True)),
     "internal indicator key"),
]
SKIP = re.compile(r"\.(pdf|docx|xlsx|ods|csv|svg|png|zip|json|js|css)$|/abmelden|/admin/|"
                  r"/beamer/|/stand/|/qr")
PER_KIND = 2         # pages of one kind (path with its numbers masked) per role
MAX_PAGES = 160      # per role


class VisibleText(HTMLParser):
    """Text a reader sees without opening a <details> disclosure, and the page's links."""

    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("details", "script", "style", "template", "textarea"):
            self.hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("details", "script", "style", "template", "textarea") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.text.append(data.strip())


def findings(html: str, slugs: set[str]) -> tuple[list[str], list[str]]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for chunk in parser.text:
        for pattern, what in FORBIDDEN:
            for match in pattern.finditer(chunk):
                found.append(f"{what}: {match.group(0)!r} in {chunk[:120]!r}")
        if chunk in slugs:
            found.append(f"raw slug: {chunk!r}")
    return found, parser.links


def test_the_patterns_catch_what_they_are_meant_to():
    bad = ("<p>Setzen Sie PYSTATIS_REGIO_API_USERNAME.</p><option>---------</option>"
           "<p>1 neue Vorschläge</p><p>Kennzahl jugendquotient</p><p>Silhouette 0,41</p>"
           "<p>Titel und Leitfrage durch „|“ getrennt</p><p>259677 Einwohner:innen</p>"
           "<span>world-cafe</span>")
    found, _links = findings(bad, {"world-cafe"})
    assert len(found) == 8, found
    good = ("<p>259.677 Einwohner:innen, AGS 05958004, 2023, GR 17/2025</p>"
            "<p>1 neuer Vorschlag</p><details><summary>Methode</summary>Silhouette</details>")
    assert findings(good, {"world-cafe"})[0] == []


def crawl(client, slugs: set[str]) -> tuple[list[str], int]:
    queue, seen, kinds = deque(["/"]), {"/"}, Counter()
    problems, pages = [], 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        found, links = findings(response.content.decode(), slugs)
        problems += [f"{path}: {f}" for f in found]
        for href in links:
            target = urldefrag(href)[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/") or SKIP.search(
                    parts.path):
                continue
            kind = re.sub(r"/[a-z0-9]+(?:-[a-z0-9]+)+/", "/S/", re.sub(r"\d+", "N", parts.path))
            if target not in seen and kinds[kind] < PER_KIND:
                seen.add(target)
                kinds[kind] += 1
                queue.append(target)
    return problems, pages


def test_demo_pages_speak_plain_german(client):
    from zwk.toolbox.models import Topic

    demo.load()
    slugs = {slug for slug in Topic.objects.values_list("slug", flat=True) if "-" in slug}
    problems = []
    for username in ("geschaeftsstelle", "berater", "beraterin2", "koordination"):
        client.force_login(get_user_model().objects.get(username=username))
        found, pages = crawl(client, slugs)
        assert pages > 20, username
        problems += [f"{username} {f}" for f in found]
    assert problems == [], "\n".join(sorted(set(problems)))
