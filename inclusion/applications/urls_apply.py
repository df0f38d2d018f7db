from django.urls import path

from inclusion.applications import views_apply

urlpatterns = [
    path("postuler/<uuid:company_uid>/", views_apply.apply_start, name="apply_start"),
    path("postuler/<uuid:company_uid>/<uuid:session_id>/<slug:step>/", views_apply.apply_step, name="apply_step"),
    path("postuler/envoyee/<uuid:job_application_id>/", views_apply.apply_done, name="apply_done"),
]
