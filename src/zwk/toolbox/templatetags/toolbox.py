from django import template

from zwk.toolbox import selectors

register = template.Library()


@register.inclusion_tag("toolbox/_stage_tools.html")
def stage_tools(stage):
    """The published tools for one process step, for the stage page."""
    return {"stage": stage, "commune": stage.commune, "topics": stage.type.guidance.toolbox_topics,
            "tools": selectors.tools_for_stage(key=stage.key)}
