"""Settings from the environment, and the checks that refuse an unsafe production start."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_SECRET_MARKERS = {"", "dev", "change-me", "changeme", "secret"}


class ConfigError(RuntimeError):
    """The configuration is unsafe or unusable; the message is one line for the operator."""


def _instance_secret(instance_path: Path) -> str:
    """A secret generated once per installation and kept in the instance folder."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL so that two processes starting at once keep the same key
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def normalise_database_url(url: str) -> str:
    """PostgreSQL URLs always go through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def settings_from_environment(instance_path: Path) -> dict:
    env = os.environ.get("CONSULTDESK_ENV", "development")
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'consultdesk.db'}"
    secret = os.environ.get("SECRET_KEY")
    return {
        "CONSULTDESK_ENV": env,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SECRET_KEY": secret if secret is not None else _instance_secret(instance_path),
        "SECRET_KEY_FROM_ENV": secret is not None,
        "REDIS_URL": os.environ.get("REDIS_URL"),
        # E-mail for notifications; without SMTP_HOST notifications stay in the users' inboxes
        "SMTP_HOST": os.environ.get("SMTP_HOST"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT") or 25),
        "SMTP_USER": os.environ.get("SMTP_USER"),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD"),
        "SMTP_FROM": os.environ.get("SMTP_FROM"),
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,  # the CSRF token lives as long as the server-side session
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
    # Sign-in and sessions (OWASP ASVS 5, level 2)
    "PASSWORD_HASH_TIME_COST": 2,
    "PASSWORD_HASH_MEMORY_KIB": 19 * 1024,
    "PASSWORD_HASH_PARALLELISM": 1,
    "PASSWORD_MIN_LENGTH": 8,
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_ABSOLUTE_HOURS": 12,
    "API_TOKEN_HOURS": 12,
    "SIGNIN_LIMIT_PER_ACCOUNT": "5 per minute;20 per hour",
    "SIGNIN_LIMIT_PER_ADDRESS": "30 per minute",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Third-party plugins are found through this entry-point group
    "PLUGIN_ENTRY_POINT_GROUP": "consultdesk.plugins",
    "EXTRA_PLUGINS": [],  # plugin objects registered in addition (tests, embedding)
    "PRESETS_DIR": str(Path(__file__).parent.parent / "tenants" / "presets"),
    "API_TITLE": "consultdesk",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
}


def check_production(config: dict) -> None:
    """Refuse to serve production traffic with settings that lose data or leak sessions."""
    if config.get("CONSULTDESK_ENV") != "production":
        return
    if not config.get("SECRET_KEY_FROM_ENV") or config.get("SECRET_KEY", "") in DEFAULT_SECRET_MARKERS:
        raise ConfigError(
            "CONSULTDESK_ENV=production needs SECRET_KEY set in the environment to a long random value"
        )
    if len(config.get("SECRET_KEY", "")) < 32:
        raise ConfigError("CONSULTDESK_ENV=production needs a SECRET_KEY of at least 32 characters")
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        raise ConfigError(
            "CONSULTDESK_ENV=production needs DATABASE_URL pointing at PostgreSQL, not SQLite"
        )
