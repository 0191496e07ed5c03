from django import template

register = template.Library()


@register.simple_tag
def field_input(field):
    """The field's widget, pointing screen readers at its help text and its error messages."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    described += [f"{field.auto_id}_error{i}" for i in range(len(field.errors))]
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    return field.as_widget(attrs=attrs)
