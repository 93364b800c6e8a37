from .accounts import PASSWORD, DepartmentFactory, UserFactory

__all__ = ["PASSWORD", "DepartmentFactory", "UserFactory"]
