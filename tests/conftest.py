import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The login throttle and the rate limits count in the cache: one test's attempts never reach another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def reference_data(django_db_setup, django_db_blocker):
    """The full reference data set (35 014 communes, ROME...), loaded once for the tests that need real places."""
    with django_db_blocker.unblock():
        call_command("import_reference_data", verbosity=0)
