"""End-to-end fixtures: the app served over HTTP from a thread, and Debian's headless Chromium.

Self-contained on purpose: a temporary instance folder with its own SQLite database, provisioned
through the CLI, whatever tests/conftest.py sets up for the other tests. Playwright drives the
system's chromium (CHROMIUM_PATH); its own browser download is never used.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

TENANT_SLUG = "acme"
TENANT_NAME = "示例物业"
TENANT_ADMIN = ("admin@acme.test", "correct-horse-9")
PLATFORM_ADMIN = ("root@host.test", "root-pass-123")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def e2e_site():
    """What ``live_app`` provisions: the tenant and the two accounts (email, password)."""
    return SimpleNamespace(slug=TENANT_SLUG, name=TENANT_NAME, admin=TENANT_ADMIN,
                           platform_admin=PLATFORM_ADMIN)


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py's autouse fixture of this name for the tests in this folder.

    That one binds the global ``db.session`` to one connection of the shared test app (and so
    parametrises every test by database backend); a live server on another thread needs the
    ordinary session of its own app and commits for real.
    """
    yield


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = f"no Chromium at {path} (set CHROMIUM_PATH or apt-get install chromium)"
        if _in_ci():
            pytest.fail(message + " — required when CI=true", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def chromium_browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def live_app():
    """The app on a fresh SQLite database with tenant ``acme`` and a platform admin."""
    import flask_migrate

    from core import create_app
    from core.extensions import db

    with tempfile.TemporaryDirectory(prefix="consultdesk-e2e-") as tmp, pytest.MonkeyPatch.context() as mp:
        # create_app reads the environment first: keep it off the developer's instance and database
        mp.setenv("CONSULTDESK_INSTANCE", tmp)
        for name in ("DATABASE_URL", "REDIS_URL", "CONSULTDESK_ENV", "SECRET_KEY"):
            mp.delenv(name, raising=False)
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/e2e.db",
            "SECRET_KEY": "e2e-secret-key-" + "x" * 32,
        })
        with app.app_context():
            flask_migrate.upgrade(revision="heads")
        runner = app.test_cli_runner()
        for args in (
            ["tenants", "create", TENANT_SLUG, "--name", TENANT_NAME, "--variant", "property",
             "--admin-email", TENANT_ADMIN[0], "--admin-password", TENANT_ADMIN[1]],
            ["platform-admin", "create", "--email", PLATFORM_ADMIN[0], "--password", PLATFORM_ADMIN[1]],
        ):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, f"consultdesk {' '.join(args[:2])}: {result.output}"
        try:
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app):
    """Base URL (no trailing slash) of ``live_app`` served by werkzeug in a daemon thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture
def new_page(request, chromium_browser):
    """``new_page()`` opens a page in a fresh browser context (no cookies); a failed test leaves
    a screenshot and the HTML of every page it opened in test-artifacts/e2e/."""
    contexts = []

    def open_page(**context_options):
        context = chromium_browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "e2e_report_call", None)
    failed = report is not None and report.failed
    for n, context in enumerate(contexts):
        if failed:
            _save_artifacts(request.node.name, n, context)
        context.close()


def _save_artifacts(test_name: str, n: int, context) -> None:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for m, page in enumerate(context.pages):
            base = ARTIFACTS / f"{stem}-{n}-{m}"
            page.screenshot(path=str(base.with_suffix(".png")), full_page=True)
            base.with_suffix(".html").write_text(page.content(), encoding="utf-8")
    except Exception:  # artifacts are a courtesy; never hide the real failure
        pass
