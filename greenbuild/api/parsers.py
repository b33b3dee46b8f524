"""The request bodies the API reads, refused whole when no form or database could take them (SEC-07).

Three kinds of text parse as JSON but break what comes after the parser, so the parsers refuse
them with a 400 in the API's error shape (``api/exceptions.py``), naming the field:

* NUL characters (``\\u0000``): PostgreSQL stores no NUL in text, and forms refuse them anyway;
* lone surrogates (``\\ud800`` without its pair): no UTF-8 encodes them, so nothing can store,
  log or even echo them back;
* nesting deeper than ``API_JSON_MAX_DEPTH`` (32) arrays and objects: no body of this API nests
  more than a few levels, and Python's decoder gives up with a ``RecursionError`` at about 1,000.

Form bodies cannot carry a lone surrogate (Django decodes them with replacement characters) but
can carry ``%00``: the form parsers refuse NUL the same way.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils import json as drf_json

NON_FIELD = "non_field_errors"
DEFAULT_MAX_DEPTH = 32
#: a lone surrogate: the JSON decoder joins a valid pair into one character, so any left is alone
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def max_depth() -> int:
    return int(getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


class MalformedBody(ParseError):
    """A body the parsers refuse, with a message saying why (in the request's language)."""

    default_code = "parse_error"


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be taken as text, or None when it can."""
    if "\x00" in value:
        # Django's own wording (its forms say this about NUL), translated in its catalogue
        return _("Null characters are not allowed.")
    if _SURROGATE.search(value):
        return _("Unpaired surrogate characters (\\ud800–\\udfff) are not allowed.")
    return None


def shown(name: str) -> str:
    """A field name fit to be echoed in the error body: NUL and surrogates escaped."""
    return _BAD_CHARACTER.sub(lambda m: "\\u{:04x}".format(ord(m.group())), name)


def _join(prefix: str, key: str) -> str:
    return "{}.{}".format(prefix, key) if prefix else key


def check_value(value: Any, limit: int | None = None) -> None:
    """Refuse nesting deeper than ``limit`` and strings no form or database could take.

    Raises :class:`MalformedBody` or a :class:`ValidationError` keyed like the forms (nested
    fields dotted, list items indexed: ``items[0].note``).
    """
    limit = max_depth() if limit is None else limit
    errors: dict[str, list[str]] = {}
    # iterative, so a deep value costs no recursion: (value, path, depth)
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                errors.setdefault(path or NON_FIELD, []).append(problem)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth >= limit:
            raise MalformedBody(_("The JSON is nested more than {limit} levels deep.").format(limit=limit))
        if isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(key)
                if problem:
                    errors.setdefault(_join(path, shown(key)), []).append(problem)
                    continue
                stack.append((child, _join(path, key), depth + 1))
        else:
            for index, child in enumerate(item):
                stack.append((child, "{}[{}]".format(path, index), depth + 1))
    if errors:
        raise ValidationError({name: sorted(set(messages)) for name, messages in sorted(errors.items())})


def _form_body_refused(exc: Exception) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        return exc  # the exception handler answers 413
    return MalformedBody(_("The form data has too many fields or files."))


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser, with the checks above."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # Always UTF-8 (RFC 8259 section 8.1): application/json has no charset parameter, and
        # decoding by a stated one (``charset=latin-1``) stored UTF-8 text as mojibake with a 200.
        try:
            text = codecs.getreader("utf-8")(stream).read()
            data = json.loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except RecursionError as exc:
            limit = max_depth()
            raise MalformedBody(_("The JSON is nested more than {limit} levels deep.").format(limit=limit)) from exc
        except ValueError as exc:  # UnicodeDecodeError included
            raise MalformedBody(_("The request body is not valid JSON: {error}").format(error=exc)) from exc
        check_value(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except (TooManyFieldsSent, RequestDataTooBig) as exc:
            raise _form_body_refused(exc) from exc
        check_value({key: "\n".join(data.getlist(key)) for key in data}, limit=1)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig) as exc:
            raise _form_body_refused(exc) from exc
        check_value({key: "\n".join(parsed.data.getlist(key)) for key in parsed.data}, limit=1)
        return parsed
