"""The site's URLs plus the benchmark's floor, for config/settings/bench.py only."""

from django.urls import include, path

from inclusion.bench import views

urlpatterns = [
    path("banc/plancher/", views.floor, name="bench_floor"),
    path("", include("config.urls")),
]
