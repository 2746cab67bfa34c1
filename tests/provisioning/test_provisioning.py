"""Provisioning through the CLI and the platform API; export and import round trip."""

import json

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.tenancy import Tenant, find_tenant
from tests.fixtures import ADMIN_PASSWORD, make_user, sign_in_api


def invoke(runner, *args):
    return runner.invoke(args=list(args))


def test_create_list_suspend_resume_by_cli(runner, client):
    result = invoke(runner, "tenants", "create", "acme", "--name", "华庭物业", "--variant",
                    "property", "--admin-email", "boss@acme.test", "--admin-password", "long-pass-12")
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke(runner, "tenants", "list", "--json").output)
    row = next(r for r in listed if r["slug"] == "acme")
    assert row["variant"] == "property" and row["users"] == 1 and row["status"] == "active"
    assert "acme" in invoke(runner, "tenants", "list").output
    api = sign_in_api(client, "acme", "boss@acme.test", "long-pass-12")
    assert api.get("/me").get_json()["tenant"]["name"] == "华庭物业"
    assert invoke(runner, "tenants", "suspend", "acme").exit_code == 0
    assert api.get("/me").status_code == 403
    assert invoke(runner, "tenants", "resume", "acme").exit_code == 0
    assert api.get("/me").status_code == 200


@pytest.mark.parametrize("args, message", [
    (["tenants", "create", "bad slug", "--name", "x", "--variant", "property",
      "--admin-email", "a@b.test", "--admin-password", "long-pass-12"], "Invalid slug"),
    (["tenants", "create", "ok", "--name", "x", "--variant", "spaceship",
      "--admin-email", "a@b.test", "--admin-password", "long-pass-12"], "Unknown variant"),
    (["tenants", "create", "ok", "--name", "x", "--variant", "property",
      "--admin-email", "a@b.test", "--admin-password", "short"], "Password too short"),
    (["tenants", "suspend", "nobody"], "No tenant"),
    (["tenants", "import", "/no/such/file.json"], "cannot read"),
    (["tenants", "export", "nobody", "-o", "/tmp/x.json"], "No tenant"),
])
def test_bad_cli_input_is_one_line_on_stderr(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output


def test_duplicate_slug_is_refused(runner, tenant_a):
    result = invoke(runner, "tenants", "create", "alpha", "--name", "x", "--variant", "property",
                    "--admin-email", "a@b.test", "--admin-password", "long-pass-12")
    assert result.exit_code == 1 and "already exists" in result.output


def test_variant_needing_a_missing_plugin_fails_with_one_line(app, runner, tmp_path):
    preset = tmp_path / "future.toml"
    preset.write_text('title = "Future"\nplugins = ["time_machine"]\n')
    old = app.config["PRESETS_DIR"]
    app.config["PRESETS_DIR"] = str(tmp_path)
    try:
        result = invoke(runner, "tenants", "create", "fut", "--name", "x", "--variant", "future",
                        "--admin-email", "a@b.test", "--admin-password", "long-pass-12")
    finally:
        app.config["PRESETS_DIR"] = old
    assert result.exit_code == 1
    assert "needs plugin(s) time_machine, which are not installed" in result.output


def test_every_preset_provisions_and_its_policy_is_valid(runner):
    from tenants import provisioning

    for variant in ("property", "hospital", "law_firm", "school"):
        result = invoke(runner, "tenants", "create", f"v-{variant.replace('_', '-')}", "--name",
                        variant, "--variant", variant, "--admin-email", "a@b.test",
                        "--admin-password", "long-pass-12")
        assert result.exit_code == 0, result.output
        assert variant in provisioning.working_variants()


def test_platform_admin_create_and_duplicate(runner):
    ok = invoke(runner, "platform-admin", "create", "--email", "root@host.test",
                "--password", "root-pass-123")
    assert ok.exit_code == 0
    again = invoke(runner, "platform-admin", "create", "--email", "root@host.test",
                   "--password", "root-pass-123")
    assert again.exit_code == 1 and "already exists" in again.output


def test_export_import_round_trip_loses_nothing(runner, tmp_path, admin_a, tenant_a):
    make_user(tenant_a, "clerk@alpha.test", ["desk", "note_taker"], name="小王")
    admin_a.post("/notes/notes", json={"body": "三号楼电梯报修"})
    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"params": {"after_days": 30}}}})
    first = tmp_path / "alpha.json"
    assert invoke(runner, "tenants", "export", "alpha", "-o", str(first)).exit_code == 0
    result = invoke(runner, "tenants", "import", str(first), "--slug", "alpha-copy")
    assert result.exit_code == 0, result.output
    second = tmp_path / "copy.json"
    assert invoke(runner, "tenants", "export", "alpha-copy", "-o", str(second)).exit_code == 0

    original, copy = json.loads(first.read_text()), json.loads(second.read_text())
    assert original["tenant"] | {"slug": "alpha-copy"} == copy["tenant"]
    for table, rows in original["tables"].items():
        copied = copy["tables"][table]
        if table == "audit_events":  # the copy also records its own import and export
            copied = [r for r in copied if r["action"] not in ("tenant.imported",)]
        assert rows == copied, table
    assert original["tables"]["users"][0]["password_hash"].startswith("$argon2id$")
    # the copy works: same passwords, same policy, same plugin data, its own tenant
    api = sign_in_api(admin_a.client, "alpha-copy", "clerk@alpha.test", "user-pass-123")
    assert api.get("/me").get_json()["user"]["roles"] == ["desk", "note_taker"]
    policy = {r["id"]: r for r in api.get("/policy").get_json()["rules"]}
    assert policy["core.follow_up"]["params"]["after_days"] == 30
    assert [n["body"] for n in api.get("/notes/notes").get_json()["items"]][0] == "三号楼电梯报修"
    assert admin_a.get("/users").status_code == 200  # the original is untouched


