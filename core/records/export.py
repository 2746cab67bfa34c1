"""What a tenant export carries besides table rows: the attachment files, and how an import
puts them back under the new tenant's own folder (keys carry the tenant id)."""

from __future__ import annotations

import base64
import hashlib
import io

import sqlalchemy as sa

from core.extensions import db
from core.records import storage
from core.records.models import Attachment


def export_extras(tenant) -> dict:
    """{"attachments": {attachment id: base64 of the file}} for every stored file."""
    files = {}
    rows = db.session.execute(
        sa.select(Attachment.id, Attachment.storage_key).where(Attachment.tenant_id == tenant.id)
        .execution_options(all_tenants=True)  # the tenant is named explicitly
    ).all()
    for attachment_id, key in rows:
        path = storage.path_of(key)
        if path.exists():
            files[attachment_id] = base64.b64encode(path.read_bytes()).decode()
    return {"attachments": files}


def import_extras(tenant, extras: dict) -> None:
    """Write the files under the new tenant's folder and point the rows at them."""
    files = (extras or {}).get("attachments") or {}
    rows = db.session.execute(
        sa.select(Attachment).where(Attachment.tenant_id == tenant.id)
        .execution_options(all_tenants=True)
    ).scalars().all()
    for attachment in rows:
        content = files.get(attachment.id)
        if content is None:
            continue
        data = base64.b64decode(content)
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise ValueError(f"attachment {attachment.id} does not match its checksum")
        key = f"{tenant.id}/{attachment.record_id}/{attachment.id}"
        pending = storage.receive(io.BytesIO(data), key, limit=len(data))
        pending.commit(attachment.content_type)
        db.session.execute(
            sa.update(Attachment.__table__)
            .where(Attachment.__table__.c.tenant_id == tenant.id,
                   Attachment.__table__.c.id == attachment.id)
            .values(storage_key=key)
            .execution_options(all_tenants=True)  # the new tenant, named explicitly
        )
