"""The property desk in a real browser: the clerk answers from the information archive as she
types, and the supervisor (物业主管) checks the day's ledger and records the follow-up arrangements.

Tenant "acme" is of the property variant, so the property_frontdesk plugin is enabled.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

CLERK = ("pclerk@acme.test", "desk-pass-2026!")
SUPERVISOR = ("psup@acme.test", "sup-pass-2026!")
SUBJECT = "家里宽带断网了找谁修"


@pytest.fixture(scope="module")
def staff(live_app, e2e_site):
    from core.extensions import db
    from core.identity import service as identity
    from core.tenancy import find_tenant, tenant_context
    from plugins.property_frontdesk import service

    with live_app.app_context():
        tenant = find_tenant(e2e_site.slug)
        with tenant_context(tenant):
            if identity.find_user_by_email(CLERK[0]) is None:
                identity.create_user(CLERK[0], "李静", CLERK[1], ["desk"], actor=None)
                identity.create_user(SUPERVISOR[0], "王强", SUPERVISOR[1], ["supervisor"], actor=None)
                admin = identity.find_user_by_email(e2e_site.admin[0])
                service.add_info(
                    {
                        "title": "电信宽带报修",
                        "category": "telecom",
                        "content": "宽带故障请拨电信客服",
                        "phone": "10000",
                        "tags": "宽带 网络 断网",
                    },
                    admin,
                )
        db.session.commit()
    return {"clerk": CLERK, "supervisor": SUPERVISOR}


def sign_in(page, base, slug, account, target):
    page.goto(f"{base}/t/{slug}/login?next={target}")
    page.fill("#email", account[0])
    page.fill("#password", account[1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == target


def test_clerk_answers_from_the_archive_and_supervisor_reviews_the_day(
    new_page, live_server, e2e_site, staff
):
    slug = e2e_site.slug

    # The clerk types the question; the archive offers its entry; picking it fills the answer
    page = new_page(locale="en-US")
    sign_in(page, live_server, slug, staff["clerk"], f"/t/{slug}/ledger")
    page.fill("#new-requester_name", "张先生")
    page.locator("#new-subject").type("宽带")
    pick = page.locator("#info-suggestions button.info-pick").first
    pick.wait_for()
    pick.click()
    assert "10000" in page.locator("#new-answer").input_value()
    page.locator("#new-subject").fill(SUBJECT)
    with page.expect_navigation():
        page.locator("#save-inquiry").click()
    row = page.locator("#ledger tbody tr").first
    assert SUBJECT in row.inner_text()
    assert row.get_attribute("data-status") == "answered"

    # The supervisor checks the day's ledger and records the arrangements
    page = new_page(locale="en-US")
    sign_in(page, live_server, slug, staff["supervisor"], f"/t/{slug}/property/reviews/daily")
    assert SUBJECT in page.locator("#review-ledger").inner_text()
    assert page.locator("#review-status strong").count() == 1  # not reviewed yet
    page.wait_for_function("document.activeElement && document.activeElement.id === 'remarks'")
    page.keyboard.type("台帐记录完整")
    page.fill("#arrangements", "明日早会通报宽带报修渠道")
    with page.expect_navigation():
        page.locator("#save-review").click()
    assert page.locator(".flash.success").count() == 1
    assert "王强" in page.locator("#review-status").inner_text()
    assert page.locator("#arrangements").input_value() == "明日早会通报宽带报修渠道"
