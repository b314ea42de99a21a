from django import template

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A staff member's full name, or their user name; empty when there is no user
    (imported historic cases have no officer)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
