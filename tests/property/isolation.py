"""Objects of tenant B (property variant: the plugin is enabled by its preset) for
tests/test_isolation.py: tenant A must get 404 on every property route for them."""

from datetime import UTC, datetime, timedelta


def _entry(tenant_b, admin_b) -> str:
    response = admin_b.post("/property/info", json={"title": "beta only", "content": "x"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _approval(tenant_b, admin_b) -> str:
    inquiry_id = admin_b.post(
        "/inquiries",
        json={
            "channel": "phone",
            "requester": {"name": "李女士"},
            "subject": "房产证",
            "category": "property_certificate",
        },
    ).get_json()["id"]
    response = admin_b.post(f"/property/inquiries/{inquiry_id}/approval", json={"note": "beta"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _event(tenant_b, admin_b) -> str:
    starts = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    response = admin_b.post(
        "/property/events", json={"organiser": "街道", "title": "beta", "starts_at": starts}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


FACTORIES = {"entry_id": _entry, "approval_id": _approval, "event_id": _event}
