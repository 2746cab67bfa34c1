"""Built-in domain plugins (property front desk, psychological counseling, legal retainer,
hospital guidance) live here, one folder each, and register through the same
``consultdesk.plugins`` entry points as third-party plugins (see pyproject.toml and
docs/plugins.md). Nothing in core imports this package.
"""
