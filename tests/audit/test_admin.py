"""The journal in the back-office: read by staff, written by nobody; the history link of each tracked model."""

import datetime
import html

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from inclusion.approvals import rules
from inclusion.audit import acting_as
from inclusion.audit.admin import history_url
from inclusion.audit.models import AuditAction, AuditEntry
from inclusion.geo.models import Country
from inclusion.prescribers.enums import AuthorizationStatus, PrescriberOrganizationKind
from inclusion.users.models import User
from tests.approvals.factories import ApprovalFactory, SuspensionFactory
from tests.audit.helpers import last_entry_of, login_staff
from tests.companies.factories import CompanyFactory
from tests.eligibility.factories import EligibilityDiagnosisFactory, GEIQEligibilityDiagnosisFactory
from tests.institutions.factories import InstitutionFactory
from tests.prescribers.factories import PrescriberOrganizationFactory
from tests.users.factories import JobSeekerFactory, ProfessionalFactory, StaffFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:audit_auditentry_changelist")
NOW = datetime.datetime(2026, 3, 10, 11, tzinfo=datetime.UTC)  # 12:00 in Paris


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff(client):
    user = StaffFactory(email="support@inclusion.example")
    login_staff(client, user)
    return user


def text(response):
    return html.unescape(response.content.decode())


def listed(response):
    return list(response.context["cl"].result_list)


def change_url(entry):
    return reverse("admin:audit_auditentry_change", args=[entry.pk])


def renamed_job_seeker():
    job_seeker = JobSeekerFactory(first_name="Camille", last_name="Martin")
    job_seeker = User.objects.get(pk=job_seeker.pk)
    with acting_as("commande : essai"):
        job_seeker.last_name = "Durand"
        job_seeker.save()
    return job_seeker


# The list --------------------------------------------------------------------------------------------------------


class TestList:
    def test_staff_reads_date_object_action_author_and_fields(self, client, staff):
        job_seeker = renamed_job_seeker()

        response = client.get(LIST_URL)

        assert response.status_code == 200
        content = text(response)
        assert "Historique des modifications" in content
        entry = last_entry_of(job_seeker)
        assert entry in listed(response)
        for expected in [
            f"utilisateur n° {job_seeker.pk}",
            "modification",
            "commande : essai",
            "nom",  # the field's French name, not `last_name`
            "10 mars 2026 12:00",
        ]:
            assert expected in content, expected

    def test_filters_by_model_action_and_date(self, client, staff):
        job_seeker = renamed_job_seeker()
        approval = ApprovalFactory(user=job_seeker)

        by_model = listed(client.get(LIST_URL, {"modele": "approvals.approval"}))
        assert {entry.model for entry in by_model} == {"approvals.approval"}
        assert last_entry_of(approval) in by_model

        by_action = listed(client.get(LIST_URL, {"action__exact": AuditAction.UPDATED}))
        assert by_action == [last_entry_of(job_seeker)]

        with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
            yesterday = last_entry_of(ApprovalFactory())
        # The date filter's own links ("Aujourd'hui", "Les 7 derniers jours"...).
        changelist = client.get(LIST_URL).context["cl"]
        (date_filter,) = [spec for spec in changelist.filter_specs if spec.title == "date"]
        links = {str(choice["display"]): choice["query_string"] for choice in date_filter.choices(changelist)}
        today = listed(client.get(LIST_URL + links["Aujourd’hui"]))
        assert last_entry_of(approval) in today
        assert yesterday not in today
        assert yesterday in listed(client.get(LIST_URL + links["Les 7 derniers jours"]))

    def test_the_model_filter_offers_the_tracked_models_in_french(self, client, staff):
        content = text(client.get(LIST_URL))
        labels = ["PASS IAE", "suspension", "profil candidat", "diagnostic d'éligibilité IAE", "critère sélectionné"]
        for label in labels:
            assert label in content, label

    def test_search_by_object_id_and_by_author_email(self, client, staff):
        job_seeker = renamed_job_seeker()
        other = JobSeekerFactory()
        with acting_as("commande : autre"):
            ApprovalFactory(user=other)

        by_id = listed(client.get(LIST_URL, {"q": str(job_seeker.pk), "modele": "users.user"}))
        assert {entry.object_id for entry in by_id} == {str(job_seeker.pk)}

        by_author = listed(client.get(LIST_URL, {"q": "commande : autre"}))
        assert by_author and {entry.actor_label for entry in by_author} == {"commande : autre"}

    def test_the_history_of_an_object_includes_its_children(self, client, staff):
        approval = ApprovalFactory()
        suspension = SuspensionFactory(approval=approval)
        ApprovalFactory()  # another PASS: not listed

        response = client.get(history_url(approval))

        assert response.status_code == 200
        assert set(listed(response)) == {last_entry_of(approval), last_entry_of(suspension)}
        # The filter names the object, so that staff know what they look at and can leave it.
        assert f"PASS IAE {approval.number_with_spaces}" in text(response)

    @pytest.mark.parametrize(
        "params",
        [
            {"objet": "n'importe quoi"},
            {"objet": "users.user:"},
            {"objet": "inconnu.modele:12"},
            {"modele": "inconnu.modele"},
            {"q": "' OR 1=1 --"},
            {"created_at__gte": "pas une date"},
        ],
    )
    def test_bad_parameters_never_give_a_server_error(self, client, staff, params):
        renamed_job_seeker()
        assert client.get(LIST_URL, params).status_code in (200, 302)

    def test_query_count_does_not_grow_with_the_entries(self, client, staff, django_assert_max_num_queries):
        for _ in range(3):
            renamed_job_seeker()
        client.get(LIST_URL)  # warms the caches up
        with django_assert_max_num_queries(12) as few:
            client.get(LIST_URL)
        for _ in range(10):
            renamed_job_seeker()
        with django_assert_max_num_queries(len(few)) as many:
            response = client.get(LIST_URL)
        assert len(listed(response)) > 20
        assert len(many) == len(few)


