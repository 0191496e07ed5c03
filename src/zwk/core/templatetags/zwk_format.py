"""German numbers in templates, through zwk.formatting (Babel, de_DE).

{% load zwk_format %} {{ population|de_number }} · {{ share|de_percent:1 }} ·
{{ change|de_signed:1 }} · {{ value|de_number:"-" }} (a trailing "-" keeps up to that many
decimals but drops trailing zeros, like Django's floatformat).
"""

from django import template

from zwk import formatting

register = template.Library()
EMPTY = "–"


@register.filter
def de_number(value, digits=None):
    """259677 → 259.677; 1234.5|de_number:2 → 1.234,50; None → –."""
    if value is None or value == "":
        return EMPTY
    if isinstance(digits, str) and digits.startswith("-"):
        return formatting.number_trimmed(value, int(digits[1:] or 3), empty=EMPTY)
    return formatting.number(value, None if digits is None else int(digits), empty=EMPTY)


@register.filter
def de_percent(fraction, digits=0):
    """0.159|de_percent:1 → 15,9 %."""
    return formatting.percent(fraction, int(digits), empty=EMPTY)


@register.filter
def de_percent_value(value, digits=0):
    """15.94|de_percent_value:1 → 15,9 % (the value is already in percent)."""
    return formatting.percent_value(value, int(digits), empty=EMPTY)


@register.filter
def de_signed(value, digits=1):
    """-3.45|de_signed:1 → −3,5; 2|de_signed:0 → +2."""
    return formatting.signed(value, int(digits), empty=EMPTY)
