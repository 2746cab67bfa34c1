"""Factories and fixtures: tenants, users, tokens and API clients for tests."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pytest

from core.extensions import db
from core.identity import service as identity
from core.tenancy import Tenant, tenant_context

ADMIN_PASSWORD = "admin-pass-123"
USER_PASSWORD = "user-pass-123"


def make_tenant(slug: str, *, variant: str = "property", plugins: list[str] | None = None) -> Tenant:
    """A provisioned tenant with admin admin@<slug>.test; plugins enabled if given."""
    from core.policy.service import apply_changes, write_version
    from tenants import provisioning

    tenant = provisioning.create_tenant(slug, name=f"Tenant {slug}", variant=variant,
                                        admin_email=f"admin@{slug}.test",
                                        admin_password=ADMIN_PASSWORD)
    if plugins:
        with tenant_context(tenant):
            from core.policy import load_policy

            document = apply_changes(load_policy(tenant).document, {"plugins": plugins})
            write_version(tenant, document, by="test")
    db.session.commit()
    return tenant


@contextlib.contextmanager
def app_of_its_own(database_url: str, slug: str):
    """An app on the empty database ``database_url``, migrated, with tenant ``slug``
    (make_tenant), disposed at the end. For tests whose connections must really commit
    (marked no_transaction): other connections or processes see what they write."""
    import flask_migrate

    from core import create_app
    from tests.conftest import test_config

    app = create_app({**test_config(database_url), "EXTRA_PLUGINS": []})
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        make_tenant(slug)
        db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def make_user(tenant: Tenant, email: str, roles: list[str], *, name: str | None = None,
              password: str = USER_PASSWORD):
    with tenant_context(tenant):
        user = identity.create_user(email, name or email.split("@")[0], password, roles, actor=None)
    db.session.commit()
    return user


@dataclass
class Api:
    """A test client bound to one tenant and one bearer token."""

    client: object
    slug: str
    token: str | None

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def url(self, path: str) -> str:
        return f"/t/{self.slug}/api/v1{path}"

    def request(self, method: str, path: str, **kw):
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.client.open(self.url(path), method=method, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def sign_in_api(client, slug: str, email: str, password: str) -> Api:
    response = client.post(f"/t/{slug}/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return Api(client, slug, response.get_json()["token"])


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in_page(client, slug: str, email: str, password: str):
    page = client.get(f"/t/{slug}/login")
    return client.post(f"/t/{slug}/login", data={
        "email": email, "password": password, "csrf_token": csrf_token(page.get_data(as_text=True))})


@pytest.fixture
def tenant_a(app):
    return make_tenant("alpha", plugins=["notes"])


@pytest.fixture
def tenant_b(app):
    return make_tenant("beta")


@pytest.fixture
def admin_a(client, tenant_a) -> Api:
    return sign_in_api(client, "alpha", "admin@alpha.test", ADMIN_PASSWORD)


@pytest.fixture
def admin_b(app, tenant_b) -> Api:
    return sign_in_api(app.test_client(), "beta", "admin@beta.test", ADMIN_PASSWORD)


ROOT_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent
