import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from inclusion.utils import french
from inclusion.utils.french import de


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Inès MOREAU", "d'Inès MOREAU"),
        ("Amina BENALI", "d'Amina BENALI"),
        ("ibrahima diallo", "d'ibrahima diallo"),
        ("Élodie ROUX", "d'Élodie ROUX"),
        ("Ève", "d'Ève"),
        ("Ôlan", "d'Ôlan"),
        ("Ÿann", "d'Ÿann"),
        ("Œuvre sociale", "d'Œuvre sociale"),
        ("Yasmine KONÉ", "d'Yasmine KONÉ"),
        ("I… M…", "d'I… M…"),  # a masked name elides too
        ("Camille MARTIN", "de Camille MARTIN"),
        ("Hélène PETIT", "de Hélène PETIT"),  # h muet or aspiré cannot be told apart: no elision
        ("1er étage", "de 1er étage"),
        (" Inès", "de  Inès"),
        ("", "de"),
    ],
)
def test_de(name, expected):
    assert de(name) == expected


def _render(source, **context):
    return Template("{% load french %}" + source).render(Context(context))


def test_filter_elides_before_a_vowel_and_not_before_a_consonant():
    assert _render("Candidature {{ name|de }}", name="Inès MOREAU") == "Candidature d'Inès MOREAU"
    assert _render("Candidature {{ name|de }}", name="Élodie ROUX") == "Candidature d'Élodie ROUX"
    assert _render("Candidature {{ name|de }}", name="Yanis") == "Candidature d'Yanis"
    assert _render("Candidature {{ name|de }}", name="Camille MARTIN") == "Candidature de Camille MARTIN"


def test_filter_on_an_empty_name():
    assert _render("Candidature {{ name|de }}", name="") == "Candidature de"


def test_filter_accepts_any_object_with_a_str():
    class Commune:
        def __str__(self):
            return "Angers (49)"

    assert _render("10 km {{ commune|de }}", commune=Commune()) == "10 km d'Angers (49)"


def test_filter_escapes_the_name_but_not_its_own_apostrophe():
    assert _render("{{ name|de }}", name="Inès <b>MOREAU</b>") == "d'Inès &lt;b&gt;MOREAU&lt;/b&gt;"
    assert _render("{{ name|de }}", name="<b>Inès</b>") == "de &lt;b&gt;Inès&lt;/b&gt;"
    assert _render("{{ name|de }}", name="Amina D'ARC") == "d'Amina D&#x27;ARC"


def test_filter_does_not_escape_when_autoescape_is_off():
    # The e-mail templates (.txt) render with {% autoescape off %}.
    assert _render("{% autoescape off %}{{ name|de }}{% endautoescape %}", name="Inès <b>M</b>") == "d'Inès <b>M</b>"
    assert _render("{% autoescape off %}{{ name|de }}{% endautoescape %}", name="Amina D'ARC") == "d'Amina D'ARC"


def test_filter_does_not_escape_a_name_already_marked_safe_twice():
    assert _render("{{ name|de }}", name=mark_safe("Inès <b>M</b>")) == "d'Inès <b>M</b>"


@pytest.mark.parametrize(
    "word, expected",
    [
        ("prescripteur habilité", "que "),
        ("employeur", "qu'"),
        ("orienteur", "qu'"),
        ("institution", "qu'"),
        ("", "que "),
    ],
)
def test_que_prefix(word, expected):
    assert french.que_prefix(word) == expected
