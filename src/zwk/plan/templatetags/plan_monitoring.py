"""Template tags of the plan's monitoring: the progress log of a measure, for its edit page."""

from django import template

from zwk.plan import monitoring

register = template.Library()


@register.simple_tag
def progress_log_of(measure):
    """{% progress_log_of object as progress %}: entries (newest first) and the chart."""
    return monitoring.progress_log(measure)


@register.filter
def decimal_de(value):
    """A Decimal without trailing zeros and with a decimal comma: 45.700 → "45,7"; None → "–"."""
    if value is None or value == "":
        return "–"
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    return text.replace(".", ",")
