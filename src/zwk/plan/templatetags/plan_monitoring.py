"""Template tags of the plan's monitoring: the progress log of a measure, for its edit page."""

from django import template

from zwk.plan import monitoring

register = template.Library()


@register.simple_tag
def progress_log_of(measure):
    """{% progress_log_of object as progress %}: entries (newest first) and the chart."""
    return monitoring.progress_log(measure)
