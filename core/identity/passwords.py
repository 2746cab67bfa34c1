"""argon2id password hashing with the parameters of the app's configuration."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple, PasswordHasher] = {}
_dummy_hashes: dict[PasswordHasher, str] = {}


def hasher() -> PasswordHasher:
    cfg = current_app.config
    key = (
        cfg["PASSWORD_HASH_TIME_COST"],
        cfg["PASSWORD_HASH_MEMORY_KIB"],
        cfg["PASSWORD_HASH_PARALLELISM"],
    )
    if key not in _hashers:
        _hashers[key] = PasswordHasher(
            time_cost=key[0], memory_cost=key[1], parallelism=key[2], type=Type.ID
        )
    return _hashers[key]


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


def burn_time(password: str) -> None:
    """Spend the time of a real verification so that unknown accounts are not revealed."""
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    h = hasher()
    if h not in _dummy_hashes:
        _dummy_hashes[h] = h.hash("not-a-password")
    return _dummy_hashes[h]
