"""Tenant API: the policy (enabled plugins and rules with parameters and clauses)."""

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from core.extensions import db
from core.identity.permissions import require_permission
from core.policy import current_policy, schemas, service

blp = Blueprint("policy_api", __name__, description="The tenant's policy")


@blp.route("/policy")
class Policy(MethodView):
    @blp.response(200, schemas.PolicyOut)
    def get(self):
        """Enabled plugins, rules with parameters and clauses, departments, categories, roles."""
        require_permission(g.actor, "policy.view")
        return service.describe(current_policy())

    @blp.arguments(schemas.PolicyPatch())
    @blp.response(200, schemas.PolicyOut)
    def patch(self, body):
        """Change the policy (admin): a new version takes effect on the next request."""
        policy = service.update_policy(body, g.actor)
        db.session.commit()
        return service.describe(policy)
