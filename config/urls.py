from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Plateforme de l'inclusion — administration"
admin.site.site_title = "Administration"
admin.site.index_title = "Support"

urlpatterns = [
    path("", include("inclusion.www.urls")),
    path("", include("inclusion.users.urls")),
    path("", include("inclusion.organizations.urls")),
    path("", include("inclusion.geo.urls")),
    path("", include("inclusion.jobs.urls")),
    path("", include("inclusion.search.urls")),
    path("", include("inclusion.companies.urls")),
    path("", include("inclusion.companies.urls_antennas")),
    path("", include("inclusion.companies.urls_signup")),
    path("", include("inclusion.prescribers.urls")),
    path("", include("inclusion.eligibility.urls")),
    path("", include("inclusion.approvals.urls")),
    path("", include("inclusion.approvals.urls_suspensions_prolongations")),
    path("", include("inclusion.users.urls_job_seekers")),
    path("", include("inclusion.applications.urls_apply")),
    path("", include("inclusion.applications.urls_process")),
    path("", include("inclusion.applications.urls_hiring")),
    path("", include("inclusion.applications.urls_lists")),
    path("", include("inclusion.notifications.urls")),
    path("admin/", admin.site.urls),
]
