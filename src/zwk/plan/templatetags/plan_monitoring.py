"""Template tags of the plan's monitoring: the progress log of a measure, for its edit page."""

from django import template

from zwk import formatting
from zwk.plan import monitoring

register = template.Library()


@register.simple_tag
def progress_log_of(measure):
    """{% progress_log_of object as progress %}: entries (newest first) and the chart."""
    return monitoring.progress_log(measure)


@register.filter
def decimal_de(value):
    """A Decimal without trailing zeros and with a decimal comma: 45.700 → "45,7"; None → "–"."""
    return formatting.number_trimmed(None if value == "" else value, 3, empty="–")
