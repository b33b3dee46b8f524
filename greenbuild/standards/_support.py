"""Small helpers shared by the GB/T 51129, waste, green-material and carbon engines.

Three kinds of helper, none of which holds a rule value:

* reading and checking input mappings (every error names the offending field);
* reading numbers and confidence tags from a rule table (an error there names the rule path);
* exact arithmetic on :class:`fractions.Fraction` with half-up rounding to a Decimal, and turning
  findings and Decimals into JSON-safe values and plain-text tables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .messages import msg
from .numbers import to_decimal
from .types import Confidence, Finding, RuleSet, StandardsInputError

__all__ = [
    "confidence_of",
    "message_fields",
    "exact",
    "finding_to_dict",
    "format_table",
    "json_number",
    "optional_bool",
    "optional_number",
    "reject_unknown_keys",
    "require_bool",
    "require_mapping",
    "require_number",
    "require_ruleset",
    "require_sequence",
    "require_string",
    "round_fraction",
    "rule_entry",
    "rule_number",
    "show",
]


# --- input --------------------------------------------------------------------------------------


def require_mapping(value: object, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise StandardsInputError(field, msg("input.not_object"))
    return value


def require_sequence(value: object, field: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise StandardsInputError(field, msg("input.not_array"))
    return value


def reject_unknown_keys(data: Mapping[str, Any], allowed: Iterable[str], prefix: str = "") -> None:
    """Refuse keys the contract does not know, so a misspelt field is never silently ignored."""
    known = set(allowed)
    for key in data:
        if key not in known:
            raise StandardsInputError(prefix + str(key), msg("input.unknown_field"))


def require_string(data: Mapping[str, Any], key: str, field: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise StandardsInputError(field, msg("input.not_string"))
    return value.strip()


def require_bool(data: Mapping[str, Any], key: str, field: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise StandardsInputError(field, msg("input.not_bool"))
    return value


def optional_bool(data: Mapping[str, Any], key: str, field: str) -> bool | None:
    if data.get(key) is None:
        return None
    return require_bool(data, key, field)


def require_number(
    data: Mapping[str, Any],
    key: str,
    field: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    positive: bool = False,
) -> Decimal:
    if key not in data or data[key] is None:
        raise StandardsInputError(field, msg("input.required"))
    value = to_decimal(data[key], field)
    if positive and value <= 0:
        raise StandardsInputError(field, msg("input.not_positive", value=str(value)))
    if minimum is not None and value < minimum:
        raise StandardsInputError(field, msg("input.below_minimum", minimum=str(minimum), value=str(value)))
    if maximum is not None and value > maximum:
        raise StandardsInputError(field, msg("input.above_maximum", maximum=str(maximum), value=str(value)))
    return value


def optional_number(
    data: Mapping[str, Any],
    key: str,
    field: str,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    positive: bool = False,
) -> Decimal | None:
    if data.get(key) is None:
        return None
    return require_number(data, key, field, minimum=minimum, maximum=maximum, positive=positive)


# --- rule tables --------------------------------------------------------------------------------


def require_ruleset(ruleset: RuleSet, standard: str) -> RuleSet:
    """Refuse a rule table written for another standard (e.g. a waste table given to GB/T 51129)."""
    if ruleset.standard != standard:
        raise StandardsInputError(
            "edition",
            msg("ruletable.wrong_standard", edition=ruleset.edition, standard=ruleset.standard, expected=standard),
        )
    return ruleset


def rule_entry(ruleset: RuleSet, path: str) -> Any:
    """The value at a dotted path of the rule table, or an error naming the path."""
    node: Any = ruleset.data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise StandardsInputError("edition", msg("ruletable.missing", edition=ruleset.edition, path=path))
        node = node[part]
    return node


def rule_number(entry: Mapping[str, Any], key: str, where: str) -> Decimal:
    """A number of a rule table row; ``where`` names the row in the error."""
    if key not in entry:
        raise StandardsInputError("edition", msg("ruletable.row_missing", row=where, key=key))
    return to_decimal(entry[key], "{}.{}".format(where, key))


def confidence_of(entry: Mapping[str, Any]) -> Confidence:
    """The confidence tag of a rule table row (C/P/M/X/D); untagged rows count as unconfirmed."""
    return Confidence(entry.get("confidence", Confidence.UNCONFIRMED.value))


# --- exact arithmetic ---------------------------------------------------------------------------


def exact(value: Decimal | int) -> Fraction:
    """An exact rational copy of a Decimal, so divisions never round."""
    return Fraction(value)


def round_fraction(value: Fraction, places: int) -> Decimal:
    """Round an exact rational half-up (away from zero on a tie) to ``places`` decimals."""
    scale = 10**places
    magnitude = abs(value) * scale
    whole = int(magnitude)  # floor, magnitude >= 0
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    if value < 0:
        whole = -whole
    return Decimal(whole).scaleb(-places)


def show(value: Decimal | Fraction | int) -> str:
    """A number as readable text without exponent notation (for findings and tables)."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        decimal = round_fraction(value, 4)
        text = format(decimal.normalize(), "f")
        return text if Fraction(decimal) == value else text + "…"
    return format(Decimal(value).normalize(), "f")


# --- output -------------------------------------------------------------------------------------


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an int when it has no fraction digits, else a float.

    Every engine rounds its reported figures first, so the float's shortest text is the Decimal's.
    """
    if value is None:
        return None
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:  # type: ignore[operator]
        return int(value)
    return float(value)


def message_fields(finding: Finding) -> dict[str, Any]:
    """The message-code keys of a finding's JSON: ``code``, ``params`` and, where the title has one,
    ``title_code`` and ``title_params`` (added fields; the English ``reason`` stays)."""
    fields: dict[str, Any] = {}
    if finding.message is not None:
        fields.update(finding.message.to_dict())
    if finding.title_message is not None:
        title = finding.title_message.to_dict()
        fields["title_code"], fields["title_params"] = title["code"], title["params"]
    return fields


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "clause": finding.clause,
        "title": str(finding.title),
        "reason": str(finding.reason),
        "awarded": json_number(finding.awarded),
        "maximum": json_number(finding.maximum),
        "passed": finding.passed,
        "confidence": finding.confidence.value,
        **message_fields(finding),
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A plain-text table whose columns line up in a terminal, Chinese text included."""
    body = [list(row) for row in rows]
    widths = [_width(header) for header in headers]
    for row in body:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], _width(cell))
    lines = [
        "  ".join(_pad(header, widths[i]) for i, header in enumerate(headers)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines.extend("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in body)
    return "\n".join(lines)


def findings_table(findings: Iterable[Finding]) -> str:
    """The standard clause-by-clause table every engine prints under its summary."""
    rows = []
    for finding in findings:
        outcome = "" if finding.passed is None else ("pass" if finding.passed else "FAIL")
        points = ""
        if finding.awarded is not None:
            points = show(finding.awarded)
            if finding.maximum is not None:
                points += " / " + show(finding.maximum)
        rows.append([finding.clause, finding.title, points, outcome, finding.confidence.value, str(finding.reason)])
    return format_table(["clause", "item", "points", "check", "tag", "reason"], rows)


def result_header(engine: str, result: Any) -> dict[str, Any]:
    """The keys every engine's JSON output opens with: which engine, rules and versions."""
    return {
        "engine": engine,
        "edition": result.edition,
        "ruleset_version": result.ruleset_version,
        "engine_version": result.engine_version,
    }
