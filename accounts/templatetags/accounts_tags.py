"""Template helpers of accounts: the same predicates as the API, for pages."""

from django import template

from ..permissions import can_manage_api_tokens, can_see_department_contact_details

register = template.Library()


@register.filter
def shows_contact_details_to(department, user) -> bool:
    """Whether `user` reads the e-mail and phone of `department`'s members (its lead, a
    marketing manager, an administrator); everyone reads their own."""
    return can_see_department_contact_details(user, department)


@register.filter
def manages_api_tokens(user) -> bool:
    """Whether the person creates and revokes BI tokens (marketing managers, administrators)."""
    return can_manage_api_tokens(user)
