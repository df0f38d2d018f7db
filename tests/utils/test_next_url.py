import pytest
from django.test import RequestFactory

from inclusion.utils.next_url import safe_next_url


@pytest.mark.parametrize(
    "value,expected",
    [
        ("/entreprise/candidatures/?page=2", "/entreprise/candidatures/?page=2"),
        ("0", None),  # a bare word: redirect() would try to reverse it as a URL name
        ("dashboard", None),
        ("", None),
        ("//autre-site.example/", None),
        ("https://autre-site.example/", None),
        ("/\\autre-site.example/", None),
        ("http://testserver/tableau-de-bord/", None),  # a full URL, even of this site: only paths are followed
    ],
)
def test_only_a_path_of_this_site_is_followed(value, expected):
    assert safe_next_url(RequestFactory().get("/", {"next": value})) == expected


def test_the_posted_value_comes_first():
    request = RequestFactory().post("/?next=/par-la-requete/", {"next": "/par-le-formulaire/"})
    assert safe_next_url(request) == "/par-le-formulaire/"
