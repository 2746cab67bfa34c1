"""GET /audit: for admin and archivist, filtered, paginated, scoped to the tenant."""

from tests.fixtures import USER_PASSWORD, make_user, sign_in_api


def test_admin_reads_the_trail_with_filters(admin_a, tenant_a):
    clerk = make_user(tenant_a, "clerk@alpha.test", ["desk"])
    admin_a.patch(f"/users/{clerk.id}", json={"name": "小王"})
    everything = admin_a.get("/audit?limit=200").get_json()["items"]
    actions = [e["action"] for e in everything]
    assert "tenant.created" in actions and "user.changed" in actions and "auth.signed_in" in actions
    about_clerk = admin_a.get(f"/audit?object=users:{clerk.id}").get_json()["items"]
    assert {e["action"] for e in about_clerk} == {"user.created", "user.changed"}
    by_admin = admin_a.get("/audit?actor=ADMIN@alpha.test&action=user.changed").get_json()["items"]
    assert len(by_admin) == 1 and by_admin[0]["details"] == {"name": "小王"}
    since = everything[0]["at"]
    recent = admin_a.get("/audit", query_string={"since": since}).get_json()["items"]
    assert recent and all(e["at"] >= since for e in recent)


def test_archivist_reads_desk_does_not(client, tenant_a):
    make_user(tenant_a, "arch@alpha.test", ["archivist"])
    make_user(tenant_a, "clerk@alpha.test", ["desk"])
    assert sign_in_api(client, "alpha", "arch@alpha.test", USER_PASSWORD).get("/audit").status_code == 200
    assert sign_in_api(client, "alpha", "clerk@alpha.test", USER_PASSWORD).get("/audit").status_code == 403


def test_trail_shows_only_own_tenant(admin_a, admin_b):
    labels = {e["actor_label"] for e in admin_a.get("/audit?limit=200").get_json()["items"]}
    assert "admin@beta.test" not in labels


def test_bad_since_is_422(admin_a):
    assert admin_a.get("/audit?since=yesterday").status_code == 422
    assert admin_a.get("/audit?since=2026-11-25T10:00:00").status_code == 422  # no offset


def test_audit_page(app, tenant_a):
    from tests.fixtures import ADMIN_PASSWORD, sign_in_page

    browser = app.test_client()
    sign_in_page(browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    html = browser.get("/t/alpha/audit?action=tenant.created").get_data(as_text=True)
    assert "tenant.created" in html and "data-audit=" in html
