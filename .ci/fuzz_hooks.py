"""Schemathesis hooks for .ci/fuzz-api.

A JSON Schema cannot say "not in the future" or "at most a year back", so a
date the description allows may still be refused for the day it names: the
date a request was received, a date of birth, the day a complaint happened.
Dates the fuzzer draws are moved into the window the portal accepts today,
keeping their form (a day or an exact time), so that valid data stays valid.
Values that are not dates are left alone, so invalid data stays invalid.
"""

import datetime
import re

import schemathesis

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
# Days back from today: yesterday at least, so that no time zone puts it in
# the future, and well inside the year the staff form allows.
BACK = {"received_at": 2, "date_of_birth": 12000, "occurred_on": 5}


def _is_date(text):
    try:
        datetime.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def _moved(field, value):
    if not isinstance(value, str) or not _is_date(value):
        return value
    day = datetime.date.today() - datetime.timedelta(days=BACK[field])
    if DAY.match(value):
        return day.isoformat()
    if TIME.match(value):
        return f"{day.isoformat()}T12:00:00Z"
    return value


# Every phase's requests pass here, the coverage phase's boundary values too.
@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if isinstance(case.body, dict):
        for field in BACK:
            if field in case.body:
                case.body[field] = _moved(field, case.body[field])
