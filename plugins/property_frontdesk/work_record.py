"""《客服组日工作记录表》 (S0-1 §5.2) as JSON and XLSX. The seed gives only the title; the
columns are product choices: date, staff on duty, work done, open items."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.tenancy import current_tenant

TITLE = "客服组日工作记录表"


def to_json(record: dict) -> dict:
    review = record["review"]
    return {
        "date": record["date"].isoformat(), "staff": record["staff"], "total": record["total"],
        "answered_at_once": record["answered_at_once"], "by_status": record["by_status"],
        "by_category": record["by_category"], "notable": record["notable"],
        "open_items": [{**item, "due_at": item["due_at"].isoformat() if item["due_at"] else None}
                       for item in record["open_items"]],
        "reviewed": review is not None,
    }


def to_xlsx(record: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = record["date"].isoformat()
    bold = Font(bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    sheet.append([f"{current_tenant().name} · {TITLE}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells("A1:D1")
    sheet.append(["日期", record["date"].isoformat()])
    sheet.append(["值班人员", "、".join(f"{s['name']}（{s['inquiries']}）" for s in record["staff"])])
    sheet.append([])
    sheet.append(["工作内容"])
    sheet[sheet.max_row][0].font = bold
    sheet.append(["咨询总数", record["total"], "即时答复", record["answered_at_once"]])
    for item in record["by_status"]:
        sheet.append(["状态", item["label"], item["count"]])
    for item in record["by_category"]:
        sheet.append(["类别", item["category"], item["count"]])
    for item in record["notable"]:
        sheet.append(["重要事项", item["number"], item["subject"], item["status"]])
    sheet.append([])
    sheet.append(["待办事项", "编号", "内容", "状态"])
    sheet[sheet.max_row][0].font = bold
    for item in record["open_items"]:
        due = item["due_at"].strftime("%Y-%m-%d %H:%M") if item["due_at"] else ""
        sheet.append(["", item["number"], item["subject"],
                      item["status"] + ("（逾期）" if item["overdue"] else "") + (f" {due}" if due else "")])
    for letter, width in zip("ABCD", (14, 22, 48, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
