"""The `consultdesk` command: the app's Flask CLI, with the hosting admin's commands.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from core.config import ConfigError
from core.errors import DomainError
from core.extensions import db

DEMO_PASSWORD = "demo-pass-2026"
DEMO_PLATFORM_ADMIN = "platform@demo.test"


def _create_app_for_cli() -> Flask:
    from core import create_app

    try:
        return create_app()
    except ConfigError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


def main() -> None:
    """Entry point of the console script."""
    cli = FlaskGroup(create_app=_create_app_for_cli, load_dotenv=False,
                     help="consultdesk: the hosting admin's command line.")
    cli.main(prog_name="consultdesk")


def transactional(command):
    """Commit when the command succeeds; on a domain error roll back and exit with one line."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
            db.session.commit()
            return result
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        except sa.exc.SQLAlchemyError as error:
            db.session.rollback()
            first_line = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
            raise click.ClickException(f"database error: {first_line}") from None

    return wrapper


platform_admin = AppGroup("platform-admin", help="Hosting admin accounts.")
tenants = AppGroup("tenants", help="Provision and manage tenants.")
plugins = AppGroup("plugins", help="Installed plugins.")


@platform_admin.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@transactional
def platform_admin_create(email, password):
    from core.identity import service

    admin = service.create_platform_admin(email, password)
    click.echo(f"platform admin {admin.email} created")


@tenants.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--variant", required=True)
@click.option("--admin-email", required=True)
@click.option("--admin-password", required=True)
@click.option("--admin-name", default=None)
@transactional
def tenants_create(slug, name, variant, admin_email, admin_password, admin_name):
    from tenants import provisioning

    tenant = provisioning.create_tenant(slug, name=name, variant=variant, admin_email=admin_email,
                                        admin_password=admin_password, admin_name=admin_name)
    click.echo(f"tenant {tenant.slug} created ({variant}); sign in at /t/{tenant.slug}/login")


@tenants.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def tenants_list(as_json):
    from tenants import provisioning

    rows = provisioning.list_tenants()
    if as_json:
        click.echo(json.dumps(rows, default=str, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['slug']:<24} {r['status']:<10} {r['variant']:<20} {r['users']:>5}  {r['name']}")


@tenants.command("suspend")
@click.argument("slug")
@transactional
def tenants_suspend(slug):
    from tenants import provisioning

    provisioning.set_status(slug, "suspended")
    click.echo(f"tenant {slug} suspended")


@tenants.command("resume")
@click.argument("slug")
@transactional
def tenants_resume(slug):
    from tenants import provisioning

    provisioning.set_status(slug, "active")
    click.echo(f"tenant {slug} resumed")


@tenants.command("export")
@click.argument("slug")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@transactional
def tenants_export(slug, output):
    from tenants import provisioning

    data = provisioning.export_tenant(slug)
    try:
        Path(output).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
    rows = sum(len(v) for v in data["tables"].values())
    click.echo(f"tenant {slug} exported to {output} ({rows} rows)")


@tenants.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--slug", default=None, help="Import under this slug instead of the original.")
@transactional
def tenants_import(file, slug):
    from tenants import provisioning

    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError):
        raise click.ClickException(f"{file} is not a JSON file") from None
    tenant = provisioning.import_tenant(data, slug=slug)
    click.echo(f"tenant {tenant.slug} imported")


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def plugins_list(as_json):
    from dataclasses import asdict

    from core.plugin_system.manager import plugin_system

    system = plugin_system()
    infos = [system.info[n] for n in system.plugin_names]
    if as_json:
        click.echo(json.dumps([asdict(i) for i in infos], ensure_ascii=False, indent=2))
        return
    for info in infos:
        kind = "built-in" if info.builtin else "third-party"
        click.echo(f"{info.name:<24} {info.area or '-':<12} {kind:<12} {info.title}")


@click.command("sweep")
@with_appcontext
def sweep():
    """Run every enabled plugin's due-work jobs for every active tenant (idempotent)."""
    from core.sweep import run_sweep

    failed = 0
    for run in run_sweep():
        if run.error:
            failed += 1
            click.echo(f"{run.tenant}: {run.job}: failed: {run.error.splitlines()[0]}", err=True)
        else:
            click.echo(f"{run.tenant}: {run.job}: {run.count}")
    if failed:
        raise click.ClickException(f"{failed} sweep job(s) failed; the others ran")


@click.command("demo")
@transactional
def demo():
    """Demo tenants of every working variant, with users; prints the sign-ins."""
    from core.demo import build_demo

    for line in build_demo(password=DEMO_PASSWORD, platform_admin=DEMO_PLATFORM_ADMIN):
        click.echo(line)


def register_commands(app: Flask) -> None:
    for command in (platform_admin, tenants, plugins, sweep, demo):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
