"""WSGI entry point: `gunicorn wsgi:app`."""

import sys

from core import create_app
from core.config import ConfigError

try:
    app = create_app()
except ConfigError as error:  # one clear line for the operator, no traceback
    print(f"consultdesk: {error}", file=sys.stderr)
    sys.exit(2)
