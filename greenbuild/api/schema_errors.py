"""The error answers of every operation in the OpenAPI schema (issue 18 item 3, API-03).

A drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``): it adds
the one error shape of ``api/exceptions.py`` as the component ``Error``, one reusable response
per status under ``components.responses`` (with example bodies), and to every operation the
statuses it can answer, decided from the operation and its view:

=====  =====================================================================================
400    a write (its body: ``invalid``, ``refused``, ``parse_error``), or a read with query
       parameters (an unknown filter, ordering, limit or offset names it)
401    any operation of a view that reads tokens (a token refused, or none where one is needed)
403    a write (a read-only token, the gate); a read unless the view is public (``AllowAny``)
404    an operation on an object (``{id}`` in the path): unknown or invisible ids; a write whose
       body names an object (a project, a plan, a seat) the caller cannot see
409    a write on an object: a move (or a change) the object's state does not allow
412    a write on an object: ``If-Match`` no longer matches the object's ETag; any request to a
       view that needs a header on every request (``answers_precondition_failed``: tus uploads)
413    a write: the body is larger than the endpoint takes
415    a write: a body that is not JSON (not ``multipart/form-data`` on an upload)
429    any throttled view: over the token's or the address's rate (``Retry-After``)
=====  =====================================================================================

A status an operation already documents (``@extend_schema(responses=…)``) is kept as it is.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, AllowAny

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "错误（所有 4xx 与 5xx 的统一格式） · an error (the one shape of every 4xx and 5xx)",
    "properties": {
        "status": {"type": "integer", "description": "HTTP 状态码 · the HTTP status", "example": 400},
        "code": {
            "type": "string",
            "description": "错误代码（稳定，供程序判断） · a stable code for programs, e.g. invalid, not_found",
            "example": "invalid",
        },
        "message": {
            "type": "string",
            "description": "说明（按请求语言） · what went wrong, in the request's language",
        },
        "errors": {
            "type": "object",
            "description": (
                "按字段或参数名列出的问题；non_field_errors 为整体问题 · "
                "problems by field or query parameter name; non_field_errors for the whole"
            ),
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "code", "message", "errors"],
}


def _example(status: int, code: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"value": {"status": status, "code": code, "message": message, "errors": errors or {}}}


#: status -> (component name, description, examples by name, headers)
RESPONSES: dict[int, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    400: (
        "BadRequest",
        "请求有误：字段、业务规则、无法解析的正文或未知查询参数 · "
        "bad request: fields, a business rule, an unparsable body or an unknown query parameter",
        {
            "invalid": _example(400, "invalid", "The data is not valid.", {"name": ["This field is required."]}),
            "refused": _example(400, "refused", "A comment is required.", {"comment": ["A comment is required."]}),
            "parse_error": _example(400, "parse_error", "The request body is not valid JSON: Expecting value."),
            "unknown_parameter": _example(
                400,
                "invalid",
                "The data is not valid.",
                {"nosuch": ["This list does not take this parameter. It takes: format, limit, offset."]},
            ),
            "bad_limit": _example(
                400,
                "invalid",
                "The data is not valid.",
                {"limit": ["Enter a whole number of at least 1 (at most 500 are returned)."]},
            ),
        },
        {},
    ),
    401: (
        "Unauthorized",
        "未认证：缺少令牌，或令牌无效、过期、吊销或暂停 · "
        "not authenticated: no token where one is needed, or one unknown, expired, revoked or suspended",
        {
            "not_authenticated": _example(401, "not_authenticated", "Authentication credentials were not provided."),
            "token_invalid": _example(401, "token_invalid", "The token is unknown, expired or revoked."),
        },
        {
            "WWW-Authenticate": {
                "description": "认证方式 · the authentication scheme",
                "schema": {"type": "string", "example": "Bearer"},
            }
        },
    ),
    403: (
        "Forbidden",
        "无权操作：只读令牌的写操作，或调用者不可做此事 · "
        "forbidden: a read-only token's write, or the caller may not do this",
        {
            "permission_denied": _example(
                403, "permission_denied", "You do not have permission to perform this action."
            ),
            "read_only_token": _example(
                403,
                "read_only_token",
                "This token may only read. Create a token with the write scope to make changes.",
            ),
        },
        {},
    ),
    404: (
        "NotFound",
        "不存在或不可见（两者不作区分） · not found, or not visible to the caller (the two look the same)",
        {"not_found": _example(404, "not_found", "Not found.")},
        {},
    ),
    409: (
        "Conflict",
        "对象当前状态不允许此操作 · the object's state does not allow this move or change",
        {"conflict": _example(409, "conflict", "This move is not allowed from the current status.")},
        {},
    ),
    412: (
        "PreconditionFailed",
        "If-Match 与对象当前 ETag 不符，未作修改 · If-Match does not match the object's current ETag; nothing changed",
        {
            "precondition_failed": _example(
                412,
                "precondition_failed",
                "The object has changed since you read it (If-Match does not match its current ETag). "
                "Read it again and repeat your change.",
            )
        },
        {},
    ),
    413: (
        "PayloadTooLarge",
        "请求正文超过此接口的上限 · the request body is larger than this endpoint takes",
        {
            "request_too_large": _example(
                413, "request_too_large", "The request body is too large: this endpoint takes at most 2.5 MB."
            )
        },
        {},
    ),
    415: (
        "UnsupportedMediaType",
        "正文类型不被接受：请发送 JSON（上传文件用 multipart/form-data） · "
        "the body's type is not taken: send JSON (multipart/form-data to upload a file)",
        {
            "unsupported_media_type": _example(
                415,
                "unsupported_media_type",
                "This endpoint takes a body of type application/json, not application/x-www-form-urlencoded.",
            )
        },
        {},
    ),
    429: (
        "TooManyRequests",
        "请求过于频繁（按令牌与地址限流） · too many requests (throttled per token and per address)",
        {"throttled": _example(429, "throttled", "Request was throttled. Expected available in 12 seconds.")},
        {
            "Retry-After": {
                "description": "多少秒后可重试 · seconds to wait before retrying",
                "schema": {"type": "integer", "example": 12},
            }
        },
    ),
}


def error_responses_component() -> dict[str, Any]:
    """``components.responses``: one reusable response per status, the body an ``Error``."""
    components = {}
    for _status, (name, description, examples, headers) in RESPONSES.items():
        response: dict[str, Any] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}, "examples": examples}},
        }
        if headers:
            response["headers"] = headers
        components[name] = response
    return components


def _is_public(view: Any) -> bool:
    classes = list(getattr(view, "permission_classes", None) or [])
    return bool(classes) and all(isinstance(cls, type) and issubclass(cls, AllowAny) for cls in classes)


def error_statuses(path: str, method: str, operation: dict[str, Any], view: Any = None) -> list[int]:
    """The error statuses ``operation`` (``method`` on ``path``) can answer; see the module."""
    write = method.upper() not in SAFE_METHODS
    on_object = "{" in path
    reads_tokens = view is None or bool(getattr(view, "authentication_classes", None))
    throttled = view is None or bool(getattr(view, "throttle_classes", None))
    queried = any(p.get("in") == "query" for p in operation.get("parameters", []))
    statuses = set()
    if write or queried:
        statuses.add(400)
    if reads_tokens:
        statuses.add(401)
    if write or not (view is not None and _is_public(view)):
        statuses.add(403)
    if on_object or write:
        # a write's body may name an object (a project, a plan, a seat) the caller cannot see
        statuses.add(404)
    if write and on_object:
        statuses |= {409, 412}
    if getattr(view, "answers_precondition_failed", False):  # a header every request needs (tus)
        statuses.add(412)
    if write:
        statuses |= {413, 415}
    if throttled:
        statuses.add(429)
    return sorted(statuses)


def _views(generator: Any) -> dict[tuple[str, str], Any]:
    try:
        endpoints = generator._get_paths_and_endpoints()
    except Exception:  # pragma: no cover - a generator without endpoints: decide from the schema alone
        return {}
    return {(path, method.lower()): view for path, _regex, method, view in endpoints}


def postprocess_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool, **kwargs: Any
) -> dict[str, Any]:
    """Add ``Error``, the error responses and each operation's error statuses (see the module)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components.setdefault("responses", {}).update(error_responses_component())
    views = _views(generator)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path, method, operation, views.get((path, method))):
                responses.setdefault(str(status), {"$ref": "#/components/responses/" + RESPONSES[status][0]})
            operation["responses"] = dict(sorted(responses.items()))
    return result
