"""Server-rendered pages: Chinese first, CSRF on every form, the right account for each side."""

from tests.fixtures import ADMIN_PASSWORD, csrf_token, sign_in_page


def test_sign_in_page_is_chinese_by_default_and_english_on_request(client, tenant_a):
    html = client.get("/t/alpha/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "登录" in html
    english = client.get("/t/alpha/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in english and "Sign in" in english
    traditional = client.get("/t/alpha/login?lang=zh_TW").get_data(as_text=True)
    assert '<html lang="zh-TW">' in traditional and "登入" in traditional


def test_forms_without_csrf_token_are_refused(client, tenant_a):
    response = client.post("/t/alpha/login", data={"email": "admin@alpha.test",
                                                   "password": ADMIN_PASSWORD})
    assert response.status_code == 400


def test_wrong_password_shows_one_message_and_stays_on_the_page(client, tenant_a):
    response = sign_in_page(client, "alpha", "admin@alpha.test", "wrong-password")
    assert response.status_code == 200
    assert "邮箱或密码错误" in response.get_data(as_text=True) or "Wrong" in response.get_data(as_text=True)


def test_home_shows_tenant_roles_and_plugins(client, tenant_a):
    assert sign_in_page(client, "alpha", "admin@alpha.test", ADMIN_PASSWORD).status_code == 302
    html = client.get("/t/alpha/").get_data(as_text=True)
    assert "Tenant alpha" in html and 'data-role="admin"' in html and 'data-plugin="notes"' in html


def test_password_change_page_ends_the_session(client, tenant_a):
    sign_in_page(client, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    page = client.get("/t/alpha/password")
    response = client.post("/t/alpha/password", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "current_password": ADMIN_PASSWORD,
        "new_password": "another-pass-99", "confirm": "another-pass-99"})
    assert response.status_code == 302 and "/login" in response.location
    assert client.get("/t/alpha/").status_code == 302
    assert sign_in_page(client, "alpha", "admin@alpha.test", "another-pass-99").status_code == 302


def _platform_sign_in(client, runner):
    runner.invoke(args=["platform-admin", "create", "--email", "root@host.test",
                        "--password", "root-pass-123"])
    page = client.get("/platform/login")
    return client.post("/platform/login", data={
        "email": "root@host.test", "password": "root-pass-123",
        "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_platform_page_lists_and_suspends_tenants(client, runner, tenant_a, tenant_b):
    assert _platform_sign_in(client, runner).status_code == 302
    html = client.get("/platform/").get_data(as_text=True)
    assert 'data-tenant="alpha"' in html and 'data-tenant="beta"' in html
    response = client.post("/platform/tenants/beta/suspend", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert "status-suspended" in client.get("/platform/").get_data(as_text=True)
    assert client.get("/t/beta/login").status_code == 403


def test_sessions_do_not_cross_between_platform_and_tenants(app, runner, tenant_a):
    admin_browser = app.test_client()
    _platform_sign_in(admin_browser, runner)
    assert admin_browser.get("/t/alpha/").status_code == 302  # not a tenant user
    tenant_browser = app.test_client()
    sign_in_page(tenant_browser, "alpha", "admin@alpha.test", ADMIN_PASSWORD)
    response = tenant_browser.get("/platform/")
    assert response.status_code == 302 and "/platform/login" in response.location


def test_error_pages_are_html_for_pages(client, tenant_a):
    response = client.get("/t/alpha/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_sign_in_returns_to_the_page_asked_for_but_never_elsewhere(client, tenant_a):
    response = client.get("/t/alpha/password")
    assert response.status_code == 302 and "next=/t/alpha/password" in response.location
    page = client.get(response.location)
    signed = client.post(response.location, data={
        "email": "admin@alpha.test", "password": ADMIN_PASSWORD,
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert signed.location == "/t/alpha/password"
    other = app_client_sign_in(client, "/t/alpha/login?next=https://evil.test/")
    assert other.location == "/t/alpha/"


def app_client_sign_in(client, url):
    page = client.get(url)
    return client.post(url, data={"email": "admin@alpha.test", "password": ADMIN_PASSWORD,
                                  "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_security_headers_on_pages_and_api(client, admin_a):
    for response in (client.get("/t/alpha/login"), admin_a.get("/me")):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-store"
        assert headers["Referrer-Policy"] == "same-origin"
