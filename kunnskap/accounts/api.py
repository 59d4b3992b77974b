from ninja import Router, Schema

from kunnskap.lib.http import SignedInApiRequest

from . import policy
from .api_auth import SIGNED_IN

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    hub: str


class MeOut(Schema):
    email: str
    full_name: str
    is_admin: bool
    roles: list[RoleOut]


@router.get("/me", response=MeOut, auth=SIGNED_IN)
def me(request: SignedInApiRequest):
    """Who the API takes you for: your e-mail, and your roles per hub."""
    user = request.auth
    roles = [
        {"role": assignment.role, "hub": assignment.hub.name}
        for assignment in user.role_assignments.select_related("hub").order_by("hub__name", "role")
    ]
    return {
        "email": user.email,
        "full_name": user.full_name,
        "is_admin": policy.is_admin(user),
        "roles": roles,
    }
