"""Access policies: Public search, autocompletes, public cards of companies, job descriptions and prescribers."""

from django.urls import reverse

from tests.access.rules import OK, Policy, everyone

POLICIES = {
    # search_and_jobs.md §2: the commune autocomplete feeds public forms.
    "commune_autocomplete": Policy(everyone(OK), url=lambda world: reverse("commune_autocomplete") + "?term=lyon"),
    # search_and_jobs.md §4–§6: public searches, no login.
    "search_companies": Policy(everyone(OK)),
    "search_job_descriptions": Policy(everyone(OK)),
    "search_prescribers": Policy(everyone(OK)),
    # Public cards of the world's objects: the company is active and searchable, the prescriber authorized.
    "company_card": Policy(
        everyone(OK), url=lambda world: reverse("company_card", kwargs={"company_uid": world.company.uid})
    ),
    "job_description_card": Policy(
        everyone(OK),
        url=lambda world: reverse("job_description_card", kwargs={"job_description_uid": world.job_description.uid}),
    ),
    "prescriber_card": Policy(
        everyone(OK),
        url=lambda world: reverse("prescriber_card", kwargs={"organization_uid": world.prescriber_organization.uid}),
    ),
}
