from django.urls import path

from inclusion.organizations import views

urlpatterns = [
    path("organisation/changer/", views.switch_organization, name="switch_organization"),
    path("organisation/membres/", views.members, name="members"),
    path("organisation/membres/inviter/", views.members_invite, name="members_invite"),
    path("organisation/membres/<int:membership_id>/administrateur/", views.member_set_admin, name="member_set_admin"),
    path("organisation/membres/<int:membership_id>/desactiver/", views.member_deactivate, name="member_deactivate"),
    path(
        "invitation/<str:organization_type>/<uuid:invitation_uid>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
]
