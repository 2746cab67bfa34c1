"""Objects of tenant B for tests/test_isolation.py: tenant A must get 404 on every route."""


def _complaint(tenant_b, admin_b) -> str:
    response = admin_b.post("/complaints", json={
        "kind": "appeal", "name": "孙女士", "phone": "13900000000", "channel": "phone",
        "content": "beta only", "demand": "beta only"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


FACTORIES = {"complaint_id": _complaint}
