"""Tenant isolation over every route: another tenant's object is 404, its lists are invisible."""

import importlib
import pkgutil
import re

import pytest

import tests
from tests.fixtures import ADMIN_PASSWORD, make_user, sign_in_api

# How to fill each path parameter with an object that belongs to tenant B. Capabilities add
# theirs in tests/<capability>/isolation.py: FACTORIES = {"inquiry_id": make(tenant_b, admin_b)}
PATH_PARAMS = {"user_id": "user", "notification_id": "notification"}


def capability_factories() -> dict:
    factories = {}
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                module = importlib.import_module(f"tests.{info.name}.isolation")
            except ModuleNotFoundError:
                continue
            factories.update(module.FACTORIES)
    return factories


FACTORIES = capability_factories()
PATH_PARAMS.update({name: name for name in FACTORIES})
# Routes that are not about a tenant's own objects
NOT_TENANT_DATA = {"/auth/token", "/openapi.json"}


def tenant_api_routes(app):
    prefix = "/t/<slug>/api/v1"
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix):
            path = rule.rule[len(prefix):]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, path


@pytest.fixture
def b_objects(tenant_b, admin_b):
    from core.extensions import db
    from core.notifications import service as notifications
    from core.tenancy import tenant_context

    user = make_user(tenant_b, "clerk@beta.test", ["desk"])
    with tenant_context(tenant_b):
        notification = notifications.notify([user], "test", "beta only")[0]
        db.session.commit()
    note = admin_b.post("/notes/notes", json={"body": "beta only"})
    objects = {"user": user.id, "notification": notification.id, "note_status": note.status_code}
    for name, make in FACTORIES.items():
        objects[name] = make(tenant_b, admin_b)
    return objects


def test_every_tenant_api_route_is_covered(app):
    """A new route with an unknown path parameter must be added to PATH_PARAMS."""
    for _method, path in tenant_api_routes(app):
        for name in re.findall(r"<(?:\w+:)?(\w+)>", path):
            assert name in PATH_PARAMS, f"add {name} of {path} to PATH_PARAMS"


def test_other_tenants_objects_are_404_on_every_route(app, admin_a, b_objects):
    """B's object is 404 at A. Where the body is checked first (422), the answer must be the
    same as for an id that exists nowhere, so that nothing about B's objects leaks."""
    checked = 0
    for method, path in tenant_api_routes(app):
        if path in NOT_TENANT_DATA or "<" not in path:
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: b_objects[PATH_PARAMS[m.group(1)]], path)
        response = admin_a.request(method, url, json={})
        if response.status_code == 422:
            nowhere = re.sub(r"<(?:\w+:)?(\w+)>", "0" * 26, path)
            assert response.get_json() == admin_a.request(method, nowhere, json={}).get_json()
        else:
            assert response.status_code == 404, (method, path, response.get_json())
            assert response.get_json()["error"]["code"] == "not_found"
        checked += 1
    assert checked >= 2


def test_lists_and_counts_show_only_own_tenant(admin_a, b_objects, tenant_a):
    make_user(tenant_a, "clerk@alpha.test", ["desk"])
    users = admin_a.get("/users").get_json()["items"]
    assert {u["email"] for u in users} == {"admin@alpha.test", "clerk@alpha.test"}
    notes = admin_a.get("/notes/notes").get_json()["items"]
    assert all("beta" not in n["body"] for n in notes)


def test_token_of_one_tenant_is_401_at_another(client, admin_a, tenant_b):
    for path in ("/me", "/users", "/policy"):
        response = client.get(f"/t/beta/api/v1{path}", headers=admin_a.headers)
        assert response.status_code == 401, path
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_session_of_one_tenant_is_not_a_session_at_another(client, tenant_a, tenant_b):
    from tests.fixtures import sign_in_page

    assert sign_in_page(client, "alpha", "admin@alpha.test", ADMIN_PASSWORD).status_code == 302
    assert client.get("/t/alpha/").status_code == 200
    response = client.get("/t/beta/")
    assert response.status_code == 302 and "/t/beta/login" in response.location


def test_update_of_other_tenants_user_is_404_and_changes_nothing(admin_a, b_objects, tenant_b):
    response = admin_a.patch(f"/users/{b_objects['user']}", json={"name": "pwned", "active": False})
    assert response.status_code == 404
    admin_b = sign_in_api(admin_a.client, "beta", "clerk@beta.test", "user-pass-123")
    assert admin_b.get("/me").get_json()["user"]["name"] == "clerk"
