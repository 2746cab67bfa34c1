"""The bare endpoint the benchmark measures the product against: Flask + SQLAlchemy reading one
inquiry by primary key, with no tenancy, authentication, validation or serialisation layers.

    DATABASE_URL=... gunicorn -w 2 bench.bare_app:app
"""

import os

import sqlalchemy as sa
from flask import Flask, abort, jsonify

from core.config import normalise_database_url

engine = sa.create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
inquiries = sa.Table("inquiries", sa.MetaData(), autoload_with=engine)
app = Flask(__name__)


@app.get("/bare/<int:tenant_id>/<inquiry_id>")
def read_one(tenant_id: int, inquiry_id: str):
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(inquiries).where(inquiries.c.tenant_id == tenant_id,
                                       inquiries.c.id == inquiry_id)
        ).mappings().first()
    if row is None:
        abort(404)
    return jsonify({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()})
