import factory
from django.contrib.auth.models import Group

from accounts.models import Department, Role, User

PASSWORD = "correct-horse-battery"

# Every role group, for the tests that go through them all.
ROLES = [Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


def token_client(key: str):
    """An API client that sends a token's key the one accepted way, in the Authorization header."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
