import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from inclusion.companies.enums import CompanyKind, ContractType, contract_types_for
from inclusion.companies.models import JobDescription
from tests.companies.factories import CompanyFactory
from tests.jobs.factories import AppellationFactory
from tests.users.auth import login
from tests.users.factories import StaffFactory


@pytest.fixture
def appellation(db):
    return AppellationFactory()


def job(company, appellation, **fields):
    return JobDescription(company=company, appellation=appellation, **{"contract_type": ContractType.OTHER, **fields})


@pytest.mark.parametrize(
    "kind,offered,refused",
    [
        (CompanyKind.ACI, ContractType.FIXED_TERM_I, ContractType.PERMANENT),
        (CompanyKind.ETTI, ContractType.TEMPORARY, ContractType.APPRENTICESHIP),
        (CompanyKind.EITI, ContractType.BUSINESS_CREATION, ContractType.FIXED_TERM_I),
        (CompanyKind.GEIQ, ContractType.APPRENTICESHIP, ContractType.FIXED_TERM_I),
        (CompanyKind.EA, ContractType.FIXED_TERM_TREMPLIN, ContractType.FIXED_TERM_I),
        (CompanyKind.EATT, ContractType.PERMANENT, ContractType.BUSINESS_CREATION),
        (CompanyKind.OPCS, ContractType.FIXED_TERM, ContractType.TEMPORARY),
    ],
)
def test_contract_types_offered_per_company_kind(appellation, kind, offered, refused):
    company = CompanyFactory(kind=kind)
    job(company, appellation, contract_type=offered).clean()
    with pytest.raises(ValidationError, match="pas proposé pour ce type de structure"):
        job(company, appellation, contract_type=refused).clean()
    assert contract_types_for(kind)[-1] == ContractType.OTHER


def test_convergence_aci_offers_phc_and_cvg(appellation):
    assert ContractType.FIXED_TERM_I_PHC not in contract_types_for(CompanyKind.ACI)
    company = CompanyFactory(kind=CompanyKind.ACI, is_convergence=True)
    job(company, appellation, contract_type=ContractType.FIXED_TERM_I_CVG).clean()
    # Only ACI may be Convergence.
    with pytest.raises(ValidationError):
        job(
            CompanyFactory(kind=CompanyKind.EI, is_convergence=True), appellation, contract_type="FIXED_TERM_I_PHC"
        ).clean()


@pytest.mark.parametrize(
    "fields,accepted",
    [
        ({"hours_per_week": 48, "other_contract_type": "Stage"}, True),
        ({"hours_per_week": 49, "other_contract_type": "Stage"}, False),
        ({"open_positions": 1, "other_contract_type": "Stage"}, True),
        ({"open_positions": 0, "other_contract_type": "Stage"}, False),
        ({"other_contract_type": ""}, False),
    ],
)
def test_database_constraints(appellation, fields, accepted):
    job_description = job(CompanyFactory(), appellation, **fields)
    if accepted:
        job_description.save()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            job_description.save()


def test_custom_name_overrides_the_appellation(appellation):
    job_description = job(CompanyFactory(), appellation)
    assert job_description.display_name == "Agent / Agente de propreté de locaux"
    job_description.custom_name = "Agent d'entretien"
    assert job_description.display_name == "Agent d'entretien"


def test_admin_form_without_company_gets_a_message_not_a_500(client, appellation):
    login(client, StaffFactory())
    response = client.post(
        reverse("admin:companies_jobdescription_add"),
        {"appellation": appellation.pk, "contract_type": ContractType.OTHER, "open_positions": 1},
    )
    assert response.status_code == 200
    assert not JobDescription.objects.exists()
    assert "company" in response.context["adminform"].form.errors
