"""Finding inquiries (filters, search, days in the tenant's zone) and the day's ledger as
JSON, CSV and XLSX."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from core.tenancy import utcnow
from tests.fixtures import USER_PASSWORD, make_user, sign_in_api
from tests.inquiries.factories import local, make_inquiry


@pytest.fixture
def desk(client, tenant_a):
    make_user(tenant_a, "desk@alpha.test", ["desk"], name="李静")
    return sign_in_api(client, "alpha", "desk@alpha.test", USER_PASSWORD)


def ids(response):
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


@pytest.fixture
def day_of_inquiries(tenant_a, desk):
    """One day at the desk, 2025-11-25 (Shanghai), with one inquiry of each kind."""
    def make(hour, minute=0, **data):
        return make_inquiry(tenant_a, "desk@alpha.test", now=local(2025, 11, 25, hour, minute), **data)

    return {
        "at_once": make(9, 5, answer="物业费可在公众号缴纳。", category="fees",
                        requester={"name": "李女士", "phone": "13911112222"}, subject="物业费怎么交"),
        "agreed": make(9, 40, agreed_reply_at=local(2025, 11, 25, 16, 0), category="repair",
                       subject="厨房下水道堵塞", body="已经堵了两天"),
        "important": make(10, 15, important=True, category="security", subject="夜间有陌生人徘徊"),
        "percent": make(11, 0, subject="优惠100%_活动是真的吗", category="other"),
    }


def test_filters(desk, day_of_inquiries):
    inq = {k: v.id for k, v in day_of_inquiries.items()}
    assert ids(desk.get("/inquiries?status=answered")) == {inq["at_once"]}
    assert ids(desk.get("/inquiries?category=repair")) == {inq["agreed"]}
    assert ids(desk.get("/inquiries?important=true")) == {inq["important"]}
    assert ids(desk.get("/inquiries?important=false")) == set(inq.values()) - {inq["important"]}
    assert ids(desk.get("/inquiries?status=open&category=security")) == {inq["important"]}
    assert desk.get("/inquiries?status=bogus").status_code == 422
    assert desk.get("/inquiries?date=2026-02-30").status_code == 422


def test_overdue_filter_is_sql_on_the_stored_deadline(desk, day_of_inquiries):
    # The agreed time (16:00 on 2025-11-25) has long passed; the others' caps (3 WD) too,
    # except the answered one, which is never overdue
    inq = {k: v.id for k, v in day_of_inquiries.items()}
    overdue = ids(desk.get("/inquiries?overdue=true"))
    assert overdue == {inq["agreed"], inq["important"], inq["percent"]}
    assert ids(desk.get("/inquiries?overdue=false")) == {inq["at_once"]}
    desk.post(f"/inquiries/{inq['agreed']}/replies", json={"body": "已疏通", "final": True})
    assert inq["agreed"] not in ids(desk.get("/inquiries?overdue=true"))
    fresh = desk.post("/inquiries", json={"channel": "phone", "requester": {"name": "赵先生"},
                                          "subject": "新来的",
                                          "agreed_reply_at": (utcnow() + timedelta(hours=2)).isoformat()})
    assert fresh.get_json()["overdue"] is False
    assert fresh.get_json()["id"] in ids(desk.get("/inquiries?overdue=false"))


def test_overdue_in_the_sql_and_the_json_agree(desk, day_of_inquiries):
    items = desk.get("/inquiries?limit=200").get_json()["items"]
    overdue = ids(desk.get("/inquiries?overdue=true"))
    assert {i["id"] for i in items if i["overdue"]} == overdue


def test_q_finds_chinese_text_in_subject_body_and_requester(desk, day_of_inquiries):
    inq = {k: v.id for k, v in day_of_inquiries.items()}
    assert ids(desk.get("/inquiries?q=下水道")) == {inq["agreed"]}
    assert ids(desk.get("/inquiries?q=堵了两天")) == {inq["agreed"]}  # the body
    assert ids(desk.get("/inquiries?q=李女士")) == {inq["at_once"]}
    assert ids(desk.get("/inquiries?q=1391111")) == {inq["at_once"]}
    assert ids(desk.get("/inquiries?q=没有这回事")) == set()


def test_q_treats_like_wildcards_as_text(desk, day_of_inquiries):
    inq = {k: v.id for k, v in day_of_inquiries.items()}
    assert ids(desk.get("/inquiries?q=100%25_")) == {inq["percent"]}
    assert ids(desk.get("/inquiries?q=%25")) == {inq["percent"]}
    assert ids(desk.get("/inquiries?q=_")) == {inq["percent"]}
    assert ids(desk.get("/inquiries?q=\\")) == set()


def test_date_filter_is_the_tenants_local_day(tenant_a, desk):
    # 2025-11-25 23:30 in Shanghai is 15:30 UTC the same day; 00:30 local on the 26th is
    # 16:30 UTC on the 25th: by UTC date both would be the 25th
    late = make_inquiry(tenant_a, now=local(2025, 11, 25, 23, 30))
    early = make_inquiry(tenant_a, now=local(2025, 11, 26, 0, 30))
    assert ids(desk.get("/inquiries?date=2025-11-25")) == {late.id}
    assert ids(desk.get("/inquiries?date=2025-11-26")) == {early.id}
    assert early.number == "20251126-0001" and late.number == "20251125-0001"


def test_list_paginates_newest_first(tenant_a, desk):
    made = [make_inquiry(tenant_a, now=local(2025, 11, 25, 9, i)).id for i in range(5)]
    first = desk.get("/inquiries?limit=2").get_json()
    seen = [i["id"] for i in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = desk.get(f"/inquiries?limit=2&cursor={cursor}").get_json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
    assert seen == list(reversed(made))


def test_ledger_json_has_the_paper_forms_columns(desk, day_of_inquiries):
    inq = day_of_inquiries
    desk.post(f"/inquiries/{inq['agreed'].id}/forward", json={"department": "engineering",
                                                              "remark": "请上门疏通"})
    body = desk.get("/ledger?date=2025-11-25").get_json()
    assert body["date"] == "2025-11-25"
    rows = body["items"]
    assert [r["number"] for r in rows] == [f"20251125-000{n}" for n in range(1, 5)]  # as they came in
    first, second, third = rows[0], rows[1], rows[2]
    assert first["answered_at_once"] is True and first["answer"] == "物业费可在公众号缴纳。"
    assert first["receiver"] == "李静" and first["requester"]["name"] == "李女士"
    assert first["time"].startswith("2025-11-25T01:05:00")  # stored and given in UTC
    assert second["agreed_reply_at"].startswith("2025-11-25T08:00:00")
    assert second["remark"] == "工程部：请上门疏通" and "工程部" in second["follow_up"]
    assert second["overdue"] is True and second["status"] == "forwarded"
    assert third["important"] is True
    assert desk.get("/ledger?date=2025-11-24").get_json()["items"] == []


def test_ledger_csv_opens_in_excel(desk, day_of_inquiries):
    response = desk.get("/ledger?date=2025-11-25&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "ledger-2025-11-25.csv" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for Excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["编号", "时间", "方式", "业户/咨询人", "咨询内容"]
    assert "备注" in rows[0] and "约定答复时间" in rows[0] and "接待人" in rows[0]
    assert len(rows) == 5
    assert rows[1][0] == "20251125-0001" and rows[1][1] == "2025-11-25 09:05"  # tenant's clock
    assert "李女士" in rows[1][3] and rows[1][6] == "是"
    assert rows[2][8] == "2025-11-25 16:00"


def test_ledger_xlsx_is_a_real_workbook(desk, day_of_inquiries):
    response = desk.get("/ledger?date=2025-11-25&format=xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    title = sheet["A1"].value
    assert "Tenant alpha" in title and "客服前台工作台帐" in title and "2025-11-25" in title
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["编号", "时间", "方式", "业户/咨询人", "咨询内容"]
    assert header[-4:] == ["跟进情况", "备注", "重要", "状态"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[0] for r in rows] == [f"20251125-000{n}" for n in range(1, 5)]
    assert rows[0][1].strftime("%Y-%m-%d %H:%M") == "2025-11-25 09:05"  # a datetime on the tenant's clock
    assert rows[0][6] == "是" and rows[1][6] == "否"
    assert rows[2][header.index("重要")] == "是"
    assert "逾期" in rows[1][header.index("状态")]
    assert sheet.column_dimensions["E"].width >= 30 and sheet.freeze_panes == "A3"


def test_ledger_in_traditional_chinese_and_english(desk, day_of_inquiries):
    response = desk.get("/ledger?date=2025-11-25&format=csv&lang=zh_TW")
    header = next(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert header[3] == "業戶/咨詢人" and "備注" in header
    response = desk.get("/ledger?date=2025-11-25&format=csv&lang=en")
    header = next(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert header[0] == "No." and "Remarks" in header


def test_ledger_defaults_to_today_and_refuses_bad_input(desk):
    inquiry = desk.post("/inquiries", json={"channel": "phone", "requester": {"name": "周先生"},
                                            "subject": "今天的"}).get_json()
    today = desk.get("/ledger").get_json()
    assert today["date"] == inquiry["local_date"] and [r["id"] for r in today["items"]] == [inquiry["id"]]
    assert desk.get("/ledger?format=pdf").status_code == 422
    assert desk.get("/ledger?date=yesterday").status_code == 422