def test_import_under_the_same_slug_after_removal_is_refused_while_it_exists(runner, tmp_path,
                                                                           tenant_a):
    path = tmp_path / "a.json"
    invoke(runner, "tenants", "export", "alpha", "-o", str(path))
    result = invoke(runner, "tenants", "import", str(path))
    assert result.exit_code == 1 and "already exists" in result.output


@pytest.mark.parametrize("content, message", [
    ("not json", "is not a JSON file"),
    ('{"format": "other"}', "not a consultdesk tenant export"),
    ('{"format": "consultdesk-tenant-export", "version": 1, "tenant": {"slug": "zz"},'
     ' "tables": {"users": [{"nonsense": 1}]}}', "malformed"),
])
def test_bad_import_files_are_refused_with_one_line(runner, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = invoke(runner, "tenants", "import", str(path), "--slug", "zz")
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert db.session.execute(sa.select(Tenant).where(Tenant.slug == "zz")).first() is None


def test_platform_api_provisions_and_is_for_platform_admins_only(client, runner, admin_a):
    invoke(runner, "platform-admin", "create", "--email", "root@host.test", "--password",
           "root-pass-123")
    token = client.post("/platform/api/v1/auth/token",
                        json={"email": "root@host.test", "password": "root-pass-123"})
    assert token.status_code == 200
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    created = client.post("/platform/api/v1/tenants", headers=headers, json={
        "slug": "gamma", "name": "仁和医院", "variant": "hospital",
        "admin_email": "a@gamma.test", "admin_password": "long-pass-12"})
    assert created.status_code == 201 and created.get_json()["users"] == 1
    assert client.post("/platform/api/v1/tenants", headers=headers, json={
        "slug": "gamma", "name": "x", "variant": "hospital", "admin_email": "a@g.test",
        "admin_password": "long-pass-12"}).status_code == 409
    page = client.get("/platform/api/v1/tenants?limit=1", headers=headers).get_json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    assert client.post("/platform/api/v1/tenants/gamma/suspend", headers=headers).status_code == 200
    exported = client.get("/platform/api/v1/tenants/gamma/export", headers=headers)
    assert exported.get_json()["tenant"]["status"] == "suspended"
    imported = client.post("/platform/api/v1/tenants/import", headers=headers,
                           json={"data": exported.get_json(), "slug": "gamma2"})
    assert imported.status_code == 201
    # a tenant's token is worthless on the platform API, and vice versa
    assert client.get("/platform/api/v1/tenants", headers=admin_a.headers).status_code == 401
    assert client.get("/t/alpha/api/v1/me", headers=headers).status_code == 401
    assert client.get("/platform/api/v1/tenants").status_code == 401


def test_provisioning_is_audited(runner):
    from core.audit import PlatformAuditEvent

    invoke(runner, "tenants", "create", "delta", "--name", "x", "--variant", "school",
           "--admin-email", "a@b.test", "--admin-password", "long-pass-12")
    invoke(runner, "tenants", "suspend", "delta")
    actions = db.session.execute(
        sa.select(PlatformAuditEvent.action).where(PlatformAuditEvent.tenant_slug == "delta")
    ).scalars().all()
    assert actions == ["tenant.created", "tenant.suspended"]
    assert find_tenant("delta").status == "suspended"


def test_audit_rows_cannot_be_changed_even_by_sql(tenant_a):
    from core.audit import AuditEvent

    with pytest.raises(sa.exc.DBAPIError):
        with db.session.begin_nested():
            db.session.execute(sa.update(AuditEvent.__table__).values(action="forged"),
                               execution_options={"all_tenants": True})
    with pytest.raises(sa.exc.DBAPIError):
        with db.session.begin_nested():
            db.session.execute(sa.delete(AuditEvent.__table__),
                               execution_options={"all_tenants": True})


def test_demo_builds_every_working_variant_and_is_idempotent(runner, client):
    first = invoke(runner, "demo")
    assert first.exit_code == 0, first.output
    assert invoke(runner, "demo").exit_code == 0
    slugs = {r["slug"] for r in json.loads(invoke(runner, "tenants", "list", "--json").output)}
    assert {"demo-property", "demo-hospital", "demo-law-firm", "demo-school"} <= slugs
    assert "/t/demo-property/login" in first.output
    sign_in_api(client, "demo-property", "desk@demo.test", "demo-pass-2026")
    assert ADMIN_PASSWORD  # (fixtures' constants stay importable)
