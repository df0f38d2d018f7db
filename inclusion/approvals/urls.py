from django.urls import path

from inclusion.approvals import views

urlpatterns = [
    path("pass-iae/<uuid:public_id>/", views.approval_detail, name="approval_detail"),
    path("pass-iae/<uuid:public_id>/attestation.pdf", views.approval_attestation, name="approval_attestation"),
    path("mon-entreprise/pass-iae/", views.approval_list, name="approval_list"),
    path("mon-pass-iae/", views.job_seeker_approval, name="job_seeker_approval"),
]