# One entry -----------------------------------------------------------------------------------------------------


class TestChangeView:
    def test_the_changes_read_as_a_table_in_french(self, client, staff):
        approval = ApprovalFactory(start_at=datetime.date(2026, 3, 10))
        entry = last_entry_of(approval)

        response = client.get(change_url(entry))

        assert response.status_code == 200
        content = text(response)
        assert '<th scope="col">Avant</th>' in content
        assert '<th scope="row">date de début</th><td>—</td><td>10/03/2026</td>' in content
        assert '<th scope="row">origine</th>' in content
        assert "création" in content
        # Nothing to save or delete.
        assert 'name="_save"' not in content
        assert "deletelink" not in content

    def test_booleans_choices_and_keys_are_readable(self, client, staff):
        company = CompanyFactory(with_member=True)
        membership = company.memberships.get()
        membership.is_admin = False
        membership.save()
        entry = last_entry_of(membership)

        content = text(client.get(change_url(entry)))

        assert '<th scope="row">administrateur</th><td>oui</td><td>non</td>' in content
        assert f"entreprise n° {company.pk}" in content  # the parent, linked
        assert reverse("admin:companies_company_change", args=[company.pk]) in content

    def test_a_foreign_key_shows_the_object_it_pointed_to(self, client, staff):
        job_seeker = JobSeekerFactory()
        profile = job_seeker.jobseeker_profile
        country = Country.objects.get_or_create(
            insee_code="99350", defaults={"asp_code": "350", "name": "MAROC", "kind": "country"}
        )[0]
        profile.birth_country = country
        profile.save()
        entry = last_entry_of(profile)

        content = text(client.get(change_url(entry)))

        assert f'<td>—</td><td><a href="{reverse("admin:geo_country_change", args=[country.pk])}">' in content
        assert f"n° {country.pk} : Maroc" in content
        # The PASS of an entry may be gone since: the page says so instead of failing.
        approval = ApprovalFactory(user=job_seeker)
        suspension_entry = last_entry_of(SuspensionFactory(approval=approval))
        approval_pk = approval.pk
        rules.approval_delete(approval)
        assert f"n° {approval_pk} (supprimé)" in text(client.get(change_url(suspension_entry)))

    def test_an_entry_has_no_tools_of_its_own(self, client, staff):
        entry = last_entry_of(renamed_job_seeker())
        content = text(client.get(change_url(entry)))
        assert "historylink" not in content

    def test_nobody_adds_changes_or_deletes_an_entry(self, client, staff):
        entry = last_entry_of(renamed_job_seeker())

        assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
        assert client.post(change_url(entry), {"actor_label": "quelqu'un d'autre"}).status_code == 403
        delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        response = client.post(LIST_URL, {"action": "delete_selected", "_selected_action": [entry.pk]})
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
        assert response.status_code in (200, 302)
        entry.refresh_from_db()
        assert entry.actor_label == "commande : essai"


