from django import template

from zwk.history.verbs import sentence as verb_sentence
from zwk.process.stages import STAGE_TYPES

register = template.Library()


@register.filter
def sentence(verb: str) -> str:
    return verb_sentence(verb)


@register.filter
def stage_title(key: str) -> str:
    stage_type = STAGE_TYPES.get(key)
    return str(stage_type.title) if stage_type else key
