"""The outside of the API: the error envelope, statuses, lists, OpenAPI and health."""

import json
import re

import pytest
from openapi_spec_validator import validate as validate_openapi

from tests.fixtures import make_user


def error_of(response):
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"])
    return body["error"]


def test_malformed_json_is_400(admin_a):
    response = admin_a.patch("/policy", data="{not json", content_type="application/json")
    assert response.status_code == 400 and error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize("body", [[], "text", 42, {"rules": []}, {"rules": {"x": 5}},
                                  {"plugins": "notes"}, {"departments": [{"code": ""}]}])
def test_wrong_shapes_are_4xx_never_500(admin_a, body):
    response = admin_a.patch("/policy", json=body)
    assert 400 <= response.status_code < 500, response.get_json()
    error_of(response)


@pytest.mark.parametrize("body", [None, {}, {"email": None, "password": None},
                                  {"email": "x" * 10000, "password": "y"}, ["a"]])
def test_bad_sign_in_bodies_are_4xx(client, tenant_a, body):
    response = client.post("/t/alpha/api/v1/auth/token", json=body)
    assert response.status_code in (400, 401, 422), response.get_json()
    error_of(response)


def test_unknown_paths_and_methods_use_the_envelope(admin_a, client):
    assert error_of(admin_a.get("/no/such/thing"))["code"] == "not_found"
    response = admin_a.delete("/policy")
    assert response.status_code == 405 and error_of(response)["code"] == "method_not_allowed"
    assert client.get("/t/no-such-tenant/api/v1/me").status_code == 404


def test_validation_error_maps_fields(admin_a):
    response = admin_a.post("/users", json={"email": 3})
    error = error_of(response)
    assert response.status_code == 422 and error["code"] == "validation_error"
    assert {"email", "name", "password", "roles"} <= set(error["fields"])


def test_lists_paginate_with_an_opaque_cursor(admin_a, tenant_a):
    for i in range(4):
        make_user(tenant_a, f"u{i}@alpha.test", ["desk"])
    first = admin_a.get("/users?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    seen = [u["id"] for u in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = admin_a.get(f"/users?limit=2&cursor={cursor}").get_json()
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, reverse=True)  # newest first


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=x", "cursor=%%%", "cursor=e30"])
def test_bad_list_parameters_are_422(admin_a, query):
    response = admin_a.get(f"/users?{query}")
    assert response.status_code == 422 and error_of(response)["code"] == "validation_error"


def test_times_carry_an_offset_and_ids_are_opaque(admin_a):
    user = admin_a.get("/me").get_json()["user"]
    assert re.search(r"(\+00:00|Z)$", user["created_at"])
    assert re.fullmatch(r"[0-9A-Z]{26}", user["id"])


def test_every_route_is_in_the_openapi_documents(app, client, tenant_a, admin_a):
    # a tenant's document shows the plugins it enabled: enable every installed one
    installed = app.extensions["consultdesk.plugins"].plugin_names
    assert admin_a.patch("/policy", json={"plugins": installed}).status_code == 200
    tenant_doc = client.get("/t/alpha/api/v1/openapi.json").get_json()
    platform_doc = client.get("/platform/api/v1/openapi.json").get_json()
    assert tenant_doc["openapi"].startswith("3.") and tenant_doc["servers"][0]["url"] == "/t/alpha/api/v1"

    def documented(doc, path, method):
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
        return method.lower() in doc["paths"].get(path, {})

    # valid OpenAPI 3.0 as served (a fuzzer refuses to run an operation whose schema is not)
    validate_openapi(tenant_doc)
    validate_openapi(platform_doc)

    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if rule.rule.startswith("/t/<slug>/api/v1") and not rule.rule.endswith("openapi.json"):
                assert documented(tenant_doc, rule.rule[len("/t/<slug>/api/v1"):], method), rule
            if rule.rule.startswith("/platform/api/v1") and not rule.rule.endswith("openapi.json"):
                assert documented(platform_doc, rule.rule[len("/platform/api/v1"):], method), rule


def test_numeric_bounds_are_numbers_in_the_documents(app, client, tenant_a, admin_a):
    """Range(min=0) on a Decimal field with places=2 came out as "minimum": "0.00"."""
    installed = app.extensions["consultdesk.plugins"].plugin_names
    assert admin_a.patch("/policy", json={"plugins": installed}).status_code == 200
    text = client.get("/t/alpha/api/v1/openapi.json").get_data(as_text=True)
    bounds = re.findall(r'"(?:minimum|maximum)":\s*("?[-0-9.]+"?)', text)
    assert bounds and not [b for b in bounds if b.startswith('"')]
    rounds = json.loads(text)["components"]["schemas"]["RoundsIn"]["properties"]
    assert rounds["meter_reading"]["minimum"] == 0
    assert (rounds["water_temperature"]["minimum"], rounds["water_temperature"]["maximum"]) == (-20, 120)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


@pytest.mark.no_transaction  # this app must use its own (unreachable) database
def test_healthz_is_503_when_the_database_is_down(tmp_path):
    from core import create_app
    from tests.conftest import test_config

    broken = create_app(test_config(f"sqlite:///{tmp_path}/missing-dir/db.sqlite"))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"
