"""Template helpers of accounts: the same predicates as the API, for pages."""

from django import template

from ..permissions import can_see_department_contact_details

register = template.Library()


@register.filter
def shows_contact_details_to(department, user) -> bool:
    """Whether `user` reads the e-mail and phone of `department`'s members (its lead, a
    marketing manager, an administrator); everyone reads their own."""
    return can_see_department_contact_details(user, department)
