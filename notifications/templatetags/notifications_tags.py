"""{% reminders_summary person %}: the person's consent to reminders and failed reminders, for
pages of lower apps (the referral page) that cannot import notifications. Two queries."""

from django import template

from notifications.selectors import reminder_summary

register = template.Library()


@register.inclusion_tag("notifications/_reminder_summary.html", takes_context=True)
def reminders_summary(context, person):
    user = context["request"].user
    if not user.has_perm("notifications.view_contactconsent"):
        return {"reminders": None}
    return {
        "reminders": reminder_summary(person.pk),
        "reminders_person_id": person.pk,
        "reminders_link": True,
    }
