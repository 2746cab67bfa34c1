"""The rule registry and the per-tenant policy: shown, validated, versioned, enforced."""

import sqlalchemy as sa

from core.extensions import db
from core.policy.models import PolicyVersion
from core.tenancy import tenant_context

DOMAIN_CORE_RULES = {
    "core.inquiry.ledger", "core.inquiry.reply_deadline", "core.inquiry.forward",
    "core.inquiry.escalate_important", "core.reply.forbidden_phrases", "core.inquiry.refer_out",
    "core.complaint.kind", "core.complaint.register", "core.complaint.respond_within",
    "core.complaint.suggestion_reply", "core.complaint.follow_up_visit",
    "core.complaint.upheld_correction", "core.complaint.confidential", "core.complaint.escalate_hq",
    "core.complaint.repeat", "core.record.confidentiality", "core.record.recording_consent",
    "core.record.anonymised_export", "core.record.break_glass", "core.record.lawful_request",
    "core.record.archive", "core.record.no_lending", "core.record.retention",
    "core.satisfaction_survey", "core.follow_up", "core.monthly_report", "core.policy.versioning",
    "core.policy.acknowledge", "core.policy.review_due", "core.policy.published",
    "core.forms.org_name", "core.incident.log", "core.safety.fire_drill",
}


def test_every_core_rule_of_domain_md_is_registered_with_clause_and_valid_defaults(app):
    from core.policy import registry

    with app.test_request_context():
        rules = registry().rules
        assert DOMAIN_CORE_RULES <= set(rules)
        for rule_id in DOMAIN_CORE_RULES:
            rule = rules[rule_id]
            assert rule.clause and str(rule.title)
            rule.validate_params({})  # the defaults pass their own schema


def test_get_policy_shows_rules_with_params_and_clause(admin_a):
    body = admin_a.get("/policy").get_json()
    rules = {r["id"]: r for r in body["rules"]}
    phrases = rules["core.reply.forbidden_phrases"]
    assert phrases["clause"] == "S0-1 §4.3.2" and phrases["enabled"] is True
    assert "不知道" in phrases["params"]["phrases"] and "不歸我管" in phrases["params"]["phrases"]
    # the property preset's own parameter
    assert rules["core.inquiry.reply_deadline"]["params"]["max_working_days"] == 3
    assert {"code": "engineering", "name": "工程部"} in body["departments"]
    assert {p["name"]: p["enabled"] for p in body["plugins"]}["notes"] is True
    assert "notes.max_length" in rules


def test_patch_policy_changes_params_and_bumps_version(admin_a, tenant_a):
    before = admin_a.get("/policy").get_json()["version"]
    response = admin_a.patch("/policy", json={
        "rules": {"core.inquiry.reply_deadline": {"params": {"max_working_days": 2}},
                  "core.record.retention": {"params": {"retention_days": 3650}},
                  "core.forms.org_name": {"enabled": False, "clause": "本中心制度第3条"}},
        "note": "tighter deadline",
    })
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    rules = {r["id"]: r for r in body["rules"]}
    assert body["version"] == before + 1
    assert rules["core.inquiry.reply_deadline"]["params"]["max_working_days"] == 2
    assert rules["core.forms.org_name"]["enabled"] is False
    assert rules["core.forms.org_name"]["clause"] == "本中心制度第3条"
    with tenant_context(tenant_a):
        versions = db.session.execute(sa.select(PolicyVersion.version)).scalars().all()
    assert sorted(versions)[-1] == before + 1 and len(versions) == before + 1


def test_bad_parameter_is_422_naming_the_field(admin_a):
    response = admin_a.patch("/policy", json={
        "rules": {"core.inquiry.reply_deadline": {"params": {"max_working_days": -1}}}})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert "rules.core.inquiry.reply_deadline.params.max_working_days" in error["fields"]


def test_unknown_rule_param_or_plugin_is_422(admin_a):
    response = admin_a.patch("/policy", json={
        "rules": {"core.no.such.rule": {"enabled": True},
                  "core.follow_up": {"params": {"unknown_knob": 1}}},
        "plugins": ["notes", "no_such_plugin"]})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields["rules.core.no.such.rule"] == ["未知规则。"]  # the tenant speaks zh_CN
    assert "rules.core.follow_up.params.unknown_knob" in fields
    assert "plugins" in fields


def test_rule_of_a_disabled_plugin_cannot_be_set(admin_b):
    response = admin_b.patch("/policy", json={"rules": {"notes.max_length": {"enabled": True}}})
    assert response.status_code == 422
    assert "rules.notes.max_length" in response.get_json()["error"]["fields"]


def test_a_refused_change_leaves_the_policy_as_it_was(admin_a):
    before = admin_a.get("/policy").get_json()
    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"params": {"after_days": 0}}}})
    assert admin_a.get("/policy").get_json() == before


def test_rule_violation_names_rule_and_clause_and_disabling_lets_it_pass(admin_a):
    long_note = "长" * 141
    refused = admin_a.post("/notes/notes", json={"body": long_note})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "rule_violation" and error["rule"] == "notes.max_length"
    assert error["clause"] == "Desk handbook §2" and "notes.max_length" in error["message"]
    # a parameter change moves the line
    admin_a.patch("/policy", json={"rules": {"notes.max_length": {"params": {"max_chars": 200}}}})
    assert admin_a.post("/notes/notes", json={"body": long_note}).status_code == 201
    # disabled: not enforced at all
    admin_a.patch("/policy", json={"rules": {"notes.max_length": {"enabled": False}}})
    assert admin_a.post("/notes/notes", json={"body": "长" * 500}).status_code == 201


def test_policy_changes_are_audited(admin_a, tenant_a):
    from core.audit import AuditEvent

    admin_a.patch("/policy", json={"rules": {"core.follow_up": {"params": {"after_days": 30}}}})
    with tenant_context(tenant_a):
        event = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "policy.changed")).scalar_one()
    assert event.actor_label == "admin@alpha.test"
    assert event.details["rules"]["core.follow_up"]["params"] == {"after_days": 30}
