"""JSON responses through orjson.

The API's lists are most of what it sends; orjson encodes a page of 50 inquiries about ten
times faster than the standard library (bench/inprocess.py measured 0.36 ms -> 0.03 ms), which
is a fifth of what such a request costs. Output stays what Flask's provider gave: compact,
keys sorted, UTF-8; dates and times come out as ISO 8601 (the contract's format).
"""

from __future__ import annotations

import typing as t

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _default(value: t.Any) -> t.Any:
    """Decimals, UUIDs, dataclasses and Markup as Flask's own provider renders them."""
    return DefaultJSONProvider.default(value)


class OrjsonProvider(DefaultJSONProvider):
    def dumps(self, obj: t.Any, **kwargs: t.Any) -> str:
        if kwargs.keys() - {"separators"}:  # indent etc.: the standard library's job
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=_default, option=_OPTIONS).decode()

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        return orjson.loads(s) if not kwargs else super().loads(s, **kwargs)

    def response(self, *args: t.Any, **kwargs: t.Any):
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(obj, default=_default, option=_OPTIONS | orjson.OPT_APPEND_NEWLINE)
        return self._app.response_class(body, mimetype=self.mimetype)
