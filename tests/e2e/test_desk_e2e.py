"""A desk clerk's phone call in a real browser: sign in, record the inquiry with the keyboard
only, agree a reply time, and find it in the day's ledger.

The browser runs with the en-US locale on purpose: the segments of a datetime-local field (and
so the keys that fill it) follow the browser's locale; the pages themselves stay Chinese (the
tenant's language). Assertions use ids and data-* attributes, and the clerk's own input.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e

CLERK = ("clerk@acme.test", "desk-pass-2026!")
SUBJECT = "3栋1202卫生间漏水，楼下天花板有水渍"


@pytest.fixture(scope="module")
def clerk(live_app, e2e_site):
    """A desk user of the e2e tenant, created in the live app's own database."""
    from core.extensions import db
    from core.identity import service as identity
    from core.tenancy import find_tenant, tenant_context

    with live_app.app_context():
        tenant = find_tenant(e2e_site.slug)
        with tenant_context(tenant):
            if identity.find_user_by_email(CLERK[0]) is None:
                identity.create_user(CLERK[0], "李静", CLERK[1], ["desk"], actor=None)
        db.session.commit()
    return CLERK


def focused(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def test_clerk_records_a_phone_inquiry_with_the_keyboard(new_page, live_server, e2e_site, clerk):
    slug = e2e_site.slug
    page = new_page(locale="en-US")

    # Sign in with the keyboard and land on the ledger (?next=)
    page.goto(f"{live_server}/t/{slug}/login?next=/t/{slug}/ledger")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'email'")
    page.keyboard.type(clerk[0])
    page.keyboard.press("Tab")
    page.keyboard.type(clerk[1])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path == f"/t/{slug}/ledger"
    assert page.locator("html").get_attribute("lang").startswith("zh")

    # The form is ready for the call: the cursor waits in the requester's name, 'phone' preselected
    page.wait_for_function("document.activeElement && document.activeElement.id === 'new-requester_name'")
    assert page.locator("#new-channel").input_value() == "phone"
    page.keyboard.type("张先生")
    page.keyboard.press("Tab")
    assert focused(page) == "new-requester_phone"
    page.keyboard.type("13812345678")
    page.keyboard.press("Tab")
    assert focused(page) == "new-subject"
    page.keyboard.type(SUBJECT)
    page.keyboard.press("Tab")
    assert focused(page) == "new-category"
    page.keyboard.press("ArrowDown")  # the first category: 报修
    assert page.locator("#new-category").input_value() == "repair"
    page.keyboard.press("Tab")
    assert focused(page) == "new-important"
    page.keyboard.press("Tab")
    assert focused(page) == "new-answer"  # not answered at once: a reply time is agreed instead
    page.keyboard.press("Tab")
    assert focused(page) == "new-agreed_reply_at"

    agreed = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).replace(
        hour=15, minute=30, second=0, microsecond=0)
    page.keyboard.type(agreed.strftime("%m%d%Y"))
    page.keyboard.press("Tab")
    page.keyboard.type("0330P")
    assert page.locator("#new-agreed_reply_at").input_value() == agreed.strftime("%Y-%m-%dT%H:%M")

    with page.expect_navigation():
        page.keyboard.press("Enter")  # saved in one step

    # Back on the day's ledger, the new row on top and pointed at by the address
    url = urlsplit(page.url)
    assert url.path == f"/t/{slug}/ledger" and url.fragment.startswith("inq-")
    row = page.locator(f"tr#{url.fragment}")
    assert row.count() == 1 and row.is_visible()
    assert page.locator("table#ledger tbody tr").first.get_attribute("id") == url.fragment
    text = row.inner_text()
    assert SUBJECT in text and "张先生" in text and "13812345678" in text and "李静" in text
    assert agreed.strftime("%m-%d %H:%M") in text
    assert row.get_attribute("data-status") == "open" and row.get_attribute("data-overdue") == "0"
    assert page.locator(".flash.success").count() == 1

    # Its page shows the agreed reply time on the timeline
    number = row.get_attribute("data-number")
    with page.expect_navigation():
        row.locator("a").first.press("Enter")
    assert page.locator("#inquiry-status").get_attribute("data-status") == "open"
    assert number in page.locator("main h1").inner_text()
    assert page.locator("#timeline li[data-kind='reply_time_agreed']").count() == 1
    assert page.locator("#agreed-reply-at").get_attribute("datetime").startswith(
        agreed.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M"))
