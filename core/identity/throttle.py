"""Throttling of failed sign-ins, per account and per address (Flask-Limiter).

Only failures count (a view sets ``g.signin_failed``), so a person who signs in correctly is
never slowed down, and the answer is the same 429 whether or not the account exists.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from core.extensions import limiter
from core.tenancy import current_tenant


def _submitted_email() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    email = (body or {}).get("email") if isinstance(body, dict) else request.form.get("email")
    return str(email or "").strip().lower()[:254]


def _account_key() -> str:
    tenant = current_tenant()
    scope = tenant.slug if tenant is not None else "platform"
    return f"signin:{scope}:{_submitted_email()}"


def _address_key() -> str:
    return f"signin-address:{get_remote_address()}"


def _failed(response) -> bool:
    return bool(g.get("signin_failed"))


def signin_limits(view):
    """Decorate a sign-in view: too many failures for an account or an address give 429."""
    per_account = limiter.limit(
        lambda: current_app.config["SIGNIN_LIMIT_PER_ACCOUNT"],
        key_func=_account_key, deduct_when=_failed, methods=["POST"],
    )
    per_address = limiter.limit(
        lambda: current_app.config["SIGNIN_LIMIT_PER_ADDRESS"],
        key_func=_address_key, deduct_when=_failed, methods=["POST"],
    )
    return per_address(per_account(view))
