from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form, each message at its field."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field_map.get(field, field)
            form.add_error(target if target in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


DJANGO_EMPTY = "---------"


def plain_empty_choices(form, label=None) -> None:
    """Replace Django's "---------" empty choice in every select of the form with words."""
    from django import forms
    from django.utils.translation import gettext_lazy as _

    label = label or _("– bitte wählen –")
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_EMPTY:
            field.empty_label = label
        elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField | forms.MultipleChoiceField):
            # a plain ChoiceField's choices are a list of pairs here, whatever the stubs allow
            field.choices = [(value, label if text == DJANGO_EMPTY else text)  # type: ignore[misc]
                             for value, text in field.choices]  # type: ignore[union-attr]
