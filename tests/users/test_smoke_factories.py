from tests.companies.factories import CompanyFactory
from tests.users.factories import JobSeekerFactory


def test_factories_build_valid_objects(db):
    company = CompanyFactory(with_member=True)
    job_seeker = JobSeekerFactory()
    company.full_clean()
    job_seeker.jobseeker_profile.full_clean()
    assert company.memberships.get().is_admin
