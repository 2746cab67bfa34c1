"""The list's direct serialiser gives exactly what the documented schema gives."""

import json

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.inquiries.models import Inquiry
from core.inquiries.schemas import InquiryOut, inquiries_json, inquiry_json
from core.inquiries.service import LIST_COLUMNS
from core.tenancy import tenant_context, utcnow


def test_inquiry_json_matches_the_schema(admin_a, tenant_a):
    admin_a.post("/inquiries", json={"channel": "phone", "requester": {"name": "张先生", "phone": "1380"},
                                     "subject": "电梯", "answer": "已报修"})
    admin_a.post("/inquiries", json={"channel": "walk_in", "requester": {"name": "李女士"},
                                     "subject": "停车", "category": "fees", "important": True})
    with tenant_context(tenant_a):
        rows = db.session.execute(sa.select(*LIST_COLUMNS)).all()
        objects = {i.id: i for i in db.session.execute(sa.select(Inquiry)).scalars()}
        now = utcnow()
        assert len(rows) == 2
        for row, shaped in zip(rows, inquiries_json(rows, now), strict=True):
            expected = json.loads(json.dumps(InquiryOut().dump(objects[row.id])))
            assert json.loads(current_app.json.dumps(shaped)) == expected
            assert json.loads(current_app.json.dumps(inquiry_json(objects[row.id], now))) == expected
    listed = admin_a.get("/inquiries").get_json()["items"]
    assert {i["subject"] for i in listed} == {"电梯", "停车"}
