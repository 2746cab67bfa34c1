"""Domain exceptions and the one handler that turns every error into the contract's envelope.

Services raise these; views never build error responses by hand. API requests get the JSON
envelope of CONTRACT.md, page requests an HTML page (or a flashed message, see pages).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", *, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields

    def payload(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class ValidationError(DomainError):
    status, code = 422, "validation_error"


class RateLimited(DomainError):
    status, code = 429, "rate_limited"


class RuleViolation(DomainError):
    """A tenant policy rule refused the action; carries the rule id and the policy clause."""

    status, code = 422, "rule_violation"

    def __init__(self, rule_id: str, message: str, clause: str = ""):
        super().__init__(message)
        self.rule = rule_id
        self.clause = clause

    def payload(self) -> dict:
        body = super().payload()
        body["rule"] = self.rule
        body["clause"] = self.clause
        return body


HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def wants_json() -> bool:
    path = request.path
    return "/api/" in path or path == "/healthz" or request.is_json


def _fields_from_webargs(messages) -> dict:
    """webargs reports {"json": {...}, "query": {...}}; the contract wants field -> messages."""
    fields: dict = {}
    if isinstance(messages, dict):
        for location_errors in messages.values():
            if isinstance(location_errors, dict):
                fields.update(location_errors)
            else:
                fields.setdefault("_schema", []).extend(location_errors)
    return fields


def _http_payload(error: HTTPException) -> dict:
    code = HTTP_CODES.get(error.code or 500, "error")
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if error.code == 422 and messages:
        return {"code": code, "message": _("Invalid input."), "fields": _fields_from_webargs(messages)}
    if error.code == 400 and messages:
        # webargs turns an unparseable body into a 400 with messages; keep one sentence
        return {"code": code, "message": _("The request body is not valid JSON.")}
    message = data.get("message") or error.description or error.name
    return {"code": code, "message": message}


def _respond(status: int, payload: dict, headers=None):
    if wants_json():
        response = jsonify({"error": payload})
        response.status_code = status
    else:
        try:
            body = render_template("error.html", status=status, error=payload)
        except Exception:  # the error page itself must never fail
            log.exception("error page failed to render")
            body = f"{status} {payload.get('message', '')}"
        response = make_response(body, status)
    if headers:
        response.headers.extend(headers)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        return _respond(error.status, error.payload())

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        headers = None
        if error.code == 405 and error.valid_methods:
            headers = {"Allow": ", ".join(error.valid_methods)}
        if error.code == 429:
            message = _("Too many attempts; try again later.")
            return _respond(429, {"code": "rate_limited", "message": message})
        return _respond(error.code or 500, _http_payload(error), headers)

    @app.errorhandler(sa.exc.OperationalError)
    def handle_database_unavailable(error: sa.exc.OperationalError):
        """The database refused for now (SQLite's write lock held past busy_timeout, a
        PostgreSQL lock timeout or deadlock, a lost connection): the transaction was rolled back,
        nothing was acknowledged, and the client may simply try again."""
        if _is_busy(error):
            log.warning("database busy on %s %s: %s", request.method, request.path, error.orig)
        else:
            log.exception("database unavailable on %s %s", request.method, request.path)
        message = _("The database is busy; try again in a moment.")
        return _respond(503, {"code": "unavailable", "message": message}, {"Retry-After": "1"})

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _respond(500, {"code": "internal_error", "message": _("An unexpected error occurred.")})


# SQLite: another writer holds the lock; PostgreSQL: lock_not_available, deadlock_detected,
# serialization_failure
_BUSY_SQLSTATES = {"55P03", "40P01", "40001"}


def _is_busy(error: sa.exc.OperationalError) -> bool:
    return ("database is locked" in str(error.orig)
            or getattr(error.orig, "sqlstate", None) in _BUSY_SQLSTATES)
