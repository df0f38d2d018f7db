"""NewPasswordForm: the password rule every signup form shares (platform_rules.md §3)."""

import pytest

from inclusion.organizations.forms import InvitationSignupForm
from inclusion.users.forms import ProfessionalAccountForm
from tests.companies.factories import CompanyFactory

GOOD_PASSWORD = "Quatre-Saisons-Au-Jardin-2026"


def account(**data):
    return ProfessionalAccountForm(
        data={"first_name": "Awa", "last_name": "Diallo", "email": "awa.diallo@exemple.fr", **data}
    )


@pytest.mark.parametrize(
    "password1,password2,error",
    [
        (GOOD_PASSWORD, GOOD_PASSWORD + "!", ("password2", "Les deux mots de passe ne sont pas identiques.")),
        ("Court-1a", "Court-1a", ("password1", "Ce mot de passe est trop court.")),
        ("awa.diallo@exemple.fr", "awa.diallo@exemple.fr", ("password1", "Le mot de passe est trop semblable")),
    ],
)
def test_a_bad_password_is_refused_with_a_french_message(db, password1, password2, error):
    form = account(password1=password1, password2=password2)
    assert not form.is_valid()
    field, message = error
    assert any(text.startswith(message) for text in form.errors[field])


def test_a_good_password_is_accepted_and_asked_last(db):
    form = account(password1=GOOD_PASSWORD, password2=GOOD_PASSWORD)
    assert form.is_valid(), form.errors
    assert list(form.fields)[-2:] == ["password1", "password2"]


def test_the_invited_address_counts_in_the_similarity_check(db):
    invitation = CompanyFactory().invitations.create(email="camille.martin@exemple.fr", first_name="C", last_name="M")
    form = InvitationSignupForm(
        data={
            "title": "MME",
            "first_name": "C",
            "last_name": "M",
            "password1": "camille.martin@exemple.fr",
            "password2": "camille.martin@exemple.fr",
        },
        invitation=invitation,
    )
    assert not form.is_valid()
    assert "password1" in form.errors
