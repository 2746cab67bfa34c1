"""Fixtures: one app per database backend, each test in a transaction rolled back at the end.

SQLite always; PostgreSQL when TEST_DATABASE_URL is set (required with CI=true). Each
backend gets a database of its own, created here and dropped at the end.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples" / "notes_plugin"))  # the example third-party plugin
os.environ.setdefault("CONSULTDESK_INSTANCE", tempfile.mkdtemp(prefix="consultdesk-test-"))

pytest_plugins = ["tests.fixtures"]

CI = os.environ.get("CI", "").lower() == "true"


def _postgres_url(request):
    """A new, empty PostgreSQL database for this run, dropped at the end."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if CI:
            pytest.fail("CI=true: the PostgreSQL run is required; set TEST_DATABASE_URL")
        pytest.skip("PostgreSQL run skipped: set TEST_DATABASE_URL")
    from core.config import normalise_database_url

    base = normalise_database_url(base)
    name = f"consultdesk_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    request.addfinalizer(drop)
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    return _postgres_url(request)


@pytest.fixture
def empty_database_url(database_url, request, tmp_path):
    """Another empty database of the same backend, for tests that build a schema themselves."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return _postgres_url(request)


def test_config(database_url: str) -> dict:
    import consultdesk_notes

    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-" + "k" * 40,
        "EXTRA_PLUGINS": [consultdesk_notes],
    }


@pytest.fixture(scope="session")
def app(database_url):
    import flask_migrate

    from core import create_app
    from core.extensions import db

    app = create_app(test_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in an app context of its own, as in production.

    Tests hold an app context for their own database work; without this, requests would
    reuse it and share ``g`` (and Flask-Login's cached user) between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks an engine per table; in tests everything uses the test connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Run each test inside one outer transaction that is rolled back afterwards.

    Commits in the code under test release savepoints (join_transaction_mode
    "create_savepoint"), so nothing a test writes outlives it.
    """
    if "no_transaction" in request.keywords:
        yield
        return
    from core.extensions import db, limiter

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"class_": BoundSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
