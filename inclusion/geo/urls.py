from django.urls import path

from inclusion.geo import views

urlpatterns = [
    path("autocompletion/communes/", views.commune_autocomplete, name="commune_autocomplete"),
]
