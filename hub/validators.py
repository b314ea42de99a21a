"""Django validation built on the framework-free checks of hub.lib, for models (so that the
Django admin, services' full_clean and every form refuse the same input)."""

from django.core.exceptions import ValidationError

from hub.lib.text import hidden_characters_message


def name_character_errors(instance, fields) -> None:
    """No bidi override, zero-width or control character in the name fields of `instance`
    (hub.lib.text); a ValidationError names each field that has one."""
    errors = {}
    for name in fields:
        label = str(instance._meta.get_field(name).verbose_name).capitalize()
        message = hidden_characters_message(label, getattr(instance, name) or "")
        if message:
            errors[name] = ValidationError(message, code="hidden_characters")
    if errors:
        raise ValidationError(errors)
