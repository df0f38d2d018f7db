import factory

from inclusion.geo.models import Commune, Department, PostalCode, Region
from inclusion.geo.text import commune_slug, normalize_name


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "84"
    name = "Auvergne-Rhône-Alpes"
    zone = "metro"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "69"
    name = "Rhône"
    region = factory.SubFactory(RegionFactory)
    zone = "metro"


class CommuneFactory(factory.django.DjangoModelFactory):
    """Lyon by default; pass code_insee, name, latitude, longitude for another place of the Rhône."""

    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]
        skip_postgeneration_save = True

    code_insee = "69123"
    name = "Lyon"
    normalized_name = factory.LazyAttribute(lambda commune: normalize_name(commune.name))
    slug = factory.LazyAttribute(lambda commune: commune_slug(commune.name, commune.department.code))
    kind = "COM"
    department = factory.SubFactory(DepartmentFactory)
    postal_codes = "69001|69002|69003"
    latitude = 45.758
    longitude = 4.8351
    population = 520774

    @factory.post_generation
    def postal_code_rows(commune, create, extracted, **kwargs):
        # As the reference import does: post codes are searchable through PostalCode rows.
        if create:
            for code in commune.postal_code_list:
                PostalCode.objects.get_or_create(code=code, commune=commune)
