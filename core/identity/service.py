"""Staff accounts, sign-in, server-side sessions and API tokens.

Sessions and tokens are rows holding the SHA-256 of a random secret: deleting or revoking
the row ends them everywhere, so sign-out, a password change and disabling a user take effect
on the server at once, and a replayed cookie or token is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, make_transient_to_detached
from zxcvbn import zxcvbn

from core import audit
from core.errors import Conflict, NotFound, ValidationError
from core.extensions import db
from core.identity import passwords
from core.identity.models import (
    ApiToken,
    AuthSession,
    PlatformAdmin,
    PlatformCredential,
    TokenUser,
    User,
    UserRole,
)
from core.identity.permissions import require_permission, role_book
from core.tenancy import Tenant, utcnow


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 = "safely unguessable" for online attacks


def check_password_strength(password: str, user_inputs=()) -> None:
    """Length 8-128, and not a common or guessable password (nor made of the user's own data)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ValidationError(
            _("Password too short."), fields={"password": [_("At least %(n)s characters.", n=minimum)]}
        )
    if len(password) > 128:
        raise ValidationError(_("Password too long."), fields={"password": [_("At most 128 characters.")]})
    if zxcvbn(password, user_inputs=[str(i) for i in user_inputs if i])["score"] < MIN_PASSWORD_SCORE:
        raise ValidationError(_("Password too easy to guess."),
                              fields={"password": [_("Choose a less common password.")]})


# --- staff accounts -------------------------------------------------------------------------


