"""The department list of the application lists' filters, kept in the cache (geo.reference.departments)."""

import pytest

from inclusion.geo import reference
from inclusion.geo.models import Department
from tests.geo.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def in_database():
    return list(Department.objects.order_by("code").values_list("code", "name"))


def test_read_once_then_from_the_cache(django_assert_num_queries):
    DepartmentFactory(code="9X", name="Département d'essai")
    expected = in_database()
    with django_assert_num_queries(1):
        assert reference.departments() == expected
    with django_assert_num_queries(0):
        assert reference.departments() == expected
    assert ("9X", "Département d'essai") in expected


def test_a_saved_or_deleted_department_shows_at_once():
    reference.departments()  # cached
    added = DepartmentFactory(code="9X", name="Département d'essai")
    assert ("9X", "Département d'essai") in reference.departments()
    added.name = "Nouveau nom"
    added.save()
    assert ("9X", "Nouveau nom") in reference.departments()
    added.delete()
    assert reference.departments() == in_database()
    assert "9X" not in dict(reference.departments())
