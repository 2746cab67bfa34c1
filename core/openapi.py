"""The OpenAPI 3 documents: one per tenant (only its enabled plugins' paths) and the platform's."""

from __future__ import annotations

import copy
from decimal import Decimal

from flask import Blueprint, current_app, g, jsonify

from core.extensions import apis
from core.policy import current_policy
from core.web import public_endpoint

SLUG_PARAMETER = {"in": "path", "name": "slug", "required": True,
                  "schema": {"type": "string"}, "description": "The tenant"}
ERROR_ENVELOPE = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object"}, "rule": {"type": "string"}, "clause": {"type": "string"},
    }, "required": ["code", "message"]}},
}

bp = Blueprint("openapi", __name__)


def numeric_bounds_as_numbers(converter, field, ret, **kwargs) -> dict:
    """An apispec attribute function: range bounds as JSON numbers.

    apispec writes a bound through its field, so Range(min=0) on a Decimal field with places=2
    becomes Decimal("0.00"), which JSON renders as the string "0.00": not valid OpenAPI, and
    schemathesis refuses to fuzz such an operation at all.
    """
    bounds = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
    return {key: float(ret[key]) for key in bounds if isinstance(ret.get(key), Decimal)}


def install_converters(api) -> None:
    api.ma_plugin.converter.add_attribute_function(numeric_bounds_as_numbers)


def spec_kwargs(which: str) -> dict:
    title = "consultdesk tenant API" if which == "tenant" else "consultdesk platform API"
    return {"title": title, "version": "v1", "openapi_version": "3.0.3",
            "info": {"description": "See CONTRACT.md for conventions: errors, lists, ids."}}


def _document(api, prefix: str, server_url: str, keep) -> dict:
    spec = copy.deepcopy(api.spec.to_dict())
    paths = {}
    for path, operations in spec.get("paths", {}).items():
        if not path.startswith(prefix) or not keep(path[len(prefix):]):
            continue
        # the slug is in the server URL, not in the paths: drop its parameter, whether it is
        # declared for the whole path or for an operation
        for holder in (operations, *(o for o in operations.values() if isinstance(o, dict))):
            holder["parameters"] = [p for p in holder.get("parameters", [])
                                    if not (p.get("in") == "path" and p.get("name") == "slug")]
            if not holder["parameters"]:
                del holder["parameters"]
        paths[path[len(prefix):]] = operations
    spec["paths"] = paths
    spec["servers"] = [{"url": server_url}]
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["ErrorEnvelope"] = ERROR_ENVELOPE
    components["securitySchemes"] = {"bearerAuth": {"type": "http", "scheme": "bearer"}}
    spec["security"] = [{"bearerAuth": []}]
    for path, operations in paths.items():
        if path == "/auth/token" and "post" in operations:
            operations["post"]["security"] = []
    return spec


@bp.get("/t/<slug>/api/v1/openapi.json")
@public_endpoint
def tenant_document():
    areas = current_app.extensions["consultdesk.plugin_areas"]
    enabled = current_policy().plugins

    def keep(path: str) -> bool:
        area = path.strip("/").split("/", 1)[0]
        return area not in areas or areas[area] in enabled

    api = apis(current_app)["tenant"]
    return jsonify(_document(api, "/t/{slug}/api/v1", f"/t/{g.tenant.slug}/api/v1", keep))


@bp.get("/platform/api/v1/openapi.json")
@public_endpoint
def platform_document():
    api = apis(current_app)["platform"]
    return jsonify(_document(api, "/platform/api/v1", "/platform/api/v1", lambda path: True))
