import datetime

import factory

from customers.models import Customer, Ownership
from customers.validators import make_id_number
from tests.factories import CompanyFactory, UnitFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    company = factory.SubFactory(CompanyFactory)
    name = "张三"
    mobile = factory.Sequence(lambda n: f"+86137{n:08d}")
    id_number = factory.Sequence(lambda n: make_id_number(f"44030519850101{n % 1000:03d}"))


class OwnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ownership

    customer = factory.SubFactory(CustomerFactory)
    unit = factory.SubFactory(UnitFactory)
    subscribed_on = datetime.date(2024, 3, 1)
