"""Objects of tenant B for tests/test_isolation.py: tenant A must get 404 on every route."""


def _inquiry(tenant_b, admin_b) -> str:
    response = admin_b.post("/inquiries", json={
        "channel": "phone", "requester": {"name": "李女士"}, "subject": "beta only"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


FACTORIES = {"inquiry_id": _inquiry}
