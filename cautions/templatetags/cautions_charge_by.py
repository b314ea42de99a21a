"""{% charge_by case %}: the s.127 "charge by" date of a summary-only offence, while the case is
open (from eligibility to the breach decision), with the days left or that it has passed."""

from django import template

from cautions import rules
from cautions.selectors import today

register = template.Library()


@register.inclusion_tag("cautions/_charge_by.html")
def charge_by(case) -> dict:
    offence = case.offence
    date = rules.charge_by_date(
        mode_of_trial=offence.mode_of_trial, offence_date=offence.offence_date
    )
    if date is None or not case.is_open:
        return {"charge_by": None}
    on = today()
    return {"charge_by": date, "days_left": (date - on).days, "passed": on > date}
