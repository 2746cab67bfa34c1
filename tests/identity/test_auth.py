"""Sign-in, tokens, server-side sessions, throttling and password hashing."""

from datetime import timedelta

import sqlalchemy as sa

from core.extensions import db
from core.identity.models import ApiToken, User
from core.tenancy import tenant_context, utcnow
from tests.fixtures import ADMIN_PASSWORD, USER_PASSWORD, make_user, sign_in_api, sign_in_page


def test_token_request_and_use(client, tenant_a):
    response = client.post("/t/alpha/api/v1/auth/token",
                           json={"email": "ADMIN@alpha.test ", "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert body["token"].startswith("cd_") and "+" in body["expires_at"] or "Z" in body["expires_at"]
    me = client.get("/t/alpha/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["user"]["roles"] == ["admin"]


def test_tokens_are_stored_hashed(admin_a, tenant_a):
    with tenant_context(tenant_a):
        stored = db.session.execute(sa.select(ApiToken.secret_hash)).scalars().all()
    assert admin_a.token[3:] not in stored and all(len(h) == 64 for h in stored)


def test_wrong_password_and_unknown_account_answer_the_same(client, tenant_a):
    wrong = client.post("/t/alpha/api/v1/auth/token",
                        json={"email": "admin@alpha.test", "password": "nope-nope"})
    unknown = client.post("/t/alpha/api/v1/auth/token",
                          json={"email": "ghost@alpha.test", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_no_or_bad_token_is_401(client, tenant_a):
    assert client.get("/t/alpha/api/v1/me").status_code == 401
    bad = client.get("/t/alpha/api/v1/me", headers={"Authorization": "Bearer cd_forged"})
    assert bad.status_code == 401


def test_revoked_and_expired_tokens_are_refused(admin_a, tenant_a):
    assert admin_a.delete("/auth/token").status_code == 204
    assert admin_a.get("/me").status_code == 401
    other = sign_in_api(admin_a.client, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    with tenant_context(tenant_a):
        db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert other.get("/me").status_code == 401


def test_a_token_works_only_in_its_own_tenant(admin_a, tenant_b):
    stolen = {"Authorization": f"Bearer {admin_a.token}"}
    assert admin_a.client.get("/t/beta/api/v1/me", headers=stolen).status_code == 401
    assert admin_a.client.get("/t/nowhere/api/v1/me", headers=stolen).status_code == 404


def test_a_disabled_account_is_refused_even_with_an_unrevoked_token(app, tenant_a):
    make_user(tenant_a, "clerk@alpha.test", ["desk"])
    clerk = sign_in_api(app.test_client(), "alpha", "clerk@alpha.test", USER_PASSWORD)
    with tenant_context(tenant_a):  # behind the service's back: the token stays unrevoked
        db.session.execute(sa.update(User).where(User.email == "clerk@alpha.test").values(active=False))
        db.session.commit()
    assert clerk.get("/me").status_code == 401


def test_the_token_owner_comes_with_every_role_and_activity_is_recorded(app, tenant_a):
    make_user(tenant_a, "lead@alpha.test", ["supervisor", "desk"], name="王主管")
    lead = sign_in_api(app.test_client(), "alpha", "lead@alpha.test", USER_PASSWORD)
    long_ago = utcnow() - timedelta(minutes=5)
    with tenant_context(tenant_a):
        db.session.execute(sa.update(ApiToken).values(last_seen_at=long_ago))
        db.session.commit()
    me = lead.get("/me").get_json()
    assert me["user"]["name"] == "王主管" and me["user"]["roles"] == ["desk", "supervisor"]
    assert "inquiries.create" in me["permissions"]
    with tenant_context(tenant_a):
        seen = db.session.execute(sa.select(ApiToken.last_seen_at)
                                  .where(ApiToken.user_id == me["user"]["id"])).scalar_one()
    assert seen > long_ago + timedelta(minutes=4)


def test_password_change_ends_tokens(admin_a):
    response = admin_a.post("/me/password", json={"current_password": ADMIN_PASSWORD,
                                                  "new_password": "brand-new-pass-1"})
    assert response.status_code == 204
    assert admin_a.get("/me").status_code == 401
    sign_in_api(admin_a.client, "alpha", "admin@alpha.test", "brand-new-pass-1")


def test_disabling_a_user_ends_sessions_and_tokens(app, admin_a, tenant_a):
    clerk = make_user(tenant_a, "clerk@alpha.test", ["desk"])
    clerk_api = sign_in_api(app.test_client(), "alpha", "clerk@alpha.test", USER_PASSWORD)
    browser = app.test_client()
    assert sign_in_page(browser, "alpha", "clerk@alpha.test", USER_PASSWORD).status_code == 302
    assert admin_a.patch(f"/users/{clerk.id}", json={"active": False}).status_code == 200
    assert clerk_api.get("/me").status_code == 401
    assert browser.get("/t/alpha/").status_code == 302
    response = app.test_client().post("/t/alpha/api/v1/auth/token",
                                      json={"email": "clerk@alpha.test", "password": USER_PASSWORD})
    assert response.status_code == 401


def test_sign_out_revokes_the_session_on_the_server(app, tenant_a):
    browser = app.test_client()
    assert sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD).status_code == 302
    cookie = browser.get_cookie("session")
    home = browser.get("/t/alpha/")
    assert home.status_code == 200
    from tests.fixtures import csrf_token

    token = csrf_token(home.get_data(as_text=True))
    assert browser.post("/t/alpha/logout", data={"csrf_token": token}).status_code == 302
    replay = app.test_client()
    replay.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    response = replay.get("/t/alpha/")
    assert response.status_code == 302 and "/login" in response.location


def test_idle_session_expires(app, tenant_a):
    from core.identity.models import AuthSession

    browser = app.test_client()
    sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    with tenant_context(tenant_a):
        idle = app.config["SESSION_IDLE_MINUTES"] + 1
        db.session.execute(sa.update(AuthSession).values(last_seen_at=utcnow() - timedelta(minutes=idle)))
        db.session.commit()
    assert browser.get("/t/alpha/").status_code == 302


def test_failed_sign_ins_are_throttled_per_account(client, tenant_a):
    for _ in range(5):
        response = client.post("/t/alpha/api/v1/auth/token",
                               json={"email": "admin@alpha.test", "password": "wrong-pass"})
        assert response.status_code == 401
    response = client.post("/t/alpha/api/v1/auth/token",
                           json={"email": "admin@alpha.test", "password": ADMIN_PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    # another account from elsewhere is not affected
    other = client.post("/t/alpha/api/v1/auth/token",
                        json={"email": "someone@alpha.test", "password": "x"},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 401


def test_failed_sign_ins_are_throttled_per_address(client, tenant_a):
    statuses = [client.post("/t/alpha/api/v1/auth/token",
                            json={"email": f"user{i}@alpha.test", "password": "wrong"},
                            environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code
                for i in range(31)]
    assert statuses[:30] == [401] * 30 and statuses[30] == 429


def test_successful_sign_ins_are_not_throttled(client, tenant_a):
    for _ in range(8):
        response = client.post("/t/alpha/api/v1/auth/token",
                               json={"email": "admin@alpha.test", "password": ADMIN_PASSWORD})
        assert response.status_code == 200


def test_password_hashes_are_argon2id_with_owasp_parameters(tenant_a):
    from argon2 import extract_parameters

    with tenant_context(tenant_a):
        user = db.session.execute(sa.select(User)).scalar_one()
    params = extract_parameters(user.password_hash)
    assert user.password_hash.startswith("$argon2id$")
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2


def test_hash_is_upgraded_at_sign_in_when_parameters_change(app, client, tenant_a):
    from argon2 import extract_parameters

    old = app.config["PASSWORD_HASH_TIME_COST"]
    app.config["PASSWORD_HASH_TIME_COST"] = old + 1
    try:
        sign_in_api(client, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    finally:
        app.config["PASSWORD_HASH_TIME_COST"] = old
    with tenant_context(tenant_a):
        user = db.session.execute(sa.select(User)).scalar_one()
    assert extract_parameters(user.password_hash).time_cost == old + 1


def test_suspended_tenant_is_403_for_api_pages_and_sign_in(client, admin_a, runner):
    assert runner.invoke(args=["tenants", "suspend", "alpha"]).exit_code == 0
    assert admin_a.get("/me").status_code == 403
    assert admin_a.get("/me").get_json()["error"]["code"] == "forbidden"
    token = client.post("/t/alpha/api/v1/auth/token",
                        json={"email": "admin@alpha.test", "password": ADMIN_PASSWORD})
    assert token.status_code == 403
    assert client.get("/t/alpha/login").status_code == 403
    assert runner.invoke(args=["tenants", "resume", "alpha"]).exit_code == 0
    assert admin_a.get("/me").status_code == 200


def test_sign_in_is_audited(admin_a, tenant_a):
    from core.audit import AuditEvent

    with tenant_context(tenant_a):
        actions = db.session.execute(sa.select(AuditEvent.action)).scalars().all()
    assert "auth.signed_in" in actions and "tenant.created" in actions and "user.created" in actions
