"""Tenant provisioning: presets per variant, and create / suspend / resume / export / import."""
