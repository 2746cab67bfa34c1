"""Objects of tenant B for the isolation test: a record, and an attachment of that record."""

import io

_records: dict = {}


def _record(tenant_b, admin_b) -> str:
    key = (tenant_b.id, admin_b.token)
    if key not in _records:
        _records.clear()
        response = admin_b.post("/records", json={"title": "beta only", "confidentiality": "normal"})
        assert response.status_code == 201, response.get_json()
        _records[key] = response.get_json()["id"]
    return _records[key]


def _attachment(tenant_b, admin_b) -> str:
    record_id = _record(tenant_b, admin_b)
    response = admin_b.post(f"/records/{record_id}/attachments",
                            data={"file": (io.BytesIO(b"beta only"), "beta.txt")},
                            content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


FACTORIES = {"record_id": _record, "attachment_id": _attachment}
