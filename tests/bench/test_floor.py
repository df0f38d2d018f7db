"""The benchmark's floor (inclusion/bench/views.py): the site's layout and one trivial query, nothing more."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from tests.users.factories import ProfessionalFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("inclusion.bench.urls")]


def test_anonymous_floor_is_the_layout_and_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("bench_floor"))
    assert response.status_code == 200
    assert "Plancher du banc de mesure" in response.text
    assert "Se connecter" in response.text  # the same header as any page


def test_logged_in_floor_pays_what_every_logged_in_page_pays(client, django_assert_num_queries):
    client.force_login(ProfessionalFactory())
    client.get(reverse("bench_floor"))  # the first page stores the logout form's CSRF token in the session
    # session, user, the three membership lookups of the current-organization middleware, the trivial query
    with django_assert_num_queries(6):
        response = client.get(reverse("bench_floor"))
    assert response.status_code == 200


def test_the_site_does_not_serve_the_floor():
    with override_settings(ROOT_URLCONF="config.urls"), pytest.raises(NoReverseMatch):
        reverse("bench_floor")
