"""One way of writing dates and times on every page: "3 December 2026", "14:30".

Django's own en-GB formats ("3 Dec 2026", "2:30 p.m.") take precedence over the settings
when a language is active, so the project's are given here (FORMAT_MODULE_PATH).
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
