"""What the caution document says beyond the case's own data: the offence's legal
description, and the consequences the person is told of before they sign (CJA 2003 s.23(1)(d)
and (e), s.24, s.24A; Rehabilitation of Offenders Act 1974 Sch. 2). Pure: no database."""

from __future__ import annotations

import datetime as dt

from hub.lib.dates import add_months

# Offence category key -> its legal description (the offence in words, with its statute).
LEGAL_DESCRIPTIONS = {
    "theft": "Theft, contrary to sections 1 and 7 of the Theft Act 1968",
    "shoplifting": "Theft from a shop, contrary to sections 1 and 7 of the Theft Act 1968",
    "criminal_damage": "Destroying or damaging property belonging to another, contrary to "
    "section 1(1) of the Criminal Damage Act 1971",
    "public_order": "Using threatening or abusive words or behaviour likely to cause "
    "harassment, alarm or distress, contrary to section 5 of the Public Order Act 1986",
    "drunk_disorderly": "Being drunk and disorderly in a public place, contrary to section "
    "91(1) of the Criminal Justice Act 1967",
    "minor_assault": "Common assault, contrary to section 39 of the Criminal Justice Act 1988",
    "harassment": "Harassment, contrary to sections 1 and 2 of the Protection from Harassment "
    "Act 1997",
    "drugs_possession": "Possession of a controlled drug, contrary to section 5(2) of the "
    "Misuse of Drugs Act 1971",
    "handling_stolen_goods": "Handling stolen goods, contrary to section 22 of the Theft Act 1968",
    "fraud": "Fraud by false representation, contrary to sections 1 and 2 of the Fraud Act 2006",
    "assault_abh": "Assault occasioning actual bodily harm, contrary to section 47 of the "
    "Offences Against the Person Act 1861",
    "robbery": "Robbery, contrary to section 8 of the Theft Act 1968",
}


def legal_description(category_key: str, category_label: str) -> str:
    """The category's legal description, or its label for a category not listed here."""
    return LEGAL_DESCRIPTIONS.get(category_key, category_label)


def spent_on(caution_date: dt.date) -> dt.date:
    """Spent 3 months after it is given (earlier if it ceases to have effect)."""
    return add_months(caution_date, 3)


# The consequences read to the person and printed above their signature.
CONSEQUENCES = (
    "If you fail to comply with any of these conditions without a reasonable excuse, you may "
    "be prosecuted for the offence above; this signed document may be used as evidence, and "
    "the caution will then cease to have effect (Criminal Justice Act 2003, section 24).",
    "If a constable has reasonable grounds for believing that you have failed to comply with "
    "any of the conditions, you may be arrested without warrant (section 24A). You may then be "
    "charged, released on bail, or released with or without varied conditions.",
    "This caution will be recorded by the police and kept on police records, including the "
    "Police National Computer. It may be disclosed, for example in a criminal record check or "
    "to a court if you offend again.",
)
