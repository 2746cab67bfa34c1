"""Migrations build the schema from empty, and agree with the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.extensions import db


def test_models_and_migrations_agree(app):
    # the test's own connection: a second one would wait for the test transaction's lock
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations disagree; run `consultdesk db migrate`: {diff}"


def test_upgrade_from_empty_and_downgrade_to_base(empty_database_url):
    """`consultdesk db upgrade` on an empty database, then all the way down again."""
    import flask_migrate

    from core import create_app
    from tests.conftest import test_config

    fresh = create_app({**test_config(empty_database_url), "EXTRA_PLUGINS": []})
    with fresh.app_context():
        flask_migrate.upgrade(revision="head")
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"tenants", "users", "user_roles", "policy_versions", "audit_events"} <= tables
        flask_migrate.downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
