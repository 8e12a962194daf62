"""factory-boy factories with realistic zh_CN data, shared by every app's tests."""

import factory
from faker import Faker

from accounts.models import User
from org.models import Building, Company, Department, Group, Membership, Project, Role, Unit

fake = Faker("zh_CN")
PASSWORD = "correct-horse-42"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("code",)

    name = "万科集团"
    code = "vanke"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    group = factory.SubFactory(GroupFactory)
    city = factory.Iterator(["深圳", "上海", "北京", "广州", "成都"])
    name = factory.Sequence(lambda n: f"测试一线公司{n}")
    code = factory.Sequence(lambda n: f"co{n}")
    hotline = "400-888-1234"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"万科城{n}期")
    code = factory.Sequence(lambda n: f"prj{n}")
    district = "南山区"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    floors = 30


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    entrance = "1"
    floor = 12
    number = factory.Sequence(lambda n: f"{1200 + n}")
    code = factory.LazyAttribute(lambda o: Unit.make_code(o.building.number, o.entrance, o.number))
    layout = "三室两厅"
    area = 98.5


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    company = factory.SubFactory(CompanyFactory)
    kind = Department.Kind.CRM
    name = factory.Sequence(lambda n: f"客户关系中心{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.LazyFunction(fake.name)
    mobile = factory.Sequence(lambda n: f"+86138{n:08d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.COMPANY_CRM


def make_staff(role, company=None, **user_kwargs):
    """A staff user with one membership; group CRM staff have no company."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, role=role, company=None if role == Role.GROUP_CRM else company)
    return user
