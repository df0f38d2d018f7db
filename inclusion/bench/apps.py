from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The national-scale data set and the benchmark's own views (make bench, docs/performance.md)."""

    name = "inclusion.bench"
    verbose_name = "Banc de mesure"
