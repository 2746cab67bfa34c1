"""Configuration from the environment and the production start-up checks."""

import os
import subprocess
import sys

import pytest

from core.config import ConfigError, check_production
from tests.fixtures import ROOT_DIR

STRONG = "s" * 48


def run(code_or_args, env_overrides, *, module=False):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "DATABASE_URL", "CONSULTDESK_ENV")}
    env.update(env_overrides)
    args = [sys.executable, "-c", code_or_args] if not module else code_or_args
    return subprocess.run(args, cwd=ROOT_DIR, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("env, message", [
    ({}, "SECRET_KEY"),
    ({"SECRET_KEY": "dev"}, "SECRET_KEY"),
    ({"SECRET_KEY": "short-key"}, "at least 32"),
    ({"SECRET_KEY": STRONG}, "PostgreSQL, not SQLite"),
])
def test_production_refuses_unsafe_settings_with_one_line(env, message, tmp_path):
    result = run("import wsgi", {"CONSULTDESK_ENV": "production",
                                 "CONSULTDESK_INSTANCE": str(tmp_path), **env})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_cli_refuses_the_same_way(tmp_path):
    cli = [sys.executable, "-c", "from core.cli import main; main()", "tenants", "list"]
    result = run(cli, {"CONSULTDESK_ENV": "production", "CONSULTDESK_INSTANCE": str(tmp_path)},
                 module=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "SECRET_KEY" in result.stderr


def test_help_works_with_no_environment(tmp_path):
    cli = [sys.executable, "-c", "from core.cli import main; main()", "--help"]
    result = run(cli, {"CONSULTDESK_INSTANCE": str(tmp_path)}, module=True)
    assert result.returncode == 0 and "tenants" in result.stdout and "sweep" in result.stdout


def test_production_accepts_postgres_and_a_strong_secret():
    check_production({"CONSULTDESK_ENV": "production", "SECRET_KEY": STRONG,
                      "SECRET_KEY_FROM_ENV": True,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/consultdesk"})
    with pytest.raises(ConfigError):
        check_production({"CONSULTDESK_ENV": "production", "SECRET_KEY": STRONG,
                          "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/x"})


def test_secret_is_generated_once_and_kept(tmp_path):
    from core.config import settings_from_environment

    first = settings_from_environment(tmp_path)["SECRET_KEY"]
    assert len(first) >= 48
    assert settings_from_environment(tmp_path)["SECRET_KEY"] == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_postgres_urls_use_psycopg3():
    from core.config import normalise_database_url

    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


def test_sqlite_runs_wal_with_full_sync_and_foreign_keys(app, database_url):
    from core.extensions import db

    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    conn = db.session.connection()  # the test's own: another would wait for its write lock
    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
