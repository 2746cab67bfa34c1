"""Tenant API: tokens, the signed-in user, and staff accounts."""

from flask import g, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from core.errors import Unauthorized
from core.extensions import db
from core.identity import schemas, service
from core.identity.permissions import require_permission, role_book
from core.identity.throttle import signin_limits
from core.tenancy import current_tenant
from core.web import public_endpoint

blp = Blueprint("identity_api", __name__, description="Sign-in, the signed-in user, staff accounts")


@blp.route("/auth/token", methods=["POST"])
@public_endpoint
@signin_limits
@blp.arguments(schemas.TokenRequest())
@blp.response(200, schemas.TokenResponse)
def create_token(body):
    """Exchange e-mail and password for a bearer token of this tenant."""
    g.signin_email = body["email"]
    user = service.authenticate(body["email"], body["password"])
    if user is None:
        g.signin_failed = True
        db.session.commit()  # keep the audit of the failure
        raise Unauthorized(_("Wrong e-mail or password."))
    token, expires_at = service.issue_token(user)
    db.session.commit()
    return {"token": token, "expires_at": expires_at}


@blp.route("/auth/token", methods=["DELETE"])
@blp.response(204)
def revoke_token():
    """Revoke the bearer token of this request (API sign-out)."""
    raw = request.headers.get("Authorization", "")[7:].strip()
    service.revoke_token(raw, g.actor)
    db.session.commit()


def me_payload(user) -> dict:
    from core.web import enabled_plugin_infos

    tenant = current_tenant()
    book = role_book()
    return {
        "user": user,
        "permissions": sorted(book.permissions_of(user.roles)),
        "tenant": {"slug": tenant.slug, "name": tenant.name, "variant": tenant.variant,
                   "locale": tenant.locale, "timezone": tenant.timezone},
        "plugins": [{"name": p.name, "title": p.title, "area": p.area}
                    for p in enabled_plugin_infos()],
    }


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, schemas.MeOut)
    def get(self):
        """The signed-in user, roles, permissions, tenant and enabled plugins."""
        return me_payload(g.actor)


@blp.route("/me/password", methods=["POST"])
@blp.arguments(schemas.PasswordChange())
@blp.response(204)
def change_password(body):
    """Change one's own password; ends every session and token of the user."""
    service.change_own_password(g.actor, body["current_password"], body["new_password"])
    db.session.commit()


@blp.route("/users")
class Users(MethodView):
    @blp.arguments(schemas.UserListArgs(), location="query")
    @blp.response(200, schemas.UserList)
    def get(self, args):
        """Staff accounts of this tenant."""
        items, next_cursor = service.list_users(g.actor, limit=args["limit"], cursor=args["cursor"])
        return {"items": items, "next_cursor": next_cursor}

    @blp.arguments(schemas.UserCreate())
    @blp.response(201, schemas.UserOut)
    def post(self, body):
        """Create a staff account (tenant admin)."""
        user = service.create_user(body["email"], body["name"], body["password"], body["roles"],
                                   g.actor)
        db.session.commit()
        return user


@blp.route("/users/<user_id>")
class UserItem(MethodView):
    @blp.response(200, schemas.UserOut)
    def get(self, user_id):
        """One staff account."""
        require_permission(g.actor, "users.view")
        return service.find_user(user_id)

    @blp.arguments(schemas.UserPatch())
    @blp.response(200, schemas.UserOut)
    def patch(self, body, user_id):
        """Change a staff account: name, roles, active, password, locale."""
        require_permission(g.actor, "users.manage")
        user = service.update_user(service.find_user(user_id), body, g.actor)
        db.session.commit()
        return user


