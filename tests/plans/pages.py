"""How the plans page tests sign in, and who may only read the plans pages."""

from accounts.models import Role

# Everyone but marketing managers: they read plans and campaigns but do not change them.
READ_ONLY_ROLES = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


def login(client, make_user, role, **fields):
    """Sign the page client in as a new person in that role; return them."""
    user = make_user(role, **fields)
    client.force_login(user)
    return user
