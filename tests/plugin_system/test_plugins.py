"""Plugins: hooks per tenant through pluggy, toggled without restart, gated routes, the contract."""

import re

import sqlalchemy as sa

from core.extensions import db
from core.tenancy import tenant_context
from tests.fixtures import ROOT_DIR, make_user


def _notes(tenant):
    from consultdesk_notes.models import Note

    with tenant_context(tenant):
        return db.session.execute(sa.select(Note.body, Note.kind)).all()


def test_event_handler_runs_only_for_the_tenant_that_enabled_the_plugin(tenant_a, tenant_b):
    make_user(tenant_a, "clerk@alpha.test", ["desk"], name="小王")
    make_user(tenant_b, "clerk@beta.test", ["desk"], name="小李")
    assert ("欢迎 小王", "welcome") in _notes(tenant_a)
    assert _notes(tenant_b) == []


def test_enabling_takes_effect_on_the_next_request_without_restart(admin_b, tenant_b):
    assert admin_b.get("/notes/notes").status_code == 404
    assert admin_b.patch("/policy", json={"plugins": ["notes"]}).status_code == 200
    assert admin_b.get("/notes/notes").status_code == 200
    admin_b.post("/users", json={"email": "c@beta.test", "name": "小张", "password": "long-enough-1",
                                 "roles": ["desk"]})
    assert ("欢迎 小张", "welcome") in _notes(tenant_b)
    assert admin_b.patch("/policy", json={"plugins": []}).status_code == 200
    assert admin_b.get("/notes/notes").status_code == 404


def test_toggling_for_one_tenant_changes_nothing_for_another(admin_a, admin_b):
    admin_b.patch("/policy", json={"plugins": ["notes"]})
    admin_b.patch("/policy", json={"plugins": []})
    assert admin_a.get("/notes/notes").status_code == 200


def test_disabled_plugin_pages_and_api_are_404(app, admin_b, tenant_b):
    from tests.fixtures import ADMIN_PASSWORD, sign_in_page

    browser = app.test_client()
    sign_in_page(browser, "beta", "admin@beta.test", ADMIN_PASSWORD)
    assert browser.get("/t/beta/notes/").status_code == 404
    assert admin_b.post("/notes/notes", json={"body": "x"}).status_code == 404


def test_enabled_plugin_page_uses_the_same_service_and_rule(app, tenant_a):
    from tests.fixtures import ADMIN_PASSWORD, csrf_token, sign_in_page

    browser = app.test_client()
    sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    page = browser.get("/t/alpha/notes/")
    assert page.status_code == 200
    token = csrf_token(page.get_data(as_text=True))
    refused = browser.post("/t/alpha/notes/", data={"body": "x" * 141, "csrf_token": token})
    assert "notes.max_length" in refused.get_data(as_text=True)
    saved = browser.post("/t/alpha/notes/", data={"body": "交接：3号楼电梯报修", "csrf_token": token})
    assert saved.status_code == 302
    assert "交接：3号楼电梯报修" in browser.get("/t/alpha/notes/").get_data(as_text=True)


def test_plugin_pages_need_a_signed_in_user(client, tenant_a):
    response = client.get("/t/alpha/notes/")
    assert response.status_code == 302 and "/t/alpha/login" in response.location


def test_openapi_lists_only_enabled_plugins_paths(client, tenant_a, tenant_b):
    paths_a = client.get("/t/alpha/api/v1/openapi.json").get_json()["paths"]
    paths_b = client.get("/t/beta/api/v1/openapi.json").get_json()["paths"]
    assert "/notes/notes" in paths_a and "/notes/notes" not in paths_b
    assert "/policy" in paths_a and "/policy" in paths_b


def test_sweep_runs_jobs_of_enabled_plugins_only(runner, tenant_a, tenant_b):
    result = runner.invoke(args=["sweep"])
    assert result.exit_code == 0, result.output
    assert "alpha: notes.archive_old: 0" in result.output
    assert "beta: notes." not in result.output and "beta: notifications.deliver: 0" in result.output


def test_dashboard_item_shows_on_home_page(app, tenant_a):
    from tests.fixtures import ADMIN_PASSWORD, sign_in_page

    browser = app.test_client()
    sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    html = browser.get("/t/alpha/").get_data(as_text=True)
    assert 'data-plugin="notes"' in html and "<dt>Notes</dt>" in html


def test_every_hook_is_documented_in_the_plugin_guide():
    from core.plugin_system import hookspecs

    guide = (ROOT_DIR / "docs" / "plugins.md").read_text(encoding="utf-8")
    hooks = [name for name in dir(hookspecs) if not name.startswith("_")
             and callable(getattr(hookspecs, name)) and name != "hookspec"]
    assert hooks
    for name in hooks:
        assert f"`{name}" in guide, f"hook {name} is missing from docs/plugins.md"
        assert getattr(hookspecs, name).__doc__, f"hook {name} has no docstring"


def test_example_plugin_is_loaded_through_its_entry_point(tmp_path, database_url, monkeypatch):
    """Install the example plugin's distribution metadata and let create_app find it."""
    from core import create_app
    from tests.conftest import test_config

    dist = tmp_path / "consultdesk_notes-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: consultdesk-notes\nVersion: 0.1.0\n")
    pyproject = (ROOT_DIR / "examples" / "notes_plugin" / "pyproject.toml").read_text()
    name, target = re.search(r'\n(\w+) = "(consultdesk_notes)"', pyproject).groups()
    (dist / "entry_points.txt").write_text(f"[consultdesk.plugins]\n{name} = {target}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = {**test_config(database_url), "EXTRA_PLUGINS": []}
    app = create_app(config)
    info = app.extensions["consultdesk.plugins"].info["notes"]
    assert info.version == "0.1.0" and info.area == "notes" and info.builtin is False
    assert "notes_api" in app.blueprints


def test_a_second_worker_sees_the_change_on_its_next_request(app, database_url, admin_b):
    """Two app instances (two gunicorn workers) share only the database."""
    from core import create_app
    from tests.conftest import IsolatedClient, test_config

    other_worker = create_app(test_config(database_url))
    other_worker.test_client_class = IsolatedClient
    other = other_worker.test_client()
    assert other.get("/t/beta/api/v1/notes/notes", headers=admin_b.headers).status_code == 404
    admin_b.patch("/policy", json={"plugins": ["notes"]})
    assert other.get("/t/beta/api/v1/notes/notes", headers=admin_b.headers).status_code == 200
