"""Engine refusals in the user's language.

The engines in ``greenbuild.standards`` stay free of Django and speak English; this module turns
their most common refusals into translatable messages and names the clause or field the way the
forms do. A message it does not know is shown as the engine wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

_CLAUSE_FIELD = re.compile(r"^(control_items|scored_items|bonus_items)\[([0-9.]+)\]$")

#: (pattern of the engine's English message, translated template with the pattern's groups)
_PATTERNS: list[tuple[re.Pattern[str], Callable[[], str]]] = [
    (
        re.compile(r"^claimed (?P<claimed>\S+) points, above the maximum (?P<maximum>\S+)"),
        lambda: _("claimed %(claimed)s points, more than the clause maximum of %(maximum)s"),
    ),
    (re.compile(r"^unknown clause"), lambda: _("there is no such clause in this edition")),
    (re.compile(r"^unknown control item"), lambda: _("there is no such control item in this edition")),
    (
        re.compile(r"^missing: every control item must be stated"),
        lambda: _("every control item must be stated as pass or fail"),
    ),
    (re.compile(r"^operation-only item"), lambda: _("an operation-only item cannot be claimed at pre-evaluation")),
    (re.compile(r"must not be negative"), lambda: _("must not be negative")),
    (
        re.compile(r"^must be at most (?P<maximum>\S+), got (?P<got>\S+)"),
        lambda: _("must be at most %(maximum)s (you gave %(got)s)"),
    ),
    (
        re.compile(r"^must be at least (?P<minimum>\S+), got (?P<got>\S+)"),
        lambda: _("must be at least %(minimum)s (you gave %(got)s)"),
    ),
    (re.compile(r"^must be greater than 0"), lambda: _("must be greater than zero")),
    (re.compile(r"^is required"), lambda: _("is required")),
    (
        re.compile(r"^a ratio is given for (?P<item>\w+), which is named absent"),
        lambda: _("a ratio is given for %(item)s, which is named absent"),
    ),
    (
        re.compile(r"^prefabricated quantity (?P<part>\S+) is larger than the total (?P<total>\S+)"),
        lambda: _("the prefabricated quantity %(part)s is larger than the total %(total)s"),
    ),
    (re.compile(r"^unknown category"), lambda: _("unknown category")),
    (re.compile(r"^not in table D\.0\.1"), lambda: _("not in table D.0.1 of GB/T 51366")),
]


def field_label(field: str) -> str:
    """“scored_items[4.2.1]” → “评分项 4.2.1”; other fields stay as the engine names them."""
    match = _CLAUSE_FIELD.match(field)
    if not match:
        return field
    kind = {"control_items": _("Control item"), "scored_items": _("Scored item"), "bonus_items": _("Bonus item")}[
        match.group(1)
    ]
    return "{} {}".format(kind, match.group(2))


def translate(field: str, message: str) -> str:
    """The refusal as the user reads it: the clause or field, then what is wrong."""
    for pattern, template in _PATTERNS:
        match = pattern.search(message)
        if match:
            message = template() % match.groupdict()
            break
    return _("{field}: {message}").format(field=field_label(field), message=message)
