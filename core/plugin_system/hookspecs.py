"""The plugin author's contract: every hook consultdesk calls, and what it expects back.

Plugins implement these with ``@hookimpl`` (``from core.plugin_system import hookimpl``).
Hooks are called only for the plugins the current tenant has enabled: a plugin never checks
whether it is enabled. Collecting hooks (``register_*``) return a list; reacting hooks
(``<noun>_<past verb>``) return nothing. No hook may commit the database session: the
request or command that caused the call commits once, so a hook's writes land or fail with
the change that caused them.
"""

from __future__ import annotations

from core.plugin_system import hookspec


@hookspec
def register_models():
    """Return the SQLAlchemy model classes the plugin owns.

    Called once at start-up for every installed plugin (enabled or not), so that migrations,
    export and import know the tables. Each model inherits ``core.tenancy.TenantScoped`` and
    ``core.extensions.db.Model``; foreign keys to other tenant tables use
    ``core.tenancy.tenant_fk`` so that they include ``tenant_id``.
    """


@hookspec
def register_migration_dirs():
    """Return directories of Alembic revision files for the plugin's tables.

    Called once at start-up for every installed plugin. Built-in plugins keep their revisions
    in the project's ``migrations/versions`` and return nothing. A third-party plugin returns
    its own directory; its first revision carries ``branch_labels = ("<plugin name>",)`` and
    ``depends_on`` a core revision. Operators then run ``consultdesk db upgrade heads``.
    """


@hookspec
def register_blueprints():
    """Return the plugin's Flask blueprints.

    Called once at start-up for every installed plugin. A ``flask_smorest.Blueprint`` is
    mounted as API at ``/t/<slug>/api/v1/<AREA>/`` and appears in the tenant's OpenAPI
    document; a plain ``flask.Blueprint`` is mounted as pages at ``/t/<slug>/<AREA>/``.
    ``AREA`` is the plugin module's ``AREA`` attribute. Both answer 404 for a tenant that has
    not enabled the plugin and require a signed-in user (API: bearer token; pages: session);
    the plugin system installs those checks, the plugin adds none of its own.
    """


@hookspec
def register_permissions():
    """Return ``core.identity.permissions.Permission`` objects the plugin defines.

    Called per tenant (cached by policy version). Names are ``<area>.<verb>``.
    """


@hookspec
def register_roles():
    """Return ``core.identity.permissions.Role`` objects (name, title, permissions).

    Called per tenant. A role may also grant core permissions. A role named like a core role
    adds its permissions to that role.
    """


@hookspec
def register_rules():
    """Return ``core.policy.Rule`` objects: id, title, clause, params schema, defaults.

    Called once at start-up for every installed plugin; a tenant sees the rules of the
    plugins it has enabled. Ids start with the plugin's own prefix (``property.``, ...).
    Enforce a rule in the plugin's service with ``core.policy.require(rule_id, ok, message)``
    or read its parameters with ``core.policy.params(rule_id)`` (None when disabled).
    """


@hookspec
def register_categories():
    """Return inquiry categories ``{"code": ..., "name": ...}`` the plugin adds.

    Called per tenant; merged with the categories of the tenant's policy.
    """


@hookspec
def register_departments():
    """Return departments ``{"code": ..., "name": ...}`` the plugin adds.

    Called per tenant; merged with the departments of the tenant's policy.
    """


@hookspec
def register_jobs():
    """Return ``core.plugin_system.Job`` objects that ``consultdesk sweep`` runs.

    Called per tenant inside that tenant's context. A job's ``run(tenant, now)`` must be
    idempotent: a second sweep, or two at once, must create nothing twice (use a dedupe key
    with a unique constraint). It flushes; the sweep commits per tenant.
    """


@hookspec
def register_dashboard_items(user):
    """Return ``core.plugin_system.DashboardItem`` objects for the signed-in ``user``.

    Called on each home page view for the current tenant; keep it to a few indexed queries.
    """


@hookspec
def register_ledger_columns():
    """Return ``core.plugin_system.LedgerColumn`` objects: extra columns of the day's ledger file.

    Called per tenant when the ledger (《客服前台工作台帐》) is exported as XLSX or CSV. A column
    has the paper form's titles (``zh_cn``, ``zh_tw``, ``en``), a ``width`` and
    ``values(rows, day)``, which returns one cell value per ledger row (``rows`` are the dicts of
    ``core.inquiries.service.ledger_rows``) in at most a few queries. The columns follow core's.
    """


@hookspec
def register_page_snippets(page):
    """Return names of Jinja templates to include in core page ``page``.

    Called per tenant while the page renders. Pages that accept snippets: ``inquiries.ledger``
    (included after the new-inquiry form, whose fields have the ids ``new-<field>``, e.g.
    ``new-subject``, ``new-answer``, ``new-category``) and ``inquiries.detail`` (under the heading;
    the template sees ``inquiry``). A snippet may load the plugin's own static
    scripts and styles (``<script src=... defer>``; inline scripts are refused by the CSP).
    """


@hookspec
def populate_demo(tenant, staff, now, rng):
    """Add the plugin's demo rows to a demo tenant (``consultdesk demo``).

    Called inside the tenant's context after core's demo data: ``staff`` maps a role to one
    user holding it (and ``"admin"`` to the administrator), ``now`` is the aware UTC time and
    ``rng`` a ``random.Random`` seeded by the slug, so the demo is the same on every machine.
    Do not commit.
    """


@hookspec
def tenant_provisioned(tenant, preset):
    """React to a new tenant being created from ``preset`` (a dict; may be empty).

    Called inside the new tenant's context after its policy and admin exist; a plugin may
    add its starting rows (e.g. default archive entries). Do not commit.
    """


@hookspec
def user_created(user, actor):
    """React to a new staff account ``user`` created by ``actor`` (a user or None)."""


@hookspec
def user_changed(user, actor, changes):
    """React to ``changes`` (a dict of field -> new value) made to ``user`` by ``actor``."""


@hookspec
def policy_changed(tenant, policy, actor):
    """React to a new policy version (``policy`` is a ``core.policy.TenantPolicy``)."""


@hookspec
def inquiry_created(inquiry, actor):
    """React to a new inquiry in the ledger (``core.inquiries.models.Inquiry``)."""


@hookspec
def inquiry_changed(inquiry, event, actor):
    """React to a step on an inquiry's timeline.

    ``event`` is the ``InquiryEvent`` just written; its ``kind`` is one of ``replied``,
    ``answered``, ``reply_time_agreed``, ``forwarded``, ``escalated``, ``referred``, ``closed``
    (plugins may add kinds of their own). A plugin may refuse the step by raising
    ``core.errors.RuleViolation``; the whole change is then rolled back.
    """


@hookspec
def complaint_registered(complaint, actor):
    """React to a new suggestion or appeal (``core.complaints.models.Complaint``)."""


@hookspec
def complaint_changed(complaint, step, actor):
    """React to a step of a complaint's procedure (``step`` is the step's name, e.g. ``approve``)."""


@hookspec
def record_created(record, actor):
    """React to a new record (``core.records.models.Record``)."""


@hookspec
def record_disclosed(record, disclosure, actor):
    """React to a break-glass or lawful-request disclosure of a record."""
