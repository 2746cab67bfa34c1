"""The day's ledger as the paper form 《客服前台工作台帐》 (S0-1 §4.1.4, §5.1): XLSX and CSV.

The column titles are the paper form's own labels, so they are printed in Chinese (simplified or
traditional after the reader's language) and in English only for a reader who chose English.
Times are shown on the tenant's clock. Enabled plugins may add columns after core's
(hook ``register_ledger_columns``), e.g. the property desk's daily and weekly review columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter

from core.i18n import current_language

FORM_TITLE = {"zh_CN": "客服前台工作台帐", "zh_TW": "客服前臺工作臺帳", "en": "Front desk ledger"}


@dataclass(frozen=True)
class Column:
    key: str
    zh_cn: str
    zh_tw: str
    en: str
    width: int

    def title(self, language: str) -> str:
        return {"zh_CN": self.zh_cn, "zh_TW": self.zh_tw}.get(language, self.en)


COLUMNS = [
    Column("number", "编号", "編號", "No.", 15),
    Column("time", "时间", "時間", "Time", 17),
    Column("channel", "方式", "方式", "Channel", 8),
    Column("requester", "业户/咨询人", "業戶/咨詢人", "Requester", 22),
    Column("content", "咨询内容", "咨詢內容", "Inquiry", 40),
    Column("receiver", "接待人", "接待人", "Taken by", 10),
    Column("answered_at_once", "是否即时答复", "是否即時答復", "Answered at once", 8),
    Column("answer", "答复内容", "答復內容", "Answer", 36),
    Column("agreed_reply_at", "约定答复时间", "約定答復時間", "Agreed reply time", 17),
    Column("follow_up", "跟进情况", "跟進情況", "Follow-up", 36),
    Column("remark", "备注", "備注", "Remarks", 22),
    Column("important", "重要", "重要", "Important", 6),
    Column("status", "状态", "狀態", "Status", 8),
]
YES = {"zh_CN": "是", "zh_TW": "是", "en": "yes"}
NO = {"zh_CN": "否", "zh_TW": "否", "en": "no"}
OVERDUE = {"zh_CN": "（逾期）", "zh_TW": "（逾期）", "en": " (overdue)"}


def _local(moment: datetime | None, zone) -> datetime | None:
    """A naive datetime on the tenant's clock (Excel has no time zones)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _plugin_columns() -> list:
    from core.plugin_system.manager import tenant_hooks

    return [column for batch in tenant_hooks().register_ledger_columns() for column in batch]


def _extra_values(columns: list, rows: list[dict], day: date) -> list[list]:
    """Per row, the values of the plugins' columns (each column is computed once for all rows)."""
    per_column = [list(column.values(rows, day)) for column in columns]
    return [[values[i] if i < len(values) else "" for values in per_column] for i in range(len(rows))]


def _values(row: dict, zone, language: str) -> list:
    requester = row["requester"]
    who = " ".join(filter(None, [requester.get("name"), requester.get("phone"), requester.get("email")]))
    content = row["subject"]
    if row["body"] and row["body"] != row["subject"]:
        content = f"{row['subject']}\n{row['body']}" if row["subject"] else row["body"]
    status = row["status_label"] + (OVERDUE[language] if row["overdue"] else "")
    values = {
        "number": row["number"], "time": _local(row["time"], zone), "channel": row["channel_label"],
        "requester": who, "content": content, "receiver": row["receiver"] or "",
        "answered_at_once": (YES if row["answered_at_once"] else NO)[language],
        "answer": row["answer"] or "", "agreed_reply_at": _local(row["agreed_reply_at"], zone),
        "follow_up": row["follow_up"], "remark": row["remark"],
        "important": YES[language] if row["important"] else "", "status": status,
    }
    return [values[c.key] for c in COLUMNS]


def _language() -> str:
    language = current_language()
    return language if language in FORM_TITLE else "en"


def filename(day: date, extension: str) -> str:
    return f"{FORM_TITLE[_language()]}-{day.isoformat()}.{extension}"


def to_csv(rows: list[dict], day: date, zone) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    language = _language()
    out = io.StringIO()
    writer = csv.writer(out)
    extra = _plugin_columns()
    writer.writerow([c.title(language) for c in [*COLUMNS, *extra]])
    for row, more in zip(rows, _extra_values(extra, rows, day), strict=True):
        writer.writerow([v.strftime("%Y-%m-%d %H:%M") if isinstance(v, datetime) else v
                         for v in [*_values(row, zone, language), *more]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict], day: date, zone, tenant_name: str) -> bytes:
    """A real workbook: title row (tenant, form, date), header row, one row per inquiry.

    Written with XlsxWriter, which builds a day's sheet in about 3 ms where openpyxl took
    20-25 ms: the ledger is downloaded under load, so this is its p95 (bench/run.py).
    """
    language = _language()
    extra = _plugin_columns()
    columns = [*COLUMNS, *extra]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(day.isoformat())
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header = book.add_format({"bold": True, "bg_color": "#E8EEF5", "border": 1, "border_color": "#999999",
                              "align": "center", "valign": "vcenter", "text_wrap": True})
    body = {}
    for kind, color in (("normal", "#000000"), ("overdue", "#A4161A")):
        for is_time in (False, True):
            spec = {"border": 1, "border_color": "#999999", "valign": "top", "text_wrap": True,
                    "font_color": color}
            if is_time:
                spec["num_format"] = "yyyy-mm-dd hh:mm"
            body[kind, is_time] = book.add_format(spec)

    sheet.merge_range(0, 0, 0, len(columns) - 1,
                      f"{tenant_name} · {FORM_TITLE[language]} · {day.isoformat()}", title)
    sheet.set_row(0, 26)
    sheet.write_row(1, 0, [c.title(language) for c in columns], header)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    for number, (row, more) in enumerate(zip(rows, _extra_values(extra, rows, day), strict=True), start=2):
        kind = "overdue" if row["overdue"] else "normal"
        for index, value in enumerate((*_values(row, zone, language), *more)):
            if isinstance(value, datetime):
                sheet.write_datetime(number, index, value, body[kind, True])
            elif value is None or value == "":
                sheet.write_blank(number, index, None, body[kind, False])
            else:
                sheet.write_string(number, index, str(value), body[kind, False])
    sheet.freeze_panes(2, 0)
    sheet.repeat_rows(0, 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    book.close()
    return out.getvalue()
