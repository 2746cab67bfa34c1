"""Notifications: the user's inbox, and the e-mail outbox written in the same transaction."""
