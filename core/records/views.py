"""What the records API and pages share around the service: keeping refused reads on record,
and the larger body an attachment upload may have."""

from __future__ import annotations

import functools

from flask import request

from core.extensions import db
from core.records import storage
from core.records.service import ReadRefused

# Room for the multipart envelope around the file itself (boundaries, headers, a CSRF field)
MULTIPART_OVERHEAD = 64 * 1024


def keep_refusal_audit(view):
    """A refused read is audited: commit that event before the 403 goes out."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ReadRefused:
            db.session.commit()
            raise

    return wrapped


def allow_attachment_bodies(upload_endpoints: set[str]):
    """A url_value_preprocessor: uploads may be as large as ATTACHMENT_MAX_BYTES.

    It runs before any before_request handler (CSRF reads the form there), so the request's
    own limit is raised before the body is parsed; the exact limit is checked while storing.
    """

    def preprocess(endpoint, values):
        if endpoint in upload_endpoints:
            request.max_content_length = storage.max_bytes() + MULTIPART_OVERHEAD

    return preprocess
