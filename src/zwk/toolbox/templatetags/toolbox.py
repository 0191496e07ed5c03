from django import template

from zwk.toolbox import selectors

register = template.Library()


@register.inclusion_tag("toolbox/_stage_tools.html")
def stage_tools(stage):
    """The published tools for one process step, for the stage page."""
    return {"stage": stage, "commune": stage.commune, "topics": stage.type.guidance.toolbox_topics,
            "tools": selectors.tools_for_stage(key=stage.key)}


# Tool texts in the small formatting of zwk.toolbox.richtext: rendered and always sanitised by
# nh3 there, so the result may be marked safe here.

@register.filter
def richtext(source):
    from django.utils.safestring import mark_safe

    from zwk.toolbox.richtext import render

    return mark_safe(render(source or ""))  # noqa: S308 - sanitised by nh3 in render()


@register.filter
def richtext_short(source):
    """Like richtext, but a single paragraph without its <p> (inside a list item)."""
    from django.utils.safestring import mark_safe

    from zwk.toolbox.richtext import render

    return mark_safe(render(source or "", bare_paragraph=True))  # noqa: S308 - sanitised


@register.filter
def richtext_steps(source):
    from django.utils.safestring import mark_safe

    from zwk.toolbox.richtext import render_steps

    return mark_safe(render_steps(source or ""))  # noqa: S308 - sanitised by nh3


@register.filter
def plaintext(source):
    """The words of a formatted text without markup (escaped again by the template)."""
    from zwk.toolbox.richtext import plain_text

    return plain_text(source or "")
