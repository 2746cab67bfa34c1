"""Fill a migrated database with N tenants x M inquiries (plus complaints) for the benchmark.

One tenant is provisioned the real way (preset, policy, admin); the others are copies of it
made in bulk, each with its own ids. Inquiries and complaints are generated rows written with
executemany in large batches: realistic spread over the last 30 days, a mix of statuses, some
overdue, Chinese text. Usage (inside the app): ``python -m bench.fill --tenants 1000 --per-tenant 1000``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from ulid import ULID

SUBJECTS = ["电梯故障报修", "物业费缴纳方式", "停车位租赁咨询", "装修申请流程", "快递代收", "楼道灯不亮",
            "水管漏水", "噪音投诉", "门禁卡补办", "垃圾清运时间", "房产证办理", "宽带安装", "小区绿化",
            "宠物管理规定", "电梯维保时间", "热水供应时间", "空调外机位置", "消防通道占用"]
NAMES = ["张先生", "李女士", "王先生", "赵女士", "刘先生", "陈女士", "杨先生", "黄女士", "周先生", "吴女士"]
CHANNELS = ["phone", "walk_in", "web", "email", "hotline", "chat", "letter"]
CATEGORIES = ["repair", "fees", "security", "engineering", "leasing", "property_certificate",
              "telecom", "other"]
DEPARTMENTS = ["customer_service", "engineering", "security", "leasing", "finance", "clubhouse"]
ZONE = ZoneInfo("Asia/Shanghai")


def ulid_at(moment: datetime) -> str:
    return str(ULID.from_datetime(moment))


def clone_tenants(conn, template_id: int, count: int) -> list[int]:
    """Copies of the template tenant (policy, admin user and roles), each with new ids."""
    meta = sa.MetaData()
    tenants, users, roles, policies = (sa.Table(n, meta, autoload_with=conn)
                                       for n in ("tenants", "users", "user_roles", "policy_versions"))
    template = conn.execute(sa.select(tenants).where(tenants.c.id == template_id)).mappings().one()
    admin = conn.execute(sa.select(users).where(users.c.tenant_id == template_id)).mappings().first()
    policy = conn.execute(sa.select(policies).where(policies.c.tenant_id == template_id)).mappings().all()
    ids = [template_id]
    for n in range(2, count + 1):
        values = {k: v for k, v in template.items() if k != "id"}
        values["slug"], values["name"] = f"t{n:04d}", f"物业服务中心 {n:04d}"
        new_id = conn.execute(tenants.insert().values(**values).returning(tenants.c.id)).scalar_one()
        conn.execute(users.insert().values(**{**admin, "tenant_id": new_id}))
        conn.execute(roles.insert().values(tenant_id=new_id, id=str(ULID()), user_id=admin["id"],
                                           role="admin"))
        for row in policy:
            conn.execute(policies.insert().values(**{**row, "tenant_id": new_id}))
        ids.append(new_id)
    return ids


def inquiry_rows(tenant_id: int, user_id: str, per_tenant: int, now: datetime, rng: random.Random):
    days = 30
    per_day = max(1, per_tenant // days)
    for n in range(per_tenant):
        day_index = n // per_day if n // per_day < days else rng.randrange(days)
        local_day = (now.astimezone(ZONE) - timedelta(days=days - 1 - day_index)).date()
        seq = n % per_day + 1 if n // per_day < days else per_day + n
        created = datetime(local_day.year, local_day.month, local_day.day, 8, tzinfo=ZONE) + \
            timedelta(minutes=rng.randrange(600))
        created = min(created.astimezone(UTC), now)
        roll = rng.random()
        row = {
            "tenant_id": tenant_id, "id": ulid_at(created), "number": f"{local_day:%Y%m%d}-{seq:04d}",
            "seq": seq, "channel": rng.choice(CHANNELS), "requester_name": rng.choice(NAMES),
            "requester_phone": f"13{rng.randrange(10**9):09d}", "requester_email": None,
            "subject": rng.choice(SUBJECTS),
            "body": f"{rng.choice(NAMES)}来电反映{rng.choice(SUBJECTS)}，请尽快处理。",
            "category": rng.choice(CATEGORIES), "department": rng.choice(DEPARTMENTS + [None] * 6),
            "important": rng.random() < 0.05, "status": "answered", "answered_at_once": False,
            "answer": None, "agreed_reply_at": None, "due_at": None, "answered_at": None,
            "closed_at": None, "referred_to": None, "referral_contact": None, "forward_remark": None,
            "escalation_level": 0, "overdue_notified_due_at": None, "created_by": user_id,
            "created_at": created, "local_date": local_day,
        }
        if roll < 0.55:  # answered at once
            row.update(answered_at_once=True, answer="已答复", answered_at=created)
        elif roll < 0.75:  # agreed a time, answered later (some late)
            due = created + timedelta(days=rng.randrange(1, 4))
            row.update(agreed_reply_at=due, due_at=due, answer="已回复",
                       answered_at=min(due + timedelta(hours=rng.randrange(-30, 10)), now))
        elif roll < 0.85:  # still open: overdue when the due time has passed
            due = created + timedelta(days=rng.randrange(1, 4))
            row.update(status="open", agreed_reply_at=due, due_at=due)
        elif roll < 0.90:
            row.update(status="forwarded", due_at=created + timedelta(days=3), forward_remark="转工程部")
        elif roll < 0.93:
            row.update(status="referred", referred_to="派出所", referral_contact="110")
        else:
            row.update(status="closed", answer="已答复", answered_at=created,
                       closed_at=created + timedelta(days=1), answered_at_once=True)
        yield row


def complaint_rows(tenant_id: int, user_id: str, count: int, now: datetime, rng: random.Random):
    for n in range(count):
        created = now - timedelta(days=rng.randrange(30), minutes=rng.randrange(1440))
        kind = "appeal" if rng.random() < 0.4 else "suggestion"
        yield {
            "tenant_id": tenant_id, "id": ulid_at(created), "number": f"C{created:%Y%m%d}-{n:04d}",
            "kind": kind, "status": rng.choice(["registered", "acknowledged", "closed"]),
            "name": rng.choice(NAMES), "phone": f"13{rng.randrange(10**9):09d}", "channel": "phone",
            "content": f"关于{rng.choice(SUBJECTS)}的{'申诉' if kind == 'appeal' else '建议'}",
            "demand": "请尽快处理", "about": rng.choice(DEPARTMENTS), "category": rng.choice(CATEGORIES),
            "subject_key": rng.choice(DEPARTMENTS), "handler_id": user_id, "lead_id": user_id,
            "due_at": created + timedelta(days=3), "dereliction": False, "flagged_repeat": False,
            "outcome": rng.choice([None, "upheld", "not_upheld", "adopted"]),
            "created_by_id": user_id, "created_at": created,
        }


def insert_batched(conn, table: sa.Table, rows, batch: int = 20000) -> int:
    buffer, total = [], 0
    for row in rows:
        buffer.append(row)
        if len(buffer) >= batch:
            conn.execute(table.insert(), buffer)
            total += len(buffer)
            buffer = []
    if buffer:
        conn.execute(table.insert(), buffer)
        total += len(buffer)
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--per-tenant", type=int, default=1000)
    parser.add_argument("--complaints-per-tenant", type=int, default=50)
    args = parser.parse_args(argv)

    from core import create_app
    from core.extensions import db
    from tenants import provisioning

    app = create_app()
    with app.app_context():
        provisioning.create_tenant("t0001", name="物业服务中心 0001", variant="property",
                                   admin_email="admin@bench.test", admin_password="bench-pass-2026")
        db.session.commit()
        engine = db.engine
        started = time.time()
        with engine.begin() as conn:
            template = conn.execute(sa.text("SELECT id FROM tenants WHERE slug = 't0001'")).scalar_one()
            tenant_ids = clone_tenants(conn, template, args.tenants)
        meta = sa.MetaData()
        inquiries = sa.Table("inquiries", meta, autoload_with=engine)
        complaints = sa.Table("complaints", meta, autoload_with=engine)
        rng, now = random.Random(2026), datetime.now(UTC)
        total = complaints_total = 0
        for tenant_id in tenant_ids:
            with engine.begin() as conn:
                user_id = conn.execute(sa.text("SELECT id FROM users WHERE tenant_id = :t"),
                                       {"t": tenant_id}).scalar_one()
                total += insert_batched(conn, inquiries,
                                        inquiry_rows(tenant_id, user_id, args.per_tenant, now, rng))
                complaints_total += insert_batched(
                    conn, complaints, complaint_rows(tenant_id, user_id, args.complaints_per_tenant,
                                                     now, rng))
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
        print(f"filled {len(tenant_ids)} tenants, {total} inquiries, {complaints_total} complaints "
              f"in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
