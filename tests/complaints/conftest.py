import pytest

from tests.complaints.factories import make_staff, set_params


@pytest.fixture
def staff(client, tenant_a, admin_a):
    staff = make_staff(client, tenant_a, admin_a)
    set_params(admin_a, "core.complaint.escalate_hq", {"hq_phone": "400-800-1234"})
    return staff
