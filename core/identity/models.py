"""Tenant users and their roles, server-side sessions, API tokens, and platform admins."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.tenancy import TenantScoped, UTCDateTime, new_id, tenant_fk, utcnow

TZDateTime = UTCDateTime


class Principal:
    """What Flask-Login needs of a signed-in account; the id is the server-side session key."""

    session_key: str | None = None
    is_authenticated = True
    is_anonymous = False
    is_platform_admin = False

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    def get_id(self) -> str | None:
        return self.session_key


class TokenUser(Principal):
    """The staff account behind an API request's bearer token: what GET /me shows of it (id, name,
    e-mail, roles, active, locale, created_at) and its tenant id, read with the tenant in one
    statement (identity.service.tenant_and_token_principal).

    Not an ORM object: building User, its token and its roles as objects cost three times the
    query itself on every API call. Services read only these attributes of an actor; what changes
    the account itself (its password) loads the User by id.
    """

    def __init__(self, *, id: str, tenant_id: int, email: str, name: str, locale: str | None,
                 active: bool, created_at: datetime, roles: list[str]):
        self.id, self.tenant_id, self.email, self.name = id, tenant_id, email, name
        self.locale, self.active, self.created_at, self.roles = locale, active, created_at, roles

    def __repr__(self) -> str:
        return f"<TokenUser {self.email}>"


class User(Principal, TenantScoped, db.Model):
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "email"),)

    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    role_links: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    @property
    def roles(self) -> list[str]:
        return [link.role for link in self.role_links]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserRole(TenantScoped, db.Model):
    """One role held by one user; roles themselves are defined by core and plugins in code."""

    __tablename__ = "user_roles"
    __table_args__ = (
        tenant_fk("users.id", local="user_id", ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "user_id", "role"),
    )
    user_id: Mapped[str] = mapped_column(sa.String(26))
    role: Mapped[str] = mapped_column(sa.String(60))


class CredentialColumns:
    """What a server-side session and an API token share: a hashed secret with an expiry."""

    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(TZDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))


class AuthSession(CredentialColumns, TenantScoped, db.Model):
    """A browser sign-in; the cookie names it, so deleting the row ends the session."""

    __tablename__ = "auth_sessions"
    __table_args__ = (tenant_fk("users.id", local="user_id", ondelete="CASCADE"),)
    __export__ = False
    kind = "session"
    user_id: Mapped[str] = mapped_column(sa.String(26), index=True)


class ApiToken(CredentialColumns, TenantScoped, db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (tenant_fk("users.id", local="user_id", ondelete="CASCADE"),)
    __export__ = False
    kind = "token"
    user_id: Mapped[str] = mapped_column(sa.String(26), index=True)


class PlatformAdmin(Principal, db.Model):
    """A hosting admin: not a member of any tenant."""

    __tablename__ = "platform_admins"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    is_platform_admin = True
    roles = ["platform_admin"]

    @property
    def name(self) -> str:
        return self.email


class PlatformCredential(CredentialColumns, db.Model):
    """Sessions and API tokens of platform admins (kind says which)."""

    __tablename__ = "platform_credentials"

    id: Mapped[str] = mapped_column(sa.String(26), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(sa.String(10))
    admin_id: Mapped[str] = mapped_column(
        sa.ForeignKey("platform_admins.id", ondelete="CASCADE"), index=True
    )
