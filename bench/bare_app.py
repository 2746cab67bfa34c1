"""The bare endpoints the benchmark measures the product against: Flask + SQLAlchemy with no
tenancy, authentication, validation, policy or serialisation layers.

- GET /bare/<tenant_id>/<inquiry_id> reads one inquiry by primary key: the baseline of the
  target (create and list at least half its throughput).
- GET /bare/<tenant_id>/inquiries?status=open reads a page of 50 inquiries with the columns
  the API's list returns, newest first, and writes it with orjson as the API does: the work any
  list of that page costs, shown beside the list figures. An authenticated list costs at least
  this plus what authentication alone costs (GET /me), which bench.run prints as a bound.
- POST /bare/<tenant_id>/writes inserts one row into a table of its own and commits, with the
  database's own durability (SQLite: WAL, synchronous=FULL): what any acknowledged write costs,
  shown beside the create figures for comparison.

    DATABASE_URL=... gunicorn -w 2 bench.bare_app:app
"""

import os
from datetime import UTC, datetime
from functools import cache

import orjson
import sqlalchemy as sa
from flask import Flask, Response, abort, jsonify, request

from core.config import normalise_database_url
from core.inquiries.schemas import FIELDS as LIST_FIELDS  # the columns the API's list returns

# Created by bench.run before the server starts (two workers creating it at once would race)
WRITES = sa.Table(
    "bench_bare_writes", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tenant_id", sa.Integer, nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
app = Flask(__name__)
PAGE = 50  # the API's default page size (CONTRACT.md)


@cache
def engine() -> sa.Engine:
    return sa.create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)


@cache
def inquiries() -> sa.Table:
    return sa.Table("inquiries", sa.MetaData(), autoload_with=engine())


@app.get("/bare/<int:tenant_id>/<inquiry_id>")
def read_one(tenant_id: int, inquiry_id: str):
    table = inquiries()
    with engine().connect() as conn:
        row = conn.execute(
            sa.select(table).where(table.c.tenant_id == tenant_id, table.c.id == inquiry_id)
        ).mappings().first()
    if row is None:
        abort(404)
    return jsonify({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()})


@app.get("/bare/<int:tenant_id>/inquiries")
def list_page(tenant_id: int):
    table = inquiries()
    status = request.args.get("status", "open")
    with engine().connect() as conn:
        rows = conn.execute(
            sa.select(*[table.c[name] for name in LIST_FIELDS])
            .where(table.c.tenant_id == tenant_id, table.c.status == status)
            .order_by(table.c.id.desc()).limit(PAGE + 1)
        ).all()
    body = orjson.dumps({"items": [dict(zip(LIST_FIELDS, row, strict=True)) for row in rows[:PAGE]],
                         "next_cursor": rows[PAGE].id if len(rows) > PAGE else None})
    return Response(body, mimetype="application/json")


@app.post("/bare/<int:tenant_id>/writes")
def write_one(tenant_id: int):
    body = request.get_json(silent=True) or {}
    with engine().begin() as conn:
        new_id = conn.execute(WRITES.insert().values(
            tenant_id=tenant_id, subject=str(body.get("subject", ""))[:300],
            created_at=datetime.now(UTC)).returning(WRITES.c.id)).scalar_one()
    return jsonify({"id": new_id}), 201