# Who may read ------------------------------------------------------------------------------------------------------


class TestAccess:
    def test_professionals_and_job_seekers_are_sent_to_the_login(self, client):
        entry = last_entry_of(renamed_job_seeker())
        employer = ProfessionalFactory()
        CompanyFactory(with_member=employer)
        for user in [employer, JobSeekerFactory()]:
            client.force_login(user)
            for url in [LIST_URL, change_url(entry)]:
                response = client.get(url)
                assert response.status_code == 302, url
                assert response["Location"].startswith((reverse("admin:login"), reverse("login")))

    def test_anonymous_is_sent_to_the_login(self, client):
        response = client.get(LIST_URL)
        assert response.status_code == 302

    def test_staff_without_the_view_permission_neither_read_nor_see_the_link(self, client):
        support = StaffFactory(is_superuser=False)
        support.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
        job_seeker = renamed_job_seeker()
        login_staff(client, User.objects.get(pk=support.pk))

        assert client.get(LIST_URL).status_code == 403
        page = text(client.get(reverse("admin:users_user_change", args=[job_seeker.pk])))
        assert "Historique des modifications" not in page

    def test_staff_with_the_view_permission_read(self, client):
        support = StaffFactory(is_superuser=False)
        support.user_permissions.add(*Permission.objects.filter(codename__in=["view_auditentry", "view_user"]))
        job_seeker = renamed_job_seeker()
        login_staff(client, User.objects.get(pk=support.pk))

        assert client.get(LIST_URL).status_code == 200
        page = text(client.get(reverse("admin:users_user_change", args=[job_seeker.pk])))
        assert history_url(job_seeker).replace("&", "&amp;") in page.replace("&", "&amp;")


# The link on each tracked model's change page -----------------------------------------------------------------


def _objects():
    job_seeker = JobSeekerFactory()
    approval = ApprovalFactory(user=job_seeker)
    company = CompanyFactory(with_member=True)
    prescribers = PrescriberOrganizationFactory(with_member=True)
    institution = InstitutionFactory(with_member=True)
    return {
        "users_user": job_seeker,
        "users_jobseekerprofile": job_seeker.jobseeker_profile,
        "approvals_approval": approval,
        "approvals_cancelledapproval": rules.approval_delete(ApprovalFactory()),
        "eligibility_eligibilitydiagnosis": approval.eligibility_diagnosis,
        "eligibility_geiqeligibilitydiagnosis": GEIQEligibilityDiagnosisFactory(),
        "companies_company": company,
        "companies_companymembership": company.memberships.get(),
        "prescribers_prescriberorganization": prescribers,
        "prescribers_prescribermembership": prescribers.memberships.get(),
        "institutions_institution": institution,
        "institutions_institutionmembership": institution.memberships.get(),
    }


def test_every_tracked_change_page_links_to_its_history(client, staff):
    EligibilityDiagnosisFactory()  # a valid diagnosis elsewhere: its history is not mixed in
    for name, obj in _objects().items():
        page = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert page.status_code == 200, name
        content = page.content.decode()
        assert "Historique des modifications" in content, name
        assert history_url(obj).replace("&", "&amp;") in content, name
        history = client.get(history_url(obj))
        assert history.status_code == 200, name
        for entry in listed(history):
            assert (entry.model, entry.object_id) == (obj._meta.label_lower, str(obj.pk)) or (
                entry.parent_model,
                entry.parent_object_id,
            ) == (obj._meta.label_lower, str(obj.pk)), name


def test_the_history_of_an_organization_lists_its_memberships(client, staff):
    company = CompanyFactory(with_member=True)
    membership = company.memberships.get()

    entries = listed(client.get(history_url(company)))

    assert entries == [last_entry_of(membership)]


def test_the_prescriber_organization_page_keeps_its_authorization_buttons(client, staff):
    organization = PrescriberOrganizationFactory(
        kind=PrescriberOrganizationKind.ML, authorization_status=AuthorizationStatus.NOT_SET
    )

    content = text(client.get(reverse("admin:prescribers_prescriberorganization_change", args=[organization.pk])))

    assert "Valider l'habilitation" in content
    assert "Historique des modifications" in content
    assert ">Historique<" in content  # Django's own history of admin actions stays


def test_the_add_pages_have_no_history_link(client, staff):
    content = text(client.get(reverse("admin:approvals_approval_add")))
    assert "Historique des modifications" not in content
