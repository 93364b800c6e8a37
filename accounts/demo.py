"""Demo departments and people, named after the execution template's tables."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Department, Role, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - demo only; seed_demo refuses production settings

DEPARTMENTS = ["市场部", "电商运营部", "市场推广部", "渠道管理部", "产品部", "设计部", "销售部", "供应链部", "物流部"]

# username, name, department, roles, language, is administrator
PEOPLE = [
    ("manager", "王经理 (Wang, marketing manager)", "市场部", [Role.MARKETING_MANAGER], "", False),
    ("executive", "陈总 (Chen, executive)", "市场部", [Role.EXECUTIVE], "", False),
    # A second marketing manager, who requests the demo's adjustments that 王经理 (the plan's
    # owner, the marketing lead) and 陈总 approve: nobody approves their own request.
    ("brand", "黄经理 (Huang, brand manager)", "市场部", [Role.MARKETING_MANAGER], "", False),
    ("ecommerce", "李专员 (Li, e-commerce specialist)", "电商运营部", [Role.STAFF], "", False),
    ("ecom_lead", "赵经理 (Zhao, e-commerce manager)", "电商运营部", [Role.DEPARTMENT_LEAD], "", False),
    ("promotion", "张主管 (Zhang, promotion lead)", "市场推广部", [Role.STAFF, Role.DEPARTMENT_LEAD], "", False),
    ("channel", "刘专员 (Liu, channel specialist)", "渠道管理部", [Role.STAFF], "", False),
    ("product", "孙主管 (Sun, product lead)", "产品部", [Role.DEPARTMENT_LEAD], "", False),
    ("design", "周主管 (Zhou, design lead)", "设计部", [Role.DEPARTMENT_LEAD], "", False),
    ("sales", "吴主管 (Wu, sales lead)", "销售部", [Role.DEPARTMENT_LEAD], "", False),
    ("supply", "郑主管 (Zheng, supply-chain lead)", "供应链部", [Role.DEPARTMENT_LEAD], "", False),
    ("logistics", "冯主管 (Feng, logistics lead)", "物流部", [Role.DEPARTMENT_LEAD], "", False),
    ("viewer", "BI viewer", None, [Role.VIEWER], "", False),
    ("admin", "Administrator", None, [], "", True),
]

# Department leads, by username.
LEADS = {
    "市场部": "manager",
    "电商运营部": "ecom_lead",
    "市场推广部": "promotion",
    "渠道管理部": "channel",
    "产品部": "product",
    "设计部": "design",
    "销售部": "sales",
    "供应链部": "supply",
    "物流部": "logistics",
}


@transaction.atomic
def seed(*, stdout=None) -> list[tuple[str, str]]:
    """Create the demo departments and people; running it again changes nothing.

    Returns the logins (username, role description) to print.
    """
    departments = {name: Department.objects.get_or_create(name=name)[0] for name in DEPARTMENTS}
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    logins = []
    for username, name, department, roles, language, is_admin in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                name=name,
                email=f"{username}@example.com",
                department=departments.get(department),
                language=language,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([groups[role] for role in roles])
        logins.append((username, name))
    for department_name, username in LEADS.items():
        department = departments[department_name]
        lead = User.objects.get(username=username)
        if department.lead_id != lead.pk:
            department.lead = lead
            department.save(update_fields=["lead", "updated_at"])
    return logins
