"""Sign-in, sign-out and suspension in a real browser (Debian's headless Chromium).

Assertions use ids and data-* attributes, never translated texts (except the tenant's name).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

SIGN_OUT = "header form[action$='/logout'] button[type=submit]"


def path_of(page) -> str:
    return urlsplit(page.url).path


def sign_in_with_keyboard(page, login_url: str, email: str, password: str) -> None:
    """Only the keyboard: the e-mail field has the focus on arrival, Tab, Enter submits."""
    page.goto(login_url)
    page.wait_for_function("document.activeElement && document.activeElement.id === 'email'")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_out(page) -> None:
    with page.expect_navigation():
        page.locator(SIGN_OUT).click()


@pytest.fixture
def urls(live_server, e2e_site):
    slug = e2e_site.slug
    return {"login": f"/t/{slug}/login", "home": f"/t/{slug}/",
            "abs_login": f"{live_server}/t/{slug}/login", "abs_home": f"{live_server}/t/{slug}/"}


def test_tenant_user_signs_in_and_out_with_the_keyboard(new_page, e2e_site, urls):
    page = new_page()
    response = page.goto(urls["abs_login"])
    assert response.status == 200
    assert page.locator("html").get_attribute("lang").startswith("zh")
    assert page.locator("form #email").count() == 1
    assert page.locator("form #password").get_attribute("type") == "password"

    sign_in_with_keyboard(page, urls["abs_login"], *e2e_site.admin)

    assert path_of(page) == urls["home"]
    assert page.locator("main h1").inner_text().strip() == e2e_site.name
    assert e2e_site.name in page.locator("header .brand").inner_text()
    admin_tag = page.locator("[data-role='admin']")
    assert admin_tag.count() == 1
    assert admin_tag.is_visible()

    sign_out(page)
    assert path_of(page) == urls["login"]

    page.goto(urls["abs_home"])
    assert path_of(page) == urls["login"]
    assert page.locator("#email").count() == 1
    assert page.locator(SIGN_OUT).count() == 0


def test_replayed_session_cookie_is_refused_after_sign_out(new_page, e2e_site, urls):
    page = new_page()
    sign_in_with_keyboard(page, urls["abs_login"], *e2e_site.admin)
    assert path_of(page) == urls["home"]
    cookies = page.context.cookies()
    assert cookies, "signing in set no cookie"

    # the copied cookies are the session: another browser holding them is signed in ...
    twin = new_page()
    twin.context.add_cookies(cookies)
    twin.goto(urls["abs_home"])
    assert path_of(twin) == urls["home"]
    assert twin.locator("[data-role='admin']").count() == 1

    sign_out(page)
    assert path_of(page) == urls["login"]

    # ... until the user signs out: the server ended that session, the old cookie is worthless
    replay = new_page()
    replay.context.add_cookies(cookies)
    replay.goto(urls["abs_home"])
    assert path_of(replay) == urls["login"]
    assert replay.locator("[data-role='admin']").count() == 0

    twin.goto(urls["abs_home"])
    assert path_of(twin) == urls["login"]


def test_platform_admin_suspends_a_tenant(new_page, live_app, live_server, e2e_site, urls):
    page = new_page()
    page.goto(live_server + "/platform/login")
    page.locator("#email").fill(e2e_site.platform_admin[0])
    page.locator("#password").fill(e2e_site.platform_admin[1])
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert path_of(page) == "/platform/"

    row = page.locator(f"tr[data-tenant='{e2e_site.slug}']")
    assert row.count() == 1
    assert row.locator("td.status-active").count() == 1
    try:
        with page.expect_navigation():
            row.locator("form[action$='/suspend'] button[type=submit]").click()
        assert path_of(page) == "/platform/"
        row = page.locator(f"tr[data-tenant='{e2e_site.slug}']")
        assert row.locator("td.status-suspended").count() == 1
        assert row.locator("form[action$='/resume'] button[type=submit]").count() == 1

        outsider = new_page()
        response = outsider.goto(urls["abs_login"])
        assert response.status == 403
        assert outsider.locator("#password").count() == 0
    finally:
        # the live server is shared by the module: leave the tenant as it was found
        result = live_app.test_cli_runner().invoke(args=["tenants", "resume", e2e_site.slug])
        assert result.exit_code == 0, result.output
