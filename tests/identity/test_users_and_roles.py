"""Staff accounts and the one permission check used by API and pages."""

from tests.fixtures import USER_PASSWORD, make_user, sign_in_api


def test_admin_creates_and_changes_staff(admin_a):
    created = admin_a.post("/users", json={"email": "New@Alpha.test", "name": "新员工",
                                           "password": "long-enough-1", "roles": ["desk"]})
    assert created.status_code == 201
    user = created.get_json()
    assert user["email"] == "new@alpha.test" and user["roles"] == ["desk"]
    changed = admin_a.patch(f"/users/{user['id']}", json={"roles": ["desk", "supervisor"]})
    assert changed.get_json()["roles"] == ["desk", "supervisor"]
    assert admin_a.get(f"/users/{user['id']}").status_code == 200


def test_email_is_unique_per_tenant_only(admin_a, admin_b):
    body = {"email": "same@x.test", "name": "x", "password": "long-enough-1", "roles": []}
    assert admin_a.post("/users", json=body).status_code == 201
    assert admin_a.post("/users", json=body).status_code == 409
    assert admin_b.post("/users", json=body).status_code == 201


def test_bad_user_input_is_422_with_fields(admin_a):
    response = admin_a.post("/users", json={"email": "not-an-email", "name": "", "roles": ["wizard"]})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"email", "name", "password"} <= set(fields)
    response = admin_a.post("/users", json={"email": "a@b.test", "name": "x", "password": "short",
                                            "roles": ["desk"]})
    assert response.status_code == 422 and "password" in response.get_json()["error"]["fields"]
    response = admin_a.post("/users", json={"email": "a@b.test", "name": "x",
                                            "password": "long-enough-1", "roles": ["wizard"]})
    assert response.status_code == 422 and "roles" in response.get_json()["error"]["fields"]


def test_desk_clerk_cannot_change_policy_or_make_admins(client, admin_a, tenant_a):
    make_user(tenant_a, "clerk@alpha.test", ["desk"])
    clerk = sign_in_api(client, "alpha", "clerk@alpha.test", USER_PASSWORD)
    assert clerk.get("/policy").status_code == 200
    denied = clerk.patch("/policy", json={"rules": {"core.inquiry.ledger": {"enabled": False}}})
    assert denied.status_code == 403 and denied.get_json()["error"]["code"] == "forbidden"
    made = clerk.post("/users", json={"email": "x@alpha.test", "name": "x",
                                      "password": "long-enough-1", "roles": ["admin"]})
    assert made.status_code == 403
    me = clerk.get("/me").get_json()
    assert clerk.patch(f"/users/{me['user']['id']}", json={"roles": ["admin"]}).status_code == 403


def test_supervisor_sees_staff_but_cannot_change_them(client, admin_a, tenant_a):
    clerk = make_user(tenant_a, "clerk@alpha.test", ["desk"])
    make_user(tenant_a, "sup@alpha.test", ["supervisor"])
    sup = sign_in_api(client, "alpha", "sup@alpha.test", USER_PASSWORD)
    assert sup.get("/users").status_code == 200
    assert sup.patch(f"/users/{clerk.id}", json={"name": "x"}).status_code == 403


def test_admin_cannot_lock_themselves_out(admin_a):
    me = admin_a.get("/me").get_json()["user"]
    assert admin_a.patch(f"/users/{me['id']}", json={"active": False}).status_code == 409
    assert admin_a.patch(f"/users/{me['id']}", json={"roles": ["desk"]}).status_code == 409


def test_plugin_roles_and_permissions_follow_enablement(client, admin_a, admin_b, tenant_b):
    roles_a = {r["name"] for r in admin_a.get("/policy").get_json()["roles"]}
    roles_b = {r["name"] for r in admin_b.get("/policy").get_json()["roles"]}
    assert "note_taker" in roles_a and "note_taker" not in roles_b
    body = {"email": "n@x.test", "name": "n", "password": "long-enough-1", "roles": ["note_taker"]}
    assert admin_a.post("/users", json=body).status_code == 201
    assert admin_b.post("/users", json=body).status_code == 422


def test_common_and_personal_passwords_are_refused(admin_a):
    for password in ("password123", "12345678", "qwertyuiop", "woaini1314", "zhangwei123"):
        response = admin_a.post("/users", json={"email": "zhangwei@alpha.test", "name": "zhangwei",
                                                "password": password, "roles": ["desk"]})
        assert response.status_code == 422, password
        assert "password" in response.get_json()["error"]["fields"]
