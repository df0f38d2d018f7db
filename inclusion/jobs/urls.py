from django.urls import path

from inclusion.jobs import views

urlpatterns = [
    path("autocompletion/metiers/", views.appellation_autocomplete, name="appellation_autocomplete"),
]