def find_user(user_id: str) -> User:
    user = db.session.execute(sa.select(User).where(User.id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound(_("No such user."))
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        sa.select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def _check_roles(roles: list[str], actor) -> None:
    book = role_book()
    unknown = [r for r in roles if r not in book.roles]
    if unknown:
        raise ValidationError(_("Unknown role."),
                              fields={"roles": [_("Unknown role: %(role)s", role=r) for r in unknown]})
    if "admin" in roles and actor is not None:
        require_permission(actor, "users.grant_admin")


def create_user(email: str, name: str, password: str, roles: list[str], actor) -> User:
    """Create a staff account of the current tenant (actor None: provisioning)."""
    from core.plugin_system.manager import tenant_hooks

    if actor is not None:
        require_permission(actor, "users.manage")
    _check_roles(roles, actor)
    check_password_strength(password, (email, name))
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise Conflict(_("A user with this e-mail already exists."), fields={"email": [_("Taken.")]})
    user = User(email=email, name=name, password_hash=passwords.hash_password(password))
    user.role_links = [UserRole(role=r) for r in sorted(set(roles))]
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", user, actor=actor, details={"email": email, "roles": user.roles})
    tenant_hooks().user_created(user=user, actor=actor)
    return user


def update_user(user: User, changes: dict, actor) -> User:
    """Change name, roles, active flag or password; ends the user's sessions where needed."""
    from core.plugin_system.manager import tenant_hooks

    require_permission(actor, "users.manage")
    applied: dict = {}
    if "roles" in changes:
        roles = sorted(set(changes["roles"]))
        _check_roles(roles, actor)
        if ("admin" in user.roles) != ("admin" in roles):
            require_permission(actor, "users.grant_admin")
        if user.id == actor.id and "admin" in user.roles and "admin" not in roles:
            raise Conflict(_("You cannot remove your own administrator role."))
        _set_roles(user, roles)
        applied["roles"] = roles
    if "name" in changes:
        user.name = changes["name"]
        applied["name"] = user.name
    if "active" in changes and changes["active"] != user.active:
        if user.id == actor.id:
            raise Conflict(_("You cannot disable your own account."))
        user.active = changes["active"]
        applied["active"] = user.active
        if not user.active:
            revoke_credentials(user)
    if "password" in changes:
        set_password(user, changes["password"])
        applied["password"] = "changed"
    if "locale" in changes:
        user.locale = changes["locale"]
        applied["locale"] = user.locale
    db.session.flush()
    audit.record("user.changed", user, actor=actor, details=applied)
    tenant_hooks().user_changed(user=user, actor=actor, changes=applied)
    return user


def _set_roles(user: User, roles: list[str]) -> None:
    """Change role links in place: keeping the rows that stay avoids a unique-key clash."""
    for link in [link for link in user.role_links if link.role not in roles]:
        user.role_links.remove(link)
    held = set(user.roles)
    user.role_links.extend(UserRole(role=r) for r in roles if r not in held)


def set_password(user, new_password: str) -> None:
    check_password_strength(new_password, (user.email, user.name))
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    revoke_credentials(user)


def change_own_password(actor, current_password: str, new_password: str) -> None:
    user = find_user(actor.id)  # the account itself: an API call's actor is a TokenUser
    if not passwords.verify_password(user.password_hash, current_password):
        raise ValidationError(_("Wrong password."), fields={"current_password": [_("Wrong password.")]})
    set_password(user, new_password)
    audit.record("user.password_changed", user, actor=user)


def list_users(actor, *, limit: int, cursor: str | None):
    from core.pagination import page

    require_permission(actor, "users.view")
    return page(sa.select(User), User, limit=limit, cursor=cursor)


# --- sign-in ---------------------------------------------------------------------------------


def authenticate(email: str, password: str):
    """The active user of the current tenant with this e-mail and password, or None.

    Unknown accounts cost the same time as wrong passwords and give the same answer.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        passwords.burn_time(password)
        audit.record("auth.signin_failed", actor=None, details={"email": normalise_email(email)})
        return None
    if not passwords.verify_password(user.password_hash, password):
        audit.record("auth.signin_failed", user, actor=None, details={"email": user.email})
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    audit.record("auth.signed_in", user, actor=user)
    return user


def authenticate_platform_admin(email: str, password: str) -> PlatformAdmin | None:
    admin = db.session.execute(
        sa.select(PlatformAdmin).where(PlatformAdmin.email == normalise_email(email))
    ).scalar_one_or_none()
    if admin is None or not admin.active:
        passwords.burn_time(password)
        audit.record("platform.signin_failed", actor=None, details={"email": normalise_email(email)})
        return None
    if not passwords.verify_password(admin.password_hash, password):
        audit.record("platform.signin_failed", actor=None, details={"email": admin.email})
        return None
    if passwords.needs_rehash(admin.password_hash):
        admin.password_hash = passwords.hash_password(password)
    audit.record("platform.signed_in", actor=admin, object_type="platform_admins", object_id=admin.id)
    return admin


def create_platform_admin(email: str, password: str) -> PlatformAdmin:
    check_password_strength(password, (email,))
    email = normalise_email(email)
    exists = db.session.execute(
        sa.select(PlatformAdmin.id).where(PlatformAdmin.email == email)
    ).first()
    if exists:
        raise Conflict(f"A platform admin {email} already exists.")
    admin = PlatformAdmin(email=email, password_hash=passwords.hash_password(password))
    db.session.add(admin)
    db.session.flush()
    audit.record("platform_admin.created", actor=None, object_type="platform_admins",
                 object_id=admin.id, details={"email": email})
    return admin


# --- sessions and tokens -----------------------------------------------------------------------


def _user_agent() -> str | None:
    return request.user_agent.string[:300] if has_request_context() else None


def _new_credential(model, owner, kind: str, lifetime: timedelta):
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    row = model(secret_hash=_hash_secret(secret), expires_at=now + lifetime, last_seen_at=now,
                user_agent=_user_agent())
    if model is PlatformCredential:
        row.kind, row.admin_id = kind, owner.id
    else:
        row.user_id = owner.id
    db.session.add(row)
    db.session.flush()
    return secret, row


def start_session(user) -> str:
    """A new server-side session for a user or platform admin; returns the cookie's key."""
    hours = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if isinstance(user, PlatformAdmin):
        secret, _ = _new_credential(PlatformCredential, user, "session", hours)
        return f"p:{secret}"
    secret, _ = _new_credential(AuthSession, user, "session", hours)
    return f"t:{secret}"


def issue_token(user) -> tuple[str, datetime]:
    hours = timedelta(hours=current_app.config["API_TOKEN_HOURS"])
    if isinstance(user, PlatformAdmin):
        secret, row = _new_credential(PlatformCredential, user, "token", hours)
    else:
        secret, row = _new_credential(ApiToken, user, "token", hours)
        audit.record("auth.token_issued", user, actor=user)
    return f"cd_{secret}", row.expires_at


def _live_credential(model, secret: str, kind: str, *, idle: timedelta | None):
    """(credential, owner) of a live session or token, in one query; None when it is not live."""
    owner_model = PlatformAdmin if model is PlatformCredential else User
    if owner_model is PlatformAdmin:
        query = (sa.select(model, PlatformAdmin).join(PlatformAdmin, PlatformAdmin.id == model.admin_id)
                 .where(PlatformCredential.kind == kind))
    else:  # the user and their roles come with the credential: no further queries per request
        query = (sa.select(model, User)
                 .join(User, sa.and_(User.tenant_id == model.tenant_id, User.id == model.user_id))
                 .options(joinedload(User.role_links)))
    found = db.session.execute(query.where(model.secret_hash == _hash_secret(secret))).unique().first()
    if found is None or not _still_live(found[0], idle):
        return None
    return found


def _still_live(row, idle: timedelta | None) -> bool:
    """Not revoked, not expired, not idle too long; records the activity (once a minute)."""
    now = utcnow()
    if not _live_at(row, idle, now):
        return False
    if _due_for_touch(row, now):
        _record_activity(lambda: setattr(row, "last_seen_at", now))
    return True


def _live_at(row, idle: timedelta | None, now: datetime) -> bool:
    """Whether a credential (an object or a row of its columns) is live at ``now``."""
    return (row.revoked_at is None and row.expires_at > now
            and not (idle and row.last_seen_at + idle <= now))


def _due_for_touch(row, now: datetime) -> bool:
    return row.last_seen_at + timedelta(minutes=1) <= now


def _record_activity(write) -> None:
    """Write and commit a last-seen time (at most once a minute per credential); a busy database
    may skip it.

    The idle timeout only needs an approximate last-seen time, so a write that loses to a
    concurrent writer is dropped rather than failing the request that is only reading. On
    SQLite that write upgrades a read transaction, which fails at once when another process
    wrote meanwhile: the statement, not only the commit, may raise.
    """
    try:
        write()
        db.session.commit()
    except sa.exc.OperationalError:
        db.session.rollback()


# The tenant of a /t/<slug>/api/ request, the bearer token and its owner with their roles (one row
# per role) in one statement: every API request starts here. Everything is read as columns: the
# token's owner becomes a TokenUser, the tenant a detached Tenant built from its columns (the ORM's
# loading machinery cost as much as the query). The joins tie the token and its user to the
# tenant named by the slug.
_TENANTS, _TOKENS, _USERS, _ROLES = Tenant.__table__, ApiToken.__table__, User.__table__, UserRole.__table__
_TENANT_COLUMNS = tuple(column.name for column in _TENANTS.c)
_TENANT_WITH_TOKEN = (
    sa.select(*_TENANTS.c, _TOKENS.c.id.label("token_id"), _TOKENS.c.revoked_at, _TOKENS.c.expires_at,
              _TOKENS.c.last_seen_at, _USERS.c.id.label("user_id"), _USERS.c.email.label("user_email"),
              _USERS.c.name.label("user_name"), _USERS.c.locale.label("user_locale"),
              _USERS.c.active.label("user_active"), _USERS.c.created_at.label("user_created_at"),
              _ROLES.c.role)
    .select_from(
        _TENANTS
        .outerjoin(_TOKENS, sa.and_(_TOKENS.c.tenant_id == _TENANTS.c.id,
                                    _TOKENS.c.secret_hash == sa.bindparam("secret_hash")))
        .outerjoin(_USERS, sa.and_(_USERS.c.tenant_id == _TOKENS.c.tenant_id,
                                   _USERS.c.id == _TOKENS.c.user_id))
        .outerjoin(_ROLES, sa.and_(_ROLES.c.tenant_id == _USERS.c.tenant_id,
                                   _ROLES.c.user_id == _USERS.c.id)))
    .where(_TENANTS.c.slug == sa.bindparam("slug"))
    .order_by(_ROLES.c.role)
)


def tenant_and_token_principal(slug: str, raw: str):
    """(tenant or None, the TokenUser of the live bearer token ``raw`` of that tenant or None).

    The tenant is detached: it is the request's snapshot, which neither the last-seen commit
    below nor the end of the authentication's own transaction (web._read_credentials) expires.
    """
    secret_hash = _hash_secret(raw[3:]) if raw.startswith("cd_") else ""
    rows = db.session.connection().execute(
        _TENANT_WITH_TOKEN, {"slug": slug, "secret_hash": secret_hash}).all()
    if not rows:
        return None, None
    found = rows[0]
    tenant = Tenant(**{name: getattr(found, name) for name in _TENANT_COLUMNS})
    make_transient_to_detached(tenant)  # as if loaded by a query, then expunged
    now = utcnow()
    if found.token_id is None or found.user_id is None or not found.user_active \
            or not _live_at(found, None, now):
        return tenant, None
    user = TokenUser(id=found.user_id, tenant_id=tenant.id, email=found.user_email,
                     name=found.user_name, locale=found.user_locale, active=found.user_active,
                     created_at=found.user_created_at,
                     roles=[row.role for row in rows if row.role is not None])
    if _due_for_touch(found, now):
        _record_activity(lambda: db.session.execute(
            sa.update(_TOKENS).where(_TOKENS.c.tenant_id == tenant.id, _TOKENS.c.id == found.token_id)
            .values(last_seen_at=now).execution_options(all_tenants=True)))
    return tenant, user


def session_principal(key: str):
    """The user or platform admin of a live session key, or None."""
    kind, _, secret = key.partition(":")
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    model = {"p": PlatformCredential, "t": AuthSession}.get(kind)
    live = _live_credential(model, secret, "session", idle=idle) if model else None
    if live is None or not live[1].active:
        return None
    owner = live[1]
    owner.session_key = key
    return owner


def platform_token_principal(raw: str):
    """The platform admin of a live bearer token, or None (tenant tokens: tenant_and_token_principal)."""
    if not raw.startswith("cd_"):
        return None
    live = _live_credential(PlatformCredential, raw[3:], "token", idle=None)
    if live is None or not live[1].active:
        return None
    return live[1]


def end_session(key: str) -> None:
    kind, _, secret = key.partition(":")
    model = PlatformCredential if kind == "p" else AuthSession
    db.session.execute(
        sa.update(model).where(model.secret_hash == _hash_secret(secret)).values(revoked_at=utcnow())
    )


def revoke_token(raw: str, user) -> None:
    secret = raw[3:] if raw.startswith("cd_") else raw
    db.session.execute(
        sa.update(ApiToken)
        .where(ApiToken.secret_hash == _hash_secret(secret), ApiToken.user_id == user.id)
        .values(revoked_at=utcnow())
    )


def revoke_credentials(owner) -> None:
    """End every session and token of a user or platform admin."""
    now = utcnow()
    if isinstance(owner, PlatformAdmin):
        db.session.execute(
            sa.update(PlatformCredential)
            .where(PlatformCredential.admin_id == owner.id, PlatformCredential.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return
    for model in (AuthSession, ApiToken):
        db.session.execute(
            sa.update(model)
            .where(model.user_id == owner.id, model.revoked_at.is_(None))
            .values(revoked_at=now)
        )
