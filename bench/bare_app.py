"""The bare endpoints the benchmark measures the product against: Flask + SQLAlchemy with no
tenancy, authentication, validation, policy or serialisation layers.

- GET /bare/<tenant_id>/<inquiry_id> reads one inquiry by primary key: the baseline of the
  target (create and list at least half its throughput).
- POST /bare/<tenant_id>/writes inserts one row into a table of its own and commits, with the
  database's own durability (SQLite: WAL, synchronous=FULL): what any acknowledged write costs,
  shown beside the create figures for comparison.

    DATABASE_URL=... gunicorn -w 2 bench.bare_app:app
"""

import os
from datetime import UTC, datetime
from functools import cache

import sqlalchemy as sa
from flask import Flask, abort, jsonify, request

from core.config import normalise_database_url

# Created by bench.run before the server starts (two workers creating it at once would race)
WRITES = sa.Table(
    "bench_bare_writes", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("tenant_id", sa.Integer, nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
app = Flask(__name__)


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


@app.post("/bare/<int:tenant_id>/writes")
def write_one(tenant_id: int):
    body = request.get_json(silent=True) or {}
    with engine().begin() as conn:
        new_id = conn.execute(WRITES.insert().values(
            tenant_id=tenant_id, subject=str(body.get("subject", ""))[:300],
            created_at=datetime.now(UTC)).returning(WRITES.c.id)).scalar_one()
    return jsonify({"id": new_id}), 201
