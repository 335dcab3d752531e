from rest_framework.permissions import BasePermission

from wenming.core.scope import user_roles


class IsStaffMember(BasePermission):
    """Signed in and holding at least one membership (or a superuser). What a member may see
    and do is then decided by the data scope and the action's roles."""

    def has_permission(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(user.is_superuser or user_roles(user))
