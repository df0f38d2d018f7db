from django.urls import path

from inclusion.companies import antennas

urlpatterns = [
    path("mon-entreprise/antennes/nouvelle/", antennas.new_antenna, name="antenna_create"),
]
