"""Tool texts: a small formatting subset rendered by our renderer and always cleaned by nh3."""

import re

import pytest
from django.urls import reverse

from tests.toolbox.conftest import make_tool
from zwk.toolbox.models import Tool, Topic
from zwk.toolbox.richtext import plain_text, render, render_steps, sanitise

ALLOWED = {"p", "ul", "ol", "li", "strong", "em", "a"}


def tags(html):
    return set(re.findall(r"<\s*([a-zA-Z0-9]+)", html))


def test_paragraphs_lists_emphasis_and_links():
    html = render("Erster **fetter** und *kursiver* Absatz.\nNoch eine Zeile.\n\n"
                  "- eins\n- zwei\n\n1. erstens\n2. zweitens\n\n"
                  "Mehr bei [der Stadt](https://www.stadt.de/a?b=1&c=2) oder "
                  "[Mail](mailto:info@stadt.de).")
    assert "<p>Erster <strong>fetter</strong> und <em>kursiver</em> Absatz.\nNoch eine Zeile.</p>" \
        in html
    assert "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>" in html
    assert "<ol>\n<li>erstens</li>\n<li>zweitens</li>\n</ol>" in html
    assert ('<a href="https://www.stadt.de/a?b=1&amp;c=2" rel="noopener noreferrer">der Stadt</a>'
            in html)
    assert '<a href="mailto:info@stadt.de" rel="noopener noreferrer">Mail</a>' in html
    assert tags(html) <= ALLOWED


def test_plain_text_unchanged_apart_from_paragraphs():
    """The shipped tools are plain sentences: they render as before, only in <p>."""
    assert render("Ein Satz mit 3 * 4 = 12 und a*b.") == "<p>Ein Satz mit 3 * 4 = 12 und a*b.</p>"
    assert render("Kinder <10 Jahre & Eltern") == "<p>Kinder &lt;10 Jahre &amp; Eltern</p>"
    assert render("") == "" and render("  \n ") == ""
    assert render("Lünne (Emsland)", bare_paragraph=True) == "Lünne (Emsland)"


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klick</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    '<div onclick="alert(1)">x</div>',
    "**<script>alert(1)</script>**",
    '[x](https://ok.example" onmouseover="alert(1))',
    "<style>body{display:none}</style>",
    "<!-- <script>alert(1)</script> -->",
])
def test_xss_is_stripped(attack):
    for html in (render(attack), render_steps(attack), render(f"- {attack}")):
        lowered = html.lower()
        assert tags(html) <= ALLOWED, html
        assert "<script" not in lowered and "<iframe" not in lowered and "<style" not in lowered
        inside_tags = re.sub(r">[^<]*<", "><", f">{lowered}<")  # text between tags removed
        assert "javascript:" not in inside_tags and "style=" not in inside_tags, html
        assert not re.search(r"\son\w+=", inside_tags), html
        for href in re.findall(r'href="([^"]*)"', html):
            assert href.startswith(("http://", "https://", "mailto:")), href


def test_sanitise_is_an_allowlist_even_for_our_own_tags():
    html = sanitise('<a href="javascript:x" onclick="y" class="c">a</a><a href="/relativ">r</a>'
                    '<h1>h</h1><table><tr><td>t</td></tr></table><p style="x">p</p>')
    assert html == ('<a rel="noopener noreferrer">a</a><a rel="noopener noreferrer">r</a>'
                    "ht<p>p</p>")


def test_plain_text_has_no_markup_and_no_link_targets():
    text = plain_text("**Fett** und [Stadt](https://evil.example) <script>alert(1)</script>\n"
                      "- Punkt")
    assert "Fett" in text and "Stadt" in text and "Punkt" in text
    for markup in ("*", "[", "](", "evil", "<", "alert", "- "):
        assert markup not in text


def test_steps_one_per_line_with_inline_formatting():
    html = render_steps("Ziel **klären**\n- Einladen\n3. [Ort](https://ort.de) buchen\n\n")
    assert html == ('<ol>\n<li>Ziel <strong>klären</strong></li>\n<li>Einladen</li>\n'
                    '<li><a href="https://ort.de" rel="noopener noreferrer">Ort</a> buchen</li>\n'
                    "</ol>")


def test_tool_page_renders_formatting_and_strips_scripts(world, login):
    tool = make_tool(title="Quxformat", summary="Ein **wichtiger** Punkt.\n\n- a\n- b",
                     problem='<script>alert("x")</script>Zu wenig [Info](https://info.de).',
                     steps="Erst **dies**\nDann das", outcome="*gut*",
                     where_used="Quxdorf <img src=x onerror=alert(1)>")
    page = login(world, "team_member").get(reverse("tool_detail", args=[tool.slug])).content \
        .decode()
    assert "Ein <strong>wichtiger</strong> Punkt." in page
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in page
    assert '<a href="https://info.de" rel="noopener noreferrer">Info</a>' in page
    assert "<li>Erst <strong>dies</strong></li>" in page and "<em>gut</em>" in page
    assert 'alert("x")' not in page and "onerror" not in page
    assert "Eingesetzt in: Quxdorf" in page


def test_shipped_tool_page_shows_its_texts_unchanged(world, login):
    tool = Tool.objects.get(slug="world-cafe")
    page = login(world, "team_member").get(reverse("tool_detail", args=[tool.slug])).content \
        .decode()
    from django.utils.html import escape

    assert f"<p>{escape(tool.summary)}</p>" in page
    for step in tool.step_list:
        assert f"<li>{escape(step)}</li>" in page


def test_index_preview_is_plain_text(world, login):
    make_tool(title="Quxvorschau", summary="Ein **fetter** [Link](https://x.de) Text.")
    page = login(world, "team_member").get(reverse("toolbox_index") + "?q=Quxvorschau") \
        .content.decode()
    assert "Ein fetter Link Text." in page and "**" not in page and "https://x.de" not in page


def _form(**fields):
    return {"title": "Quxlinkform", "type": "method", "summary": "Kurz.", "effort": "low",
            "topics": [Topic.objects.get(slug="wohnen").pk], **fields}


def test_form_refuses_links_that_are_not_web_or_mail_in_german(world, login):
    client = login(world, "programme_office")
    response = client.post(reverse("tool_create"),
                           _form(summary="Siehe [hier](javascript:alert(1))."))
    assert response.status_code == 400
    assert "Ein Link muss mit https://, http:// oder mailto: beginnen" in response.content.decode()
    assert not Tool.objects.filter(title="Quxlinkform").exists()
    response = client.post(reverse("tool_create"),
                           _form(summary="Siehe [hier](https://ok.de).\n\n- eins"))
    assert response.status_code == 302
    assert Tool.objects.get(title="Quxlinkform").summary == "Siehe [hier](https://ok.de).\n\n- eins"


def test_form_shows_format_help_linked_to_the_fields(world, login):
    page = login(world, "programme_office").get(reverse("tool_create")).content.decode()
    assert 'id="format-help"' in page and "Formatierung" in page
    for name in ("summary", "problem", "steps", "outcome", "where_used"):
        assert re.search(rf'<textarea[^>]*aria-describedby="id_{name}_helptext"[^>]*'
                         rf'name="{name}"|<textarea[^>]*name="{name}"[^>]*'
                         rf'aria-describedby="id_{name}_helptext"', page), name
        assert f'id="id_{name}_helptext"' in page
