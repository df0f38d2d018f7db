"""The department list of the application lists' filters, kept in the cache (geo.reference.departments)."""

import pytest

from inclusion.geo import reference
from tests.geo.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_read_once_then_from_the_cache(django_assert_num_queries):
    DepartmentFactory(code="69", name="Rhône")
    with django_assert_num_queries(1):
        assert reference.departments() == [("69", "Rhône")]
    with django_assert_num_queries(0):
        assert reference.departments() == [("69", "Rhône")]


def test_a_saved_or_deleted_department_shows_at_once():
    rhone = DepartmentFactory(code="69", name="Rhône")
    assert reference.departments() == [("69", "Rhône")]
    ain = DepartmentFactory(code="01", name="Ain")
    assert reference.departments() == [("01", "Ain"), ("69", "Rhône")]
    rhone.name = "Rhône (nouveau nom)"
    rhone.save()
    assert reference.departments() == [("01", "Ain"), ("69", "Rhône (nouveau nom)")]
    ain.delete()
    assert reference.departments() == [("69", "Rhône (nouveau nom)")]
