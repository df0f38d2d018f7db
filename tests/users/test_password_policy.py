"""The password policy (platform_rules.md §3) on every page that sets a password: at least 16 characters, at least 3
of the 4 classes (lower case, upper case, digit, special character), not too close to the person's e-mail or names,
not a common password. French messages."""

import pytest
from django.urls import reverse

from inclusion.organizations.forms import InvitationSignupForm
from inclusion.users.forms import ProfessionalAccountForm
from inclusion.users.job_seeker_data import activation_url
from inclusion.users.models import User
from tests.companies.factories import CompanyFactory
from tests.users.auth import login
from tests.users.factories import JobSeekerFactory, StaffFactory
from tests.users.test_auth_views import signup_data

TOO_SHORT = "Ce mot de passe est trop court. Il doit contenir au minimum 16 caractères."
TOO_FEW_CLASSES = (
    "Le mot de passe doit contenir au moins 3 des 4 types de caractères suivants : minuscules, majuscules, chiffres, "
    "caractères spéciaux."
)
TOO_COMMON = "Ce mot de passe est trop courant."
TOO_SIMILAR = "Le mot de passe est trop semblable"

PASSWORDS = [
    pytest.param("Kx7-vertPlume93", TOO_SHORT, id="15 characters, 4 classes"),
    pytest.param("Kx7-vertPlume93a", None, id="16 characters, 4 classes"),
    pytest.param("kx7vertplume93ab", TOO_FEW_CLASSES, id="16 characters, 2 classes"),
    pytest.param("Kx7vertplume93ab", None, id="16 characters, 3 classes"),
    pytest.param("john!20130605at1753", TOO_COMMON, id="common password of 19 characters, 3 classes"),
]


def errors_in(html):
    return html.replace("&#x27;", "'").replace("&quot;", '"')


def password_is(email, password):
    user = User.objects.filter(email=email).first()
    return user is not None and user.check_password(password)


# Each surface sets `password` for the person owning `email` (when it lets the form say who that is) and returns the
# page or the form errors, as text, and whether the password was accepted.


def job_seeker_signup(client, password, email="camille.dupont@example.com"):
    response = client.post(
        reverse("job_seeker_signup"), signup_data(email=email, password1=password, password2=password)
    )
    return password_is(email, password), errors_in(response.content.decode())


def professional_signup(client, password, email="awa.diallo@exemple.fr"):
    """Prescriber and employer signups (ProfessionalAccountForm)."""
    form = ProfessionalAccountForm(
        data={"first_name": "Awa", "last_name": "Diallo", "email": email, "password1": password, "password2": password}
    )
    return form.is_valid(), str(form.errors)


def invitation_signup(client, password, email="camille.martin@exemple.fr"):
    invitation = CompanyFactory().invitations.create(email=email, first_name="Camille", last_name="Martin")
    data = {"title": "MME", "first_name": "Camille", "last_name": "Martin", "password1": password}
    form = InvitationSignupForm(data={**data, "password2": password}, invitation=invitation)
    return form.is_valid(), str(form.errors)


def activation_or_reset(client, password, email="leila.benali@example.com"):
    """The link that activates an account created by a proxy, the same as a password reset link."""
    user = JobSeekerFactory(email=email, created_by_proxy=True)
    set_password_url = client.get(activation_url(user).removeprefix("http://127.0.0.1:8000"))["Location"]
    response = client.post(set_password_url, {"new_password1": password, "new_password2": password})
    return password_is(email, password), errors_in(response.content.decode())


def admin_add_user(client, password, email="nouveau.compte@example.com"):
    login(client, StaffFactory())
    data = {"email": email, "kind": "job_seeker", "usable_password": "true"}
    response = client.post(reverse("admin:users_user_add"), {**data, "password1": password, "password2": password})
    return password_is(email, password), errors_in(response.content.decode())


def admin_change_password(client, password, email="compte.existant@example.com"):
    login(client, StaffFactory())
    user = JobSeekerFactory(email=email)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]), {"password1": password, "password2": password}
    )
    return password_is(email, password), errors_in(response.content.decode())


SURFACES = [
    job_seeker_signup,
    professional_signup,
    invitation_signup,
    activation_or_reset,
    admin_add_user,
    admin_change_password,
]


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("password,error", PASSWORDS)
def test_the_policy_holds_on_every_page_that_sets_a_password(client, db, surface, password, error):
    accepted, text = surface(client, password)
    if error is None:
        assert accepted, text
    else:
        assert not accepted
        assert error in text


@pytest.mark.parametrize("surface", SURFACES)
def test_a_password_made_of_the_email_address_is_refused(client, db, surface):
    email = "dominique.lefebvre@exemple.fr"
    accepted, text = surface(client, "Dominique.Lefebvre@exemple.fr", email=email)
    assert not accepted
    assert TOO_SIMILAR in text


def test_nothing_is_saved_with_a_refused_password(client, db):
    job_seeker_signup(client, "Kx7-vertPlume93")
    assert not User.objects.filter(email="camille.dupont@example.com").exists()
