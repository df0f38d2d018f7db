"""The project's URLs plus a stand-in for `job_description_edit` (built by the employer space)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path(
        "test/fiche-de-poste/<uuid:job_description_uid>/modifier/",
        lambda request, job_description_uid: HttpResponse(),
        name="job_description_edit",
    ),
]
