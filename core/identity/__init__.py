"""Users, password hashing, sessions and tokens, sign-in, roles and permissions."""
