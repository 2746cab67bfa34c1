"""Two sweeps at once, in two processes on PostgreSQL, notify each overdue inquiry once."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.fixtures import ROOT_DIR


@pytest.mark.no_transaction  # the sweeps are other processes: the data must be committed
def test_two_concurrent_sweeps_create_nothing_twice(empty_database_url, tmp_path):
    if not empty_database_url.startswith("postgresql"):
        pytest.skip("the concurrent run is a PostgreSQL test")
    import flask_migrate

    from core import create_app
    from core.extensions import db
    from core.identity.service import find_user_by_email
    from core.inquiries import service as inquiries
    from core.notifications.models import Notification
    from core.tenancy import tenant_context, utcnow
    from tenants import provisioning
    from tests.conftest import test_config

    app = create_app({**test_config(empty_database_url), "EXTRA_PLUGINS": []})
    with app.app_context():
        flask_migrate.upgrade(revision="head")
        tenant = provisioning.create_tenant("sweepers", name="并发", variant="property",
                                            admin_email="admin@sweep.test",
                                            admin_password="admin-pass-123")
        with tenant_context(tenant):
            clerk = find_user_by_email("admin@sweep.test")
            long_ago = utcnow() - timedelta(days=20)
            for n in range(30):
                inquiries.create_inquiry({"channel": "phone", "requester": {"name": f"业户{n}"},
                                          "subject": f"报修 {n}"}, clerk, now=long_ago)
        db.session.commit()

        env = {**os.environ, "DATABASE_URL": empty_database_url,
               "CONSULTDESK_INSTANCE": str(tmp_path), "SECRET_KEY": "s" * 40}
        command = [sys.executable, "-m", "core.cli", "sweep"]
        sweeps = [subprocess.Popen(command, env=env, cwd=ROOT_DIR, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [s.communicate(timeout=120) for s in sweeps]
        assert [s.returncode for s in sweeps] == [0, 0], outputs

        with tenant_context(tenant):
            keys = db.session.execute(
                sa.select(Notification.dedupe_key, sa.func.count()).group_by(Notification.dedupe_key)
            ).all()
        assert len(keys) >= 30 and all(count == 1 for _, count in keys)
        db.session.remove()
        db.engine.dispose()
