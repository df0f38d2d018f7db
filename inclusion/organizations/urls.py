from django.urls import path

from inclusion.organizations import views

urlpatterns = [
    path("organisation/changer/", views.switch_organization, name="switch_organization"),
]
